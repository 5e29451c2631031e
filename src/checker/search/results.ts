// What a search reports, decided in one place for the breadth-first explorer, the parallel search
// and the simulator: the result's type, the verdict from the failure and the limit, the deadlock
// failure and how an expanded state counts, and the limits with the words reports use for them.
import { getHeapStatistics } from 'node:v8';
import { totalmem } from 'node:os';
import type { Failure, TraceStep } from '../engine/contract.js';

/** `error`: a runtime error in the model (a mistake in the spec, not a finding). */
export type Verdict = 'ok' | 'violation' | 'deadlock' | 'incomplete' | 'error';

/** One property's first violation: the failure, the shortest trace to it, and a failing step's step. */
export interface Violation {
  failure: Failure;
  failingStep: { instance: number; label: number } | null;
  trace: TraceStep[] | null;
  /** For a progress property's lasso: the trace's state its last step returns to (the last state: it stutters). */
  loop?: number | null;
  /** For a lasso: each process's behaviour on its cycle, in instance order. */
  cycle?: CycleConduct[] | null;
  /** For a lock-order cycle: each acquisition on it, with a shortest behaviour that ends with it. */
  paths?: { title: string; trace: TraceStep[] }[];
}

/**
 * What one process does on a lasso's cycle, and so which fairness it satisfies there: it takes
 * steps; it has finished; it stays at label `at` where its fair steps are never enabled, or are
 * disabled in trace state `disabledIn` (weak fairness asks no more); or, not fair, it just stops.
 */
export interface CycleConduct {
  instance: number;
  fairness: 'weak' | 'strong' | 'none';
  conduct: 'steps' | 'finished' | 'never-enabled' | 'disabled' | 'stops';
  /** The trace index of a cycle state where none of its fair steps is enabled (conduct `disabled`). */
  disabledIn: number | null;
  /** The label it stays at (a process that takes no step on the cycle and has not finished). */
  at: number | null;
}

/** How a search ended: the part of its result that does not count states. */
export interface SearchEnd {
  verdict: Verdict;
  /** The first violation found (also the first of `violations`). */
  failure: Failure | null;
  /** For a failing step: the step that failed, after the trace's last state. */
  failingStep: { instance: number; label: number } | null;
  /** Which limit stopped an incomplete search. */
  limit: string | null;
  /** Breadth-first levels reached; the initial states are level 1 (TLC's depth). */
  depth: number;
  trace: TraceStep[] | null;
  /** Every property found violated, each once, in the order found (--continue finds more than one). */
  violations: Violation[];
  /** Whether every reachable state was expanded (no limit, no violation stopped the search). */
  exhausted: boolean;
}

/** Per label index: steps taken from it (successors generated, old or new) and the new states they found. */
export interface LabelCounts {
  taken: Float64Array;
  newStates: Float64Array;
}

export interface ExploreResult extends SearchEnd {
  distinct: number;
  generated: number;
  elapsedMs: number;
  /** Per label: whether some step starting at it was ever taken. */
  executed: Uint8Array;
  /** Per label, how often its step was taken and how many new states it produced (TLC's -coverage); null when not counted (several threads, random walks). */
  coverage: LabelCounts | null;
  /** States in which every process had finished. */
  finishedStates: number;
  /** Bytes of the parent links that rebuild traces. */
  traceBytes: number;
  /**
   * Each stored state's parent on a shortest path from an initial state (-1 for an initial state),
   * when the search kept them (one thread, exact storage): rebuildTrace's links.
   */
  parentOf?: (id: number) => number;
}

/** The verdict of each kind of failure: a runtime error is a mistake in the model. */
const failureVerdict: Record<Failure['kind'], Verdict> = {
  invariant: 'violation',
  final: 'violation',
  assert: 'violation',
  builtin: 'violation',
  runtime: 'error',
  deadlock: 'deadlock',
  temporal: 'violation',
  cover: 'violation',
};

/**
 * How a search ended, from what it found: a failure wins over a limit (the limit is then not
 * reported), and a failure's trace counts towards the depth. A search that went on past its
 * violations (`continued`, --continue) gives them all, the first one first, and keeps its limit:
 * it says whether the lock statistics and the coverage are exact.
 */
