// Breadth-first exploration over an engine: every reachable state once, every property in every
// state, deadlock detection, limits, coverage, and the shortest trace to the first failure (with
// `continue`, TLC's -continue: to the first violation of every property, exploring on past them).
// State ids are handed out in the order states are first stored, which for a breadth-first search
// is the queue itself: the search walks ids 0, 1, 2, ... and needs no queue of its own. Traces
// cost 4 bytes a state: the parent's id; the step taken is found again when a trace is rebuilt.
// An engine that keeps only its frontier (fingerprint mode) is told which states are done with,
// and rebuilds traces itself.
import type { Engine, Failure, TraceStep } from '../engine/contract.js';
import { StepFailure } from '../engine/contract.js';
import { propertyIndex } from '../engine/failures.js';
import { constraintTest } from './constraints.js';
import {
  ALLOCATION_FAILED_TEXT, deadlockFailure, defaultMemoryLimit, isDeadlock, limitReached, maxDepthText, maxStatesText, memoryReadClock, searchEnd, stutteringSteps,
  type ExploreResult, type Limits, type Violation, type LabelCounts,
} from './results.js';

export type { TraceStep } from '../engine/contract.js';

/** An allocation that failed because memory ran out (typed arrays, or V8's own RangeErrors). */
function outOfMemory(e: unknown): boolean {
  return e instanceof RangeError && /allocation failed|Invalid typed array length|Invalid array length|Array buffer/i.test(e.message);
}

/** Sees the state graph as it is explored (lock statistics use it). */
export interface ExploreObserver {
  /** A step by `instance` at `label` from state `from` reached state `to`. */
  edge(from: number, to: number, instance: number, label: number): void;
  /** State `id` has been expanded; `enabled[i]` is 1 where instance i could take a step. */
  expanded(id: number, enabled: Uint8Array): void;
}

export interface ExploreOptions extends Limits {
  deadlock: boolean;
  /**
   * Go on past a violated invariant, final property or deadlock (exploring the violating state's
   * successors too, as TLC's -continue does), and past a failing assert or built-in check in a
   * step (that path has no successor; TLC would stop there), reporting the first violation of
   * each. A runtime error in the model still ends the search.
   */
  continue?: boolean;
  observer?: ExploreObserver;
  /**
   * Set when the observer reads only the steps that may change these globals (the lock order's
   * record): the parallel search's threads then log no other edge for it.
   */
  observedGlobals?: number[];
  /** Called now and then with the figures so far. */
  progress?: (p: Progress) => void;
  progressEveryMs?: number;
}

export interface Progress {
  distinct: number;
  generated: number;
  depth: number;
  queue: number;
  elapsedMs: number;
}

/** Parent ids in pages of 4096: growing copies nothing and wastes at most a page. */
export class ParentLinks {
  private pages: Int32Array[] = [];
  set(i: number, v: number): void {
    while (i >>> 12 >= this.pages.length) this.pages.push(new Int32Array(4096));
    this.pages[i >>> 12][i & 4095] = v;
  }
  get(i: number): number {
    return this.pages[i >>> 12][i & 4095];
  }
  bytes(): number {
    return this.pages.length * 4096 * 4;
  }
}

/** Thrown from the sink to leave an engine's successor loop at the first failing state, as TLC does. */
class StopAtFailure extends Error {}
const STOP = new StopAtFailure();
/** Thrown from the sink once the step sought is found again. */
const FOUND = new StopAtFailure();

