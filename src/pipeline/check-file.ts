// A model file checked from start to end: parsed once with its imports, each design asked for
// lowered from that one parse, each program checked. What `check` and `compare` run.
import { checkProgram, loadFailure, type CheckOptions, type CheckOutcome, type ProgramSource } from '../checker/check.js';
import { designsOf, displayPath, lowerDesign, parseModel, type LowerOptions, type ModelFiles, type ParsedModel } from './load-model.js';

export interface FileCheckOptions extends CheckOptions, LowerOptions {
  /** The design to check (see checkParsed and checkModel for what its absence means). */
  design?: string | null;
  files?: ModelFiles;
}

/** The designs `check` and `compare` check: the one asked for, else every design the file means (see designsOf). */
export function designsToCheck(parsed: ParsedModel, asked: string | null | undefined): (string | null)[] {
  return asked ? [asked] : designsOf(parsed);
}

function checkDesign(parsed: ParsedModel, about: ProgramSource, design: string | null, opts: FileCheckOptions): CheckOutcome {
  const lowered = lowerDesign(parsed, design, opts);
  if (!lowered.program) return loadFailure(about, design, opts.engine ?? 'compiled', lowered.diagnostics);
  return checkProgram(lowered.program, { ...about, design, warnings: lowered.diagnostics }, opts);
}

/** Checks the designs `opts.design` selects (see designsToCheck) of a model parsed without diagnostics from `path`. */
export function checkParsed(parsed: ParsedModel, path: string, opts: FileCheckOptions = {}): CheckOutcome[] {
  const about = { spec: displayPath(path), sources: parsed.sources };
  return designsToCheck(parsed, opts.design).map((d) => checkDesign(parsed, about, d, opts));
}

/** Checks one design of a file (null or absent: the base model); a file that does not parse gives an `error` outcome. */
export function checkModel(path: string, opts: FileCheckOptions = {}): CheckOutcome {
  const parsed = parseModel(path, opts.files);
  const about = { spec: displayPath(path), sources: parsed.sources };
  const design = opts.design ?? null;
  if (parsed.diagnostics.length > 0 || !parsed.root) return loadFailure(about, design, opts.engine ?? 'compiled', parsed.diagnostics);
  return checkDesign(parsed, about, design, opts);
}