export function searchEnd(
  failure: Failure | null,
  failingStep: SearchEnd['failingStep'],
  limit: string | null,
  trace: TraceStep[] | null,
  depth: number,
  continued?: { violations: Violation[]; stopped: boolean },
): SearchEnd {
  const violations = continued?.violations ?? (failure ? [{ failure, failingStep, trace }] : []);
  // A runtime error is a mistake in the model: it makes the verdict `error` wherever it was found.
  const verdict: Verdict = violations.some((v) => v.failure.kind === 'runtime') ? 'error' : failure ? failureVerdict[failure.kind] : limit ? 'incomplete' : 'ok';
  const deepest = Math.max(depth, ...violations.map((v) => v.trace?.length ?? 0));
  return {
    verdict,
    failure,
    failingStep,
    limit: failure && !continued ? null : limit,
    depth: deepest,
    trace,
    violations,
    exhausted: continued ? !continued.stopped && !limit : !failure && !limit,
  };
}

/** A state where no process can step and not all have finished (a new object each time). */
export function deadlockFailure(): Failure {
  return { kind: 'deadlock', property: 'Deadlock', message: 'no process can take a step and not every process has finished', span: null };
}

/**
 * States generated besides an expanded state's successors: PlusCal's translation adds a
 * stuttering step once every process has finished, and TLC generates that state, so it is
 * counted too. A finished state is never a deadlock.
 */
export const stutteringSteps = (finished: boolean): number => (finished ? 1 : 0);

/** Whether an expanded state is a deadlock: no successor, not finished, and deadlocks checked. */
export const isDeadlock = (anySuccessor: boolean, finished: boolean, checkDeadlock: boolean): boolean => !anySuccessor && !finished && checkDeadlock;

export interface Limits {
  maxStates?: number;
  maxDepth?: number;
  timeLimitMs?: number;
  /** Stop when the process's resident memory exceeds this many bytes. */
  maxMemoryBytes?: number;
  /** Polled while searching; returning true stops the search as incomplete (Ctrl-C). */
  interrupted?: () => boolean;
}

/** The default memory ceiling: well inside the JS heap limit and half the machine's memory. */
export function defaultMemoryLimit(): { heapBytes: number; totalBytes: number } {
  return { heapBytes: getHeapStatistics().heap_size_limit * 0.8, totalBytes: totalmem() * 0.5 };
}

/** How often a search reads the resident memory at most, in milliseconds (limitReached's readMemory). */
const MEMORY_READ_EVERY_MS = 100;

/**
 * A search's clock for limitReached's `readMemory`: true when MEMORY_READ_EVERY_MS have passed
 * since it last said true (a read of the resident memory costs up to milliseconds in a large search).
 */
export function memoryReadClock(): () => boolean {
  let last = -Infinity;
  return () => {
    const now = Date.now();
    if (now - last < MEMORY_READ_EVERY_MS) return false;
    last = now;
    return true;
  };
}

export const INTERRUPTED_TEXT = 'interrupted';
export const memoryLimitText = (bytes: number): string => `memory-limit ${Math.round(bytes / 2 ** 20)} MiB`;
export const maxStatesText = (states: number): string => `max-states ${states}`;
export const maxDepthText = (depth: number): string => `max-depth ${depth}`;
/** An allocation failed: the limit a search reports when memory ran out before it could check. */
export const ALLOCATION_FAILED_TEXT = 'memory (an allocation failed)';

/**
 * The limit a search has reached, if any, in the words reports use; memory only when
 * `readMemory` (reading it costs tens of microseconds).
 */
export function limitReached(
  opts: Limits,
  stored: number,
  started: number,
  memory: { heapBytes: number; totalBytes: number },
  readMemory: boolean,
): string | null {
  if (opts.maxStates !== undefined && stored >= opts.maxStates) return maxStatesText(opts.maxStates);
  if (opts.interrupted?.()) return INTERRUPTED_TEXT;
  if (opts.timeLimitMs !== undefined && Date.now() - started >= opts.timeLimitMs) return `time-limit ${opts.timeLimitMs / 1000}s`;
  if (!readMemory) return null;
  // The resident set: what the user sees the process use (the JS heap is a part of it, and the
  // parallel search's shared buffers are reserved far beyond what they hold).
  const m = process.memoryUsage();
  const used = m.rss;
  if (opts.maxMemoryBytes !== undefined) {
    if (used >= opts.maxMemoryBytes) return memoryLimitText(opts.maxMemoryBytes);
  } else if (m.heapUsed >= memory.heapBytes || used >= memory.totalBytes) {
    return `memory (${Math.round(used / 2 ** 20)} MiB in use, near the safe share of this machine)`;
  }
  return null;
}
