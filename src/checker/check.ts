// One model check of a loaded program: pick an engine, explore, and gather the figures reports
// need. Used by `lockspec check` and `lockspec compare` alike (src/pipeline/ loads the program).
import type { Program } from '../lang/ir.js';
import { diag, spanLocation, type Diagnostic, type SourceMap } from '../diagnostics/diagnostics.js';
import type { Engine, Failure, StateView, TraceStep } from './engine/contract.js';
import { explore, rebuildTrace, type ExploreOptions, type Progress } from './search/breadth-first.js';
import type { ExploreResult, LabelCounts, Limits, Verdict, Violation } from './search/results.js';
import { createEngine, type EngineName } from './engine/create-engine.js';
import { CompiledEngine } from './engine/compiled/compiled-engine.js';
import { lockStatistics, sharedLockHolders, type LockStats } from './search/lock-stats.js';
import { lockOrder, lockOrderPossible, lockOrderViolation, NO_LOCK_ORDER, type LockOrderReport } from './search/lock-order.js';
import { explainDeadlock, explainSleeps } from './search/deadlock.js';
import { realTrace } from './search/symmetric-trace.js';
import { ReferenceEngine, type LockWait } from './engine/reference-engine.js';
import { runtimeDiagnostic } from './engine/failures.js';
import { exploreParallel, type WorkersReport } from './search/parallel/parallel-search.js';
import { simulate, type SimulateOptions } from './search/simulate.js';
import { GraphRecorder, observeAll, walkGraph, type StateGraph } from './search/state-graph.js';
import { checkProgress, graphTrace, ShortestPaths } from './search/progress.js';

export interface CheckOptions extends Limits {
  engine?: EngineName;
  deadlock?: boolean;
  progress?: (p: Progress) => void;
  /** Keep a 64-bit fingerprint per state instead of the state (the compiled engine only). */
  fingerprint?: boolean;
  /** Threads computing successors (src/checker/parallel/); the figures are those of one. */
  workers?: number;
  /** Go on past violations and report every violated property (see ExploreOptions.continue; one thread only). */
  continue?: boolean;
  /**
   * Keep the explored state graph (--dump-graph, the HTML report's graph view) when it has at most
   * `maxStates` states; fingerprint mode keeps no edges and so no graph.
   */
  keepGraph?: { maxStates: number };
  /** Check the lock order (lock-order.ts) unless false (`--no-lock-order`) or the model disables LockOrder. */
  lockOrder?: boolean;
  /**
   * Compute each lock's statistics (longest hold, waiters, bypass counts: lock-stats.ts) unless
   * false: the JSON and HTML reports and `compare` show them, `check`'s text report does not, and
   * on a large graph they cost as much as a third of the search.
   */
  lockStatistics?: boolean;
}

