// Breadth-first exploration over an engine: every reachable state once, every property in every
// state, deadlock detection, limits, coverage, and the shortest trace to the first failure.
// State ids are handed out in the order states are first stored, which for a breadth-first search
// is the queue itself: the search walks ids 0, 1, 2, ... and needs no queue of its own.
import { getHeapStatistics } from 'node:v8';
import { totalmem } from 'node:os';
import type { Engine, Failure, StateView } from './engine.js';
import { StepFailure } from './engine.js';

/** The default memory ceiling: well inside the JS heap limit and half the machine's memory. */
export function defaultMemoryLimit(): { heapBytes: number; totalBytes: number } {
  return { heapBytes: getHeapStatistics().heap_size_limit * 0.8, totalBytes: totalmem() * 0.5 };
}

/** An allocation that failed because memory ran out (typed arrays, or V8's own RangeErrors). */
function outOfMemory(e: unknown): boolean {
  return e instanceof RangeError && /allocation failed|Invalid typed array length|Invalid array length|Array buffer/i.test(e.message);
}

export interface Limits {
  maxStates?: number;
  maxDepth?: number;
  timeLimitMs?: number;
  /** Stop when the JS heap plus array buffers exceed this many bytes. */
  maxMemoryBytes?: number;
  /** Polled while searching; returning true stops the search as incomplete (Ctrl-C). */
  interrupted?: () => boolean;
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
  observer?: ExploreObserver;
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

export interface TraceStep {
  /** Instance index and label index of the step that led here; -1 for the initial state. */
  instance: number;
  label: number;
  state: StateView;
}

export type Verdict = 'ok' | 'violation' | 'deadlock' | 'incomplete';

export interface ExploreResult {
  verdict: Verdict;
  failure: Failure | null;
  /** For a failing step: the step that failed, after the trace's last state. */
  failingStep: { instance: number; label: number } | null;
  /** Which limit stopped an incomplete search. */
  limit: string | null;
  distinct: number;
  generated: number;
  /** Breadth-first levels reached; the initial states are level 1 (TLC's depth). */
  depth: number;
  elapsedMs: number;
  trace: TraceStep[] | null;
  /** Per label: whether some step starting at it was ever taken. */
  executed: Uint8Array;
  /** States in which every process had finished. */
  finishedStates: number;
  /** Bytes of the parent links and step records that rebuild traces. */
  traceBytes: number;
}

/** A growable Int32Array. */
class IntColumn {
  data = new Int32Array(1 << 12);
  set(i: number, v: number): void {
    if (i >= this.data.length) {
      let n = this.data.length * 2;
      while (n <= i) n *= 2;
      const next = new Int32Array(n);
      next.set(this.data);
      this.data = next;
    }
    this.data[i] = v;
  }
}

/** Thrown from the sink to leave an engine's successor loop at the first failing state, as TLC does. */
class StopAtFailure extends Error {}
const STOP = new StopAtFailure();

export function explore(engine: Engine, opts: ExploreOptions): ExploreResult {
  const started = Date.now();
  const labels = engine.program.labels.length;
  const executed = new Uint8Array(labels);
  const parent = new IntColumn();
  const stepOf = new IntColumn(); // instance << 16 | label, -1 for initial states
  let generated = 0;
  let failure: Failure | null = null;
  let failingStep: { instance: number; label: number } | null = null;
  let failedAt = -1;
  let limit: string | null = null;
  let finishedStates = 0;

  // Level bookkeeping: ids below `levelEnd` belong to the current level or earlier.
  let depth = 0;
  let levelEnd = 0;
  let current = -1;
  let anySuccessor = false;
  const observer = opts.observer;
  const enabled = new Uint8Array(engine.program.instances.length);

  const checkNew = (id: number): void => {
    const f = engine.checkState(id);
    if (f && !failure) {
      failure = f;
      failedAt = id;
    }
  };

  const sink = (id: number, isNew: boolean, instance: number, label: number): void => {
    generated++;
    if (label >= 0) {
      executed[label] = 1;
      anySuccessor = true;
      if (observer) {
        enabled[instance] = 1;
        observer.edge(current, id, instance, label);
      }
    }
    if (!isNew) return;
    parent.set(id, current);
    stepOf.set(id, instance < 0 ? -1 : (instance << 16) | label);
    if (!failure) {
      checkNew(id);
      if (failure) throw STOP;
    }
  };

  const memory = defaultMemoryLimit();
  const stopForLimit = (): string | null => {
    if (opts.maxStates !== undefined && engine.size() >= opts.maxStates) return `max-states ${opts.maxStates}`;
    if (opts.interrupted?.()) return 'interrupted';
    if (opts.timeLimitMs !== undefined && Date.now() - started >= opts.timeLimitMs) return `time-limit ${opts.timeLimitMs / 1000}s`;
    const m = process.memoryUsage();
    if (opts.maxMemoryBytes !== undefined) {
      if (m.heapUsed + m.arrayBuffers >= opts.maxMemoryBytes) return `memory-limit ${Math.round(opts.maxMemoryBytes / 2 ** 20)} MiB`;
    } else if (m.heapUsed >= memory.heapBytes || m.heapUsed + m.arrayBuffers >= memory.totalBytes) {
      return `memory (${Math.round((m.heapUsed + m.arrayBuffers) / 2 ** 20)} MiB in use, near the safe share of this machine)`;
    }
    return null;
  };

  try {
    engine.initial(sink);
  } catch (e) {
    if (!(e instanceof StepFailure) && e !== STOP) throw e;
    if (e instanceof StepFailure) failure = e.failure;
  }

  let lastProgress = started;
  const progressEvery = opts.progressEveryMs ?? 10_000;
  for (current = 0; !failure && current < engine.size(); current++) {
    if (current === levelEnd) {
      depth++;
      levelEnd = engine.size();
      if (opts.maxDepth !== undefined && depth > opts.maxDepth) {
        limit = `max-depth ${opts.maxDepth}`;
        depth--;
        break;
      }
    }
    if ((current & 1023) === 0) {
      limit = stopForLimit();
      if (limit) break;
      if (opts.progress && Date.now() - lastProgress >= progressEvery) {
        lastProgress = Date.now();
        opts.progress({ distinct: engine.size(), generated, depth, queue: engine.size() - current, elapsedMs: lastProgress - started });
      }
    }
    anySuccessor = false;
    if (observer) enabled.fill(0);
    try {
      engine.successors(current, sink);
      observer?.expanded(current, enabled);
    } catch (e) {
      if (e === STOP) break;
      if (outOfMemory(e)) {
        limit = 'memory (an allocation failed)';
        break;
      }
      if (!(e instanceof StepFailure)) throw e;
      failure = e.failure;
      failingStep = { instance: e.instance, label: e.label };
      failedAt = current;
      break;
    }
    if (engine.allDone(current)) {
      // PlusCal's translation adds a stuttering step once every process has finished; TLC
      // generates that state, so it is counted here too. It is never a deadlock.
      generated++;
      finishedStates++;
    } else if (!anySuccessor && opts.deadlock && !failure) {
      failure = { kind: 'deadlock', property: 'Deadlock', message: 'no process can take a step and not every process has finished', span: null };
      failedAt = current;
    }
  }
  const trace = failure ? rebuildTrace(engine, failedAt, parent.data, stepOf.data) : null;
  if (failure && trace) depth = Math.max(depth, trace.length);
  const verdict: Verdict = failure ? (failure.kind === 'deadlock' ? 'deadlock' : 'violation') : limit ? 'incomplete' : 'ok';
  return {
    verdict,
    failure,
    failingStep,
    limit: failure ? null : limit,
    distinct: engine.size(),
    generated,
    depth,
    elapsedMs: Date.now() - started,
    trace,
    executed,
    finishedStates,
    traceBytes: parent.data.byteLength + stepOf.data.byteLength,
  };
}

function rebuildTrace(engine: Engine, last: number, parent: Int32Array, stepOf: Int32Array): TraceStep[] {
  if (last < 0) return [];
  const ids: number[] = [];
  for (let id = last; id >= 0; id = parent[id]) ids.push(id);
  ids.reverse();
  return ids.map((id) => {
    const s = stepOf[id];
    return { instance: s < 0 ? -1 : s >>> 16, label: s < 0 ? -1 : s & 0xffff, state: engine.decode(id) };
  });
}