export function explore(engine: Engine, opts: ExploreOptions): ExploreResult {
  const started = Date.now();
  const labels = engine.program.labels.length;
  const executed = new Uint8Array(labels);
  // Counted in typed arrays: the sink runs for every successor and must not allocate.
  const coverage: LabelCounts = { taken: new Float64Array(labels), newStates: new Float64Array(labels) };
  const frontierOnly = engine.frontierOnly;
  if (frontierOnly && opts.observer) throw new Error('an observer needs every edge between state ids; fingerprint mode has none');
  const parent = frontierOnly ? null : new ParentLinks();
  let generated = 0;
  const continueAfter = opts.continue ?? false;
  /** What was found, in order; their traces are built once the state that found them is expanded. */
  const violations: Violation[] = [];
  /** Per violation, the state its trace ends at (-1: an initial state's step failed). */
  const violatedAt: number[] = [];
  let traced = 0;
  /** Properties already reported, by propertyIndex: not checked again. */
  const reported = new Uint8Array(engine.program.invariants.length + engine.program.finals.length);
  let deadlockReported = false;
  /** Step checks (assert, built-in) already reported, by property. */
  const reportedSteps = new Set<string>();
  /** A failure ended the search. */
  let stopped = false;
  let limit: string | null = null;
  let finishedStates = 0;
  /** The stored states that falsify a constraint: not distinct states, never expanded (TLC's CONSTRAINT). */
  const inModel = constraintTest(engine);
  const outsideModel = new Set<number>();

  // Level bookkeeping: ids below `levelEnd` belong to the current level or earlier.
  let depth = 0;
  let levelEnd = 0;
  let current = -1;
  let anySuccessor = false;
  const observer = opts.observer;
  const enabled = new Uint8Array(engine.program.instances.length);

  const found = (failure: Failure, at: number, failingStep: Violation['failingStep']): void => {
    violations.push({ failure, failingStep, trace: null });
    violatedAt.push(at);
  };
  /**
   * Every property a new state violates that was not reported yet; without `continue` the first
   * ends the search. So every stored state satisfies every property not reported, and a state
   * found by expanding one (`current` >= 0) is checked as such (Engine.checkState's `fromExpanded`).
   */
  const checkNew = (id: number): void => {
    for (let f = engine.checkState(id, reported, current >= 0); f; f = engine.checkState(id, reported, current >= 0)) {
      found(f, id, null);
      const k = continueAfter ? propertyIndex(engine.program, f) : -1;
      if (k < 0) {
        stopped = true;
        return;
      }
      reported[k] = 1;
    }
  };
  /** The traces of the violations found so far; a frontier-only engine can rebuild them only while their states are stored. */
  const buildTraces = (): void => {
    for (; traced < violations.length; traced++) {
      const at = violatedAt[traced];
      violations[traced].trace = at < 0 ? [] : parent ? rebuildTrace(engine, at, (id) => parent.get(id)) : frontierOnly!.traceTo(at);
    }
  };

  let successorsSeen = 0;
  const sink = (id: number, isNew: boolean, instance: number, label: number, copies: number): void => {
    generated += copies;
    // The other limits are looked at between states, and also every 2^16 successors, so that one
    // state with a huge number of successors (`with` over a large range) cannot outrun them.
    if ((++successorsSeen & 0xffff) === 0 && (limit = stopForLimit(memoryDue()))) throw STOP;
    if (label >= 0) {
      executed[label] = 1;
      coverage.taken[label]++;
      if (isNew) coverage.newStates[label]++;
      anySuccessor = true;
      if (observer) {
        enabled[instance] = 1;
        observer.edge(current, id, instance, label);
      }
    }
    if (!isNew) return;
    parent?.set(id, current);
    checkNew(id);
    if (stopped) throw STOP;
    if (inModel && !modelHolds(id)) outsideModel.add(id);
    // The state limit is looked at for every new state, so the search stops at the limit exactly.
    if (engine.size() - outsideModel.size >= maxStates) {
      limit = maxStatesText(maxStates);
      throw STOP;
    }
  };
  const maxStates = opts.maxStates ?? Infinity;
  /** Whether new state `id` satisfies the constraints; a runtime error in one ends the search there. */
  const modelHolds = (id: number): boolean => {
    try {
      return inModel!(id);
    } catch (e) {
      if (!(e instanceof StepFailure)) throw e;
      found(e.failure, id, null);
      stopped = true;
      throw STOP;
    }
  };

  /** With `continue`: a failing path of a step. The process could step, so the state is no deadlock. */
  const stepFailed = !continueAfter
    ? undefined
    : (e: StepFailure): void => {
        anySuccessor = true;
        if (observer) enabled[e.instance] = 1;
        const step = { instance: e.instance, label: e.label };
        if (e.failure.kind === 'runtime') {
          found(e.failure, current, step);
          stopped = true;
          throw STOP;
        }
        if (reportedSteps.has(e.failure.property)) return;
        reportedSteps.add(e.failure.property);
        found(e.failure, current, step);
      };

  const memory = defaultMemoryLimit();
  const stopForLimit = (readMemory: boolean): string | null => limitReached(opts, engine.size(), started, memory, readMemory);
  const memoryDue = memoryReadClock();

  try {
    engine.initial(sink);
  } catch (e) {
    if (!(e instanceof StepFailure) && e !== STOP) throw e;
    if (e instanceof StepFailure) {
      found(e.failure, -1, null);
      stopped = true;
    }
  }
  buildTraces();

  let lastProgress = started;
  const progressEvery = opts.progressEveryMs ?? 10_000;
  // A first line once the initial states are stored, as TLC reports them, so that a reader (or a
  // test) knows the search is under way.
  opts.progress?.({ distinct: engine.size() - outsideModel.size, generated, depth, queue: engine.size(), elapsedMs: Date.now() - started });
  // A level counts towards the depth once one of its states is expanded: with a constraint, a
  // level may hold only states outside the model, which TLC never queues.
  let levelCounted = false;
  for (current = 0; !stopped && !limit && current < engine.size(); current++) {
    if (current === levelEnd) {
      levelEnd = engine.size();
      levelCounted = false;
    }
    if (outsideModel.has(current)) continue;
    if (!levelCounted) {
      depth++;
      levelCounted = true;
      if (opts.maxDepth !== undefined && depth > opts.maxDepth) {
        limit = maxDepthText(opts.maxDepth);
        depth--;
        break;
      }
    }
    // The time limit and an interrupt are looked at before every expansion (a state of a model
    // with heavy definitions can take tens of milliseconds); the resident memory every 1,024 once
    // it is due (memoryDue).
    limit = stopForLimit((current & 1023) === 0 && memoryDue());
    if (limit) break;
    if ((current & 1023) === 0) {
      frontierOnly?.forget(current);
      if (opts.progress && Date.now() - lastProgress >= progressEvery) {
        lastProgress = Date.now();
        opts.progress({ distinct: engine.size() - outsideModel.size, generated, depth, queue: engine.size() - current, elapsedMs: lastProgress - started });
      }
    }
    anySuccessor = false;
    if (observer) enabled.fill(0);
    try {
      engine.successors(current, sink, stepFailed);
      observer?.expanded(current, enabled);
    } catch (e) {
      if (e === STOP) break;
      if (outOfMemory(e)) {
        limit = ALLOCATION_FAILED_TEXT;
        break;
      }
      if (!(e instanceof StepFailure)) throw e;
      found(e.failure, current, { instance: e.instance, label: e.label });
      stopped = true;
      break;
    }
    const finished = engine.allDone(current);
    if (finished) finishedStates++;
    generated += stutteringSteps(finished);
    if (!deadlockReported && isDeadlock(anySuccessor, finished, opts.deadlock)) {
      found(deadlockFailure(), current, null);
      deadlockReported = true;
      stopped = !continueAfter;
    }
    buildTraces();
  }
  buildTraces();
  // A last progress line with the final figures, as TLC prints one.
  opts.progress?.({ distinct: engine.size() - outsideModel.size, generated, depth, queue: Math.max(0, engine.size() - current - 1), elapsedMs: Date.now() - started });
  const first = violations.length > 0 ? violations[0] : null;
  return {
    ...searchEnd(first?.failure ?? null, first?.failingStep ?? null, limit, first?.trace ?? null, depth, continueAfter ? { violations, stopped } : undefined),
    distinct: engine.size() - outsideModel.size,
    generated,
    elapsedMs: Date.now() - started,
    executed,
    coverage,
    finishedStates,
    traceBytes: parent?.bytes() ?? 0,
    ...(parent ? { parentOf: (id: number) => parent.get(id) } : {}),
  };
}

