// A model file checked from start to end: parsed once with its imports, each design asked for
// lowered from that one parse, each program checked (or simulated). What `check`, `compare` and
// `simulate` run.
import {
  checkProgram, loadFailure, simulateProgram,
  type CheckOptions, type CheckOutcome, type DesignSource, type SimulationOptions,
} from '../checker/check.js';
import type { EngineName } from '../checker/engine/create-engine.js';
import type { Program } from '../lang/ir.js';
import { designsOf, displayPath, lowerDesign, parseModel, type LowerOptions, type ModelFiles, type ParsedModel } from './load-model.js';

/** How a file is loaded: the design (see each function for what its absence means), constants, symmetry, the files read. */
interface FileOptions extends LowerOptions {
  design?: string | null;
  files?: ModelFiles;
  engine?: EngineName;
}

export interface FileCheckOptions extends CheckOptions, FileOptions {}

export interface FileSimulationOptions extends SimulationOptions, FileOptions {}

/** What one design's program is run with: the program and where it came from. */
type RunProgram = (program: Program, about: DesignSource) => CheckOutcome;

/** The designs `check` and `compare` check: the one asked for, else every design the file means (see designsOf). */
export function designsToCheck(parsed: ParsedModel, asked: string | null | undefined): (string | null)[] {
  return asked ? [asked] : designsOf(parsed);
}

/** Lowers one design of a parsed model and runs it, or gives the `error` outcome of its diagnostics. */
function runDesign(parsed: ParsedModel, path: string, design: string | null, opts: FileOptions, run: RunProgram): CheckOutcome {
  const about = { spec: displayPath(path), sources: parsed.sources };
  const lowered = lowerDesign(parsed, design, opts);
  if (!lowered.program) return loadFailure(about, design, opts.engine ?? 'compiled', lowered.diagnostics);
  return run(lowered.program, { ...about, design, warnings: lowered.diagnostics });
}

/** Parses a file and runs one design of it (null or absent: the base model); a file that does not parse gives an `error` outcome. */
function runFile(path: string, opts: FileOptions, run: RunProgram): CheckOutcome {
  const parsed = parseModel(path, opts.files);
  const design = opts.design ?? null;
  if (parsed.diagnostics.length > 0 || !parsed.root) {
    return loadFailure({ spec: displayPath(path), sources: parsed.sources }, design, opts.engine ?? 'compiled', parsed.diagnostics);
  }
  return runDesign(parsed, path, design, opts, run);
}

/** Checks one design (null: the base model) of a model parsed without diagnostics from `path`. */
export function checkDesign(parsed: ParsedModel, path: string, design: string | null, opts: FileCheckOptions = {}): CheckOutcome {
  return runDesign(parsed, path, design, opts, (program, about) => checkProgram(program, about, opts));
}

/** Checks one design of a file (null or absent: the base model). */
export function checkModel(path: string, opts: FileCheckOptions = {}): CheckOutcome {
  return runFile(path, opts, (program, about) => checkProgram(program, about, opts));
}

/** Random walks of one design of a file (null or absent: the base model). */
export function simulateModel(path: string, opts: FileSimulationOptions): CheckOutcome {
  return runFile(path, opts, (program, about) => simulateProgram(program, about, opts));
}