/** The explored state graph kept for reports: every stored state decoded, every edge, the initial states. */
export interface KeptGraph {
  graph: StateGraph;
  initial: number[];
  states: StateView[];
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
  extends Pick<ExploreResult, 'failure' | 'failingStep' | 'limit' | 'distinct' | 'generated' | 'depth' | 'elapsedMs' | 'trace' | 'finishedStates' | 'violations'> {
  spec: string;
  design: string | null;
  program: Program | null;
  engine: EngineName;
  verdict: CheckVerdict;
  deadLabels: string[];
  /** Per label: steps taken and new states found (null: not counted, see ExploreResult.coverage). */
  labelCounts: LabelCounts | null;
  lockStats: Record<string, LockStats>;
  /** The lock-order graph and its cycles; null when not checked (no locks, or switched off). */
  lockOrder: LockOrderReport | null;
  /** Bytes holding the states: the engine's store and table, and the parent links. */
  storeBytes: number;
  /** Set in fingerprint mode. */
  fingerprint?: FingerprintFigures | null;
  /** Set when workers were asked for. */
  workers?: WorkersReport;
  /** Whether the temporal and cover properties were checked (they need every reachable state expanded). */
  progressChecked?: boolean;
  /** With CheckOptions.keepGraph: the state graph, or null when it has more states than asked for (or fingerprint mode). */
  stateGraph?: KeptGraph | null;
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
    violations: [],
    deadLabels: [],
    labelCounts: null,
    finishedStates: 0,
    lockStats: {},
    lockOrder: null,
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
  if (opts.continue && (opts.workers ?? 1) > 1) throw new Error('--continue needs the search of one thread');
  const engine = opts.fingerprint ? new CompiledEngine(program, { fingerprint: true }) : createEngine(engineName, program);
  const exploreOpts: ExploreOptions = { ...opts, deadlock: deadlockChecked(program, opts.deadlock) };
  // Lock statistics need every edge between stored states, which fingerprint mode does not keep.
  let reference: ReferenceEngine | null = null;
  // The lock elements a blocked process waits for, read by the reference engine (the definition of the language).
  const waitsAt = (id: number, instance: number): LockWait[] => (reference ??= new ReferenceEngine(program)).lockWaits(engine.decode(id), instance);
  const stats = program.locks.length > 0 && !engine.frontierOnly && opts.lockStatistics !== false ? lockStatistics(engine, waitsAt) : null;
  // Progress and cover properties are checked on the whole graph, recorded as it is explored.
  const progress = (program.temporal?.length ?? 0) + (program.reachable?.length ?? 0) > 0;
  const unsupported = progress && (opts.fingerprint ? 'fingerprint mode' : program.symmetry?.length ? 'symmetry' : null);
  if (unsupported) return loadFailure(source, source.design, engineName, [diag('ProgressUnsupported', null, unsupported)]);
  // A constraint cuts the state graph: a progress property on what is left would be unsound
  // (TLC's own liveness checking with constraints is), and the workers' search does not apply it.
  const constraint = program.constraints?.[0];
  const notWithConstraint = progress ? 'temporal or reachable properties' : (opts.workers ?? 1) > 1 ? '--workers' : null;
  if (constraint && notWithConstraint) return loadFailure(source, source.design, engineName, [diag('ConstraintUnsupported', constraint.span, constraint.name, notWithConstraint)]);
  // The lock order is read off the graph's steps: each process must be itself in every stored state.
  const order = program.locks.length > 0 && opts.lockOrder !== false && !program.disabled.some((d) => d.name === 'LockOrder');
  const orderRefused = order && (opts.fingerprint ? 'fingerprint mode' : program.symmetry?.length ? 'symmetry' : null);
  if (orderRefused) return loadFailure(source, source.design, engineName, [diag('LockOrderUnsupported', null, orderRefused)]);
  // One record of the graph for everything read off it once the search is over (a cover property
  // needs the states alone).
  const temporal = (program.temporal?.length ?? 0) > 0;
  // A graph kept for reports is that one when there is one.
  const keepGraph = opts.keepGraph && !engine.frontierOnly ? opts.keepGraph : null;
  const parallelSearch = (opts.workers ?? 1) > 1;
  // When the lock order alone reads the record (its traces are rebuilt from the search's parent
  // links, which both searches keep), only the steps that may change a lock's holder are recorded.
  // With fewer than two lock elements the order is empty, and nothing is recorded for it.
  const orderRecorded = order && lockOrderPossible(program);
  const lockGlobals = orderRecorded && !temporal && !stats && !keepGraph && engine.mayChange
    ? program.locks.flatMap((lock) => (lock.readers === undefined ? [lock.global] : [lock.global, lock.readers]))
    : null;
  const lockSteps = lockGlobals && engine.mayChange!(lockGlobals);
  const graph = temporal || stats || orderRecorded ? new GraphRecorder(program.labels.length, Infinity, lockSteps) : null;
  const kept = keepGraph ? (graph ?? new GraphRecorder(program.labels.length, keepGraph.maxStates)) : null;
  const observer = observeAll([stats?.observer, graph, kept === graph ? null : kept]);
  const parallel = parallelSearch ? exploreParallel(engine, { ...exploreOpts, observer, observedGlobals: lockGlobals ?? undefined }, opts.workers!) : null;
  const result: ExploreResult = parallel?.result ?? explore(engine, { ...exploreOpts, observer });
  // Each trace as a real behaviour (under symmetry the stored states are orbit representatives),
  // each failing assert named by its place, each deadlock with the wait-for cycle it shows.
  const violations: Violation[] = result.violations.map((found) =>
    withWaitForCycle(program, { ...found, ...realTrace(program, found), failure: locatedFailure(found.failure, source.sources) }, () => (reference ??= new ReferenceEngine(program))),
  );
  // The graph by source state, built when something needs it (the lock order reads the recorded edges when they came in order).
  let built: StateGraph | null = null;
  const stateGraphOf = (): StateGraph => (built ??= graph!.graph(engine.size()));
  // Only a graph with every reachable state expanded can settle a progress property.
  const progressChecked = progress && result.exhausted;
  if (progressChecked) {
    for (const v of checkProgress(engine, engine.size(), stateGraphOf)) violations.push({ failure: v.failure, failingStep: null, trace: v.trace, loop: v.loop, cycle: v.cycle });
  }
  // A cycle in the part explored is a cycle of the whole graph: reported however the search ended.
  // Each lock's holders in every state, read once for the lock order and the lock statistics.
  const holdersOf = sharedLockHolders(engine);
  const orderReport = !order
    ? null
    : orderRecorded && graph
      ? lockOrder(engine, graph.walkInSourceOrder() ?? walkGraph(lockSteps ? graph.recordedBySource(engine.size()) : stateGraphOf()), shortestTrace(engine, result, stateGraphOf), holdersOf)
      : NO_LOCK_ORDER;
  for (const cycle of orderReport?.cycles ?? []) violations.push(lockOrderViolation(program, cycle));
  // A deadlock found to be a lost wake-up is a violation of LostWakeup.
  const deadlockLeft = violations.some((v) => v.failure.kind === 'deadlock');
  const verdict = (result.verdict === 'ok' || (result.verdict === 'deadlock' && !deadlockLeft)) && violations.length > 0 ? 'violation' : result.verdict;
  return {
    ...base,
    ...searchFigures(program, { ...result, verdict, trace: violations[0]?.trace ?? result.trace }, violations),
    progressChecked,
    lockStats: stats && graph ? stats.finish(result.exhausted, stateGraphOf(), holdersOf) : {},
    lockOrder: orderReport,
    storeBytes: engine.storeBytes() + result.traceBytes,
    fingerprint: engine.frontierOnly
      ? { collisionProbability: result.distinct ** 2 / 2 ** 65, frontierPeakBytes: engine.frontierOnly.frontierPeakBytes() }
      : null,
    ...(opts.keepGraph ? { stateGraph: kept && keepGraph && engine.size() <= keepGraph.maxStates ? keptGraph(engine, kept === graph ? stateGraphOf() : kept.graph(engine.size())) : null } : {}),
    ...(opts.workers !== undefined ? { workers: parallel?.workers ?? { requested: opts.workers, used: 1, joined: 1, fallbackReason: null } } : {}),
    diagnostics: withRuntimeError(warnings, violations),
  };
}

/**
 * A shortest behaviour to a stored state: rebuilt from the search's parent links when it kept them
 * (the first step from the parent that reaches the state, as a breadth-first walk of the graph
 * would find it), else found on the state graph.
 */
function shortestTrace(engine: Engine, result: ExploreResult, graph: () => StateGraph): (state: number) => TraceStep[] {
  const parentOf = result.parentOf;
  if (parentOf) return (state) => rebuildTrace(engine, state, parentOf);
  let paths: ShortestPaths | null = null;
  return (state) => {
    const g = graph();
    if (!paths) {
      const initial: number[] = [];
      engine.initial((id) => initial.push(id));
      paths = new ShortestPaths(g, initial);
    }
    const to = paths.to(state);
    return graphTrace(engine, g, to.start, to.edges);
  };
}

/** The graph with its states decoded, for reports. */
function keptGraph(engine: Engine, graph: StateGraph): KeptGraph {
  const initial: number[] = [];
  engine.initial((id) => initial.push(id));
  return { graph, initial, states: Array.from({ length: graph.size }, (_, id) => engine.decode(id)) };
}

/** Whether a search reports deadlocks: unless the command (`--no-deadlock`) or the model (`disable Deadlock`) turns it off. */
function deadlockChecked(program: Program, asked: boolean | undefined): boolean {
  return (asked ?? true) && !program.disabled.some((d) => d.name === 'Deadlock');
}

/**
 * What every outcome takes from its search's result (its violations as the check explained them);
 * the labels never run are known only when every reachable state was expanded.
 */
function searchFigures(program: Program, result: ExploreResult, violations = result.violations): Omit<CheckOutcome, 'spec' | 'design' | 'engine' | 'sources' | 'lockStats' | 'lockOrder' | 'storeBytes' | 'diagnostics'> {
  return {
    program,
    verdict: result.verdict,
    failure: violations[0]?.failure ?? null,
    violations,
    failingStep: violations[0]?.failingStep ?? null,
    limit: result.limit,
    distinct: result.distinct,
    generated: result.generated,
    depth: result.depth,
    elapsedMs: result.elapsedMs,
    trace: violations[0]?.trace ?? null,
    deadLabels: result.exhausted ? program.labels.filter((_, i) => !result.executed[i]).map((l) => l.name) : [],
    labelCounts: result.coverage,
    finishedStates: result.finishedStates,
  };
}

export interface SimulationOptions extends Omit<SimulateOptions, 'deadlock'> {
  engine?: EngineName;
  deadlock?: boolean;
}

/** Random walks of one loaded program (`lockspec simulate`): the same properties, no shortest traces. */
export function simulateProgram(program: Program, about: DesignSource, opts: SimulationOptions): CheckOutcome {
  const { warnings, ...source } = about;
  const engine = createEngine(opts.engine ?? 'compiled', program);
  const result = simulate(engine, { ...opts, deadlock: deadlockChecked(program, opts.deadlock) });
  let reference: ReferenceEngine | null = null;
  const violations = result.violations.map((v) => withWaitForCycle(program, { ...v, failure: locatedFailure(v.failure, source.sources) }, () => (reference ??= new ReferenceEngine(program))));
  return { ...source, engine: opts.engine ?? 'compiled', ...searchFigures(program, result, violations), lockStats: {}, lockOrder: null, storeBytes: 0, diagnostics: withRuntimeError(warnings, violations) };
}

/** A deadlock's message with the locks its processes wait for and the wait-for cycle, read by the reference engine (the definition of the language). */
function withWaitForCycle(program: Program, v: Violation, reference: () => ReferenceEngine): Violation {
  if (v.failure.kind !== 'deadlock' || !v.trace?.length) return v;
  const last = v.trace[v.trace.length - 1].state;
  // A deadlock with a sleeper whose wait queue's condition holds is a lost wake-up.
  const sleeps = explainSleeps(program, (instance) => reference().sleeps(last, instance));
  if (sleeps.lost && !program.disabled.some((d) => d.name === 'LostWakeup')) {
    return { ...v, failure: { kind: 'builtin' as const, property: 'LostWakeup', message: sleeps.lost, span: null } };
  }
  const why = [explainDeadlock(program, (instance) => reference().lockWaits(last, instance)), sleeps.sleeping].filter(Boolean).join('; ');
  return why ? { ...v, failure: { ...v.failure, message: `${v.failure.message}; ${why}` } } : v;
}

/**
 * The failure as reports give it: a failing assert is named by its place, file:line:column as
 * TLC gives it, since the engines know only the span (two asserts of one step then differ).
 */
function locatedFailure(failure: Failure, sources: SourceMap): Failure {
  return failure.kind === 'assert' && failure.span ? { ...failure, message: `assertion at ${spanLocation(failure.span, sources)}` } : failure;
}

/** The load's warnings, then the runtime error that made the verdict `error`, if any. */
function withRuntimeError(warnings: Diagnostic[], violations: Violation[]): Diagnostic[] {
  const runtime = violations.find((v) => v.failure.kind === 'runtime');
  return runtime ? [...warnings, runtimeDiagnostic(runtime.failure)] : warnings;
}
