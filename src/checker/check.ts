// One model check of a loaded program: pick an engine, explore, and gather the figures reports
// need. Used by `lockspec check` and `lockspec compare` alike (src/pipeline/ loads the program).
import type { Program } from '../lang/ir.js';
import { spanLocation, type Diagnostic, type SourceMap } from '../diagnostics/diagnostics.js';
import type { Failure } from './engine/contract.js';
import { explore, type ExploreOptions, type Progress } from './search/breadth-first.js';
import type { ExploreResult, Limits, Verdict } from './search/results.js';
import { createEngine, type EngineName } from './engine/create-engine.js';
import { CompiledEngine } from './engine/compiled/compiled-engine.js';
import { lockStatistics, type LockStats } from './search/lock-stats.js';
import { explainDeadlock } from './search/deadlock.js';
import { realTrace } from './search/symmetric-trace.js';
import { ReferenceEngine } from './engine/reference-engine.js';
import { runtimeDiagnostic } from './engine/failures.js';
import { exploreParallel, type WorkersReport } from './search/parallel/parallel-search.js';

export interface CheckOptions extends Limits {
  engine?: EngineName;
  deadlock?: boolean;
  progress?: (p: Progress) => void;
  /** Keep a 64-bit fingerprint per state instead of the state (the compiled engine only). */
  fingerprint?: boolean;
  /** Threads computing successors (src/checker/parallel/); the figures are those of one. */
  workers?: number;
}

/** What fingerprint mode adds to a check's figures. */
export interface FingerprintFigures {
  /** TLC's optimistic estimate: n^2 / 2^65 for n distinct states. */
  collisionProbability: number;
  /** The most bytes the frontier's states held at once (not per-state storage: they are dropped once expanded). */
  frontierPeakBytes: number;
}

/** A search's verdict; `error` also when the model could not be loaded or the command is wrong. */
export type CheckVerdict = Verdict;

/** What a check found: the search's figures (see ExploreResult) and what reports add to them. */
export interface CheckOutcome
  extends Pick<ExploreResult, 'failure' | 'failingStep' | 'limit' | 'distinct' | 'generated' | 'depth' | 'elapsedMs' | 'trace' | 'finishedStates'> {
  spec: string;
  design: string | null;
  program: Program | null;
  engine: EngineName;
  verdict: CheckVerdict;
  deadLabels: string[];
  lockStats: Record<string, LockStats>;
  /** Bytes holding the states: the engine's store and table, and the parent links. */
  storeBytes: number;
  /** Set in fingerprint mode. */
  fingerprint?: FingerprintFigures | null;
  /** Set when workers were asked for. */
  workers?: WorkersReport;
  /**
   * The load's warnings, and the errors that make the verdict `error`: the model or the command is
   * wrong (nothing was checked), or a runtime error found while searching (then last, with its trace).
   */
  diagnostics: Diagnostic[];
  sources: SourceMap;
}

/** An outcome with nothing explored yet: the starting point of check and simulate. */
export function outcomeBefore(
  base: { spec: string; design: string | null; engine: EngineName; sources: SourceMap },
  program: Program | null,
  diagnostics: Diagnostic[],
): CheckOutcome {
  return {
    ...base,
    program,
    verdict: 'ok',
    failure: null,
    failingStep: null,
    limit: null,
    distinct: 0,
    generated: 0,
    depth: 0,
    elapsedMs: 0,
    trace: null,
    deadLabels: [],
    finishedStates: 0,
    lockStats: {},
    storeBytes: 0,
    fingerprint: null,
    diagnostics,
  };
}

/** Where a program came from, for reports: the file as shown, and the texts diagnostics point into. */
export interface ProgramSource {
  spec: string;
  sources: SourceMap;
}

/** A program's source, the name of its design as the user selects it (null: a file without designs), and its load warnings. */
export interface DesignSource extends ProgramSource {
  design: string | null;
  warnings: Diagnostic[];
}

/** The outcome of a program that could not be loaded: its diagnostics. */
export function loadFailure(about: ProgramSource, design: string | null, engine: EngineName, diagnostics: Diagnostic[]): CheckOutcome {
  return { ...outcomeBefore({ ...about, design, engine }, null, diagnostics), verdict: 'error' };
}

export function checkProgram(program: Program, about: DesignSource, opts: CheckOptions = {}): CheckOutcome {
  const engineName = opts.engine ?? 'compiled';
  const { warnings, ...source } = about;
  const base = { ...source, engine: engineName };
  if (opts.fingerprint && engineName !== 'compiled') throw new Error('fingerprint mode needs the compiled engine');
  const engine = opts.fingerprint ? new CompiledEngine(program, { fingerprint: true }) : createEngine(engineName, program);
  const deadlockOff = program.disabled.some((d) => d.name === 'Deadlock');
  const exploreOpts: ExploreOptions = { ...opts, deadlock: (opts.deadlock ?? true) && !deadlockOff };
  // Lock statistics need every edge between stored states, which fingerprint mode does not keep.
  const stats = program.locks.length > 0 && !engine.frontierOnly ? lockStatistics(engine) : null;
  const parallel = (opts.workers ?? 1) > 1 ? exploreParallel(engine, { ...exploreOpts, observer: stats?.observer }, opts.workers!) : null;
  const result: ExploreResult = parallel?.result ?? explore(engine, { ...exploreOpts, observer: stats?.observer });
  Object.assign(result, realTrace(program, result));
  const complete = result.verdict === 'ok';
  if (result.verdict === 'deadlock' && result.failure && result.trace?.length) {
    const last = result.trace[result.trace.length - 1].state;
    const reference = new ReferenceEngine(program);
    const why = explainDeadlock(program, last, (e, instance) => reference.evaluateIn(last, e, instance));
    if (why) result.failure = { ...result.failure, message: `${result.failure.message}; ${why}` };
  }
  return {
    ...base,
    program,
    verdict: result.verdict,
    failure: locatedFailure(result.failure, source.sources),
    failingStep: result.failingStep,
    limit: result.limit,
    distinct: result.distinct,
    generated: result.generated,
    depth: result.depth,
    elapsedMs: result.elapsedMs,
    trace: result.trace,
    deadLabels: complete ? program.labels.filter((_, i) => !result.executed[i]).map((l) => l.name) : [],
    finishedStates: result.finishedStates,
    lockStats: stats ? stats.finish(complete) : {},
    storeBytes: engine.storeBytes() + result.traceBytes,
    fingerprint: engine.frontierOnly
      ? { collisionProbability: result.distinct ** 2 / 2 ** 65, frontierPeakBytes: engine.frontierOnly.frontierPeakBytes() }
      : null,
    ...(opts.workers !== undefined ? { workers: parallel?.workers ?? { requested: opts.workers, used: 1, joined: 1, fallbackReason: null } } : {}),
    diagnostics: withRuntimeError(warnings, result),
  };
}

/**
 * The failure as reports give it: a failing assert is named by its place, file:line:column as
 * TLC gives it, since the engines know only the span (two asserts of one step then differ).
 */
export function locatedFailure(failure: Failure | null, sources: SourceMap): Failure | null {
  return failure?.kind === 'assert' && failure.span ? { ...failure, message: `assertion at ${spanLocation(failure.span, sources)}` } : failure;
}

/** The load's warnings, then the runtime error that made the verdict `error`, if any. */
export function withRuntimeError(warnings: Diagnostic[], end: Pick<ExploreResult, 'verdict' | 'failure'>): Diagnostic[] {
  return end.verdict === 'error' && end.failure ? [...warnings, runtimeDiagnostic(end.failure)] : warnings;
}
