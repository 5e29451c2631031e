// Choosing an engine by name.
import type { Program } from '../../lang/ir.js';
import type { Engine } from './contract.js';
import { CompiledEngine } from './compiled/compiled-engine.js';
import { ReferenceEngine } from './reference-engine.js';

export type EngineName = 'compiled' | 'reference';

export function createEngine(name: EngineName, program: Program): Engine {
  return name === 'reference' ? new ReferenceEngine(program) : new CompiledEngine(program);
}
