// Choosing an engine by name.
import type { Program } from '../lang/ir.js';
import type { Engine } from './engine.js';
import { CompiledEngine } from './compiled/engine.js';
import { ReferenceEngine } from './reference.js';

export type EngineName = 'compiled' | 'reference';

export function createEngine(name: EngineName, program: Program): Engine {
  return name === 'reference' ? new ReferenceEngine(program) : new CompiledEngine(program);
}