/** The states from an initial state to `last` by parent links, each with the step that reached it. */
export function rebuildTrace(engine: Engine, last: number, parentOf: (id: number) => number): TraceStep[] {
  const ids: number[] = [];
  for (let id = last; id >= 0; id = parentOf(id)) ids.push(id);
  ids.reverse();
  return ids.map((id, i) => ({ ...(i === 0 ? { instance: -1, label: -1 } : stepBetween(engine, ids[i - 1], id)), state: engine.decode(id) }));
}

/**
 * The step that first reached state `to` from state `from`: the parent's successors computed again
 * up to that one. They come in the order the search saw them, so every one before is already
 * stored; a path that fails (found by a --continue search, which went on past it) is passed over
 * as the search passed over it.
 */
/** A failed path while steps are computed again: the search has reported it already. */
export const skipFailedPath = (): void => {};

function stepBetween(engine: Engine, from: number, to: number): { instance: number; label: number } {
  let step: { instance: number; label: number } | null = null;
  try {
    engine.successors(from, (id, _isNew, instance, label) => {
      if (id !== to) return;
      step = { instance, label };
      throw FOUND;
    }, skipFailedPath);
  } catch (e) {
    if (e !== FOUND) throw e;
  }
  if (!step) throw new Error(`trace rebuild: no step from state ${from} reaches state ${to}`);
  return step;
}
