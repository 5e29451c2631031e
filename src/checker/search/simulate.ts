// `lockspec simulate`: random walks from the initial states that check the same properties as a
// full search, for models too large to explore. A seeded generator makes every run repeatable;
// a violation comes with the trace of the walk that found it (not necessarily the shortest).
import { StepFailure, type Engine, type Failure, type TraceStep } from '../engine/contract.js';
import { constraintTest } from './constraints.js';
import { deadlockFailure, INTERRUPTED_TEXT, searchEnd, type ExploreResult } from './results.js';

export interface SimulateOptions {
  deadlock: boolean;
  runs: number;
  depth: number;
  seed: number;
  /** Polled between runs: Ctrl-C ends the simulation with what it found so far. */
  interrupted?: () => boolean;
}

/** mulberry32: a small, fast, seeded generator. */
export function randomGenerator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random walks on `engine`; the result counts the states the walks stored and the labels they ran. */
export function simulate(engine: Engine, opts: SimulateOptions): ExploreResult {
  const started = Date.now();
  const executed = new Uint8Array(engine.program.labels.length);
  let generated = 0;
  let depth = 0;
  const result = (end: ReturnType<typeof searchEnd>): ExploreResult => ({
    ...end,
    distinct: engine.size(),
    generated,
    elapsedMs: Date.now() - started,
    executed,
    coverage: null,
    finishedStates: 0,
    traceBytes: 0,
  });
  const random = randomGenerator(opts.seed);
  const inModel = constraintTest(engine);
  const candidates: { id: number; instance: number; label: number }[] = [];
  const collect = (id: number, _isNew: boolean, instance: number, label: number): void => {
    generated++;
    candidates.push({ id, instance, label });
  };
  const fail = (path: { id: number; instance: number; label: number }[], failure: Failure, failingStep: ExploreResult['failingStep']): ExploreResult => {
    const trace: TraceStep[] = path.map((p) => ({ instance: p.instance, label: p.label, state: engine.decode(p.id) }));
    // The depth is this walk's: the deepest of earlier runs does not count.
    return result(searchEnd(failure, failingStep, null, trace, 0));
  };
  for (let run = 0; run < opts.runs; run++) {
    if (opts.interrupted?.()) return result(searchEnd(null, null, INTERRUPTED_TEXT, null, depth));
    candidates.length = 0;
    try {
      engine.initial(collect);
    } catch (e) {
      if (e instanceof StepFailure) return fail([], e.failure, null);
      throw e;
    }
    const path = [candidates[Math.floor(random() * candidates.length)]];
    for (let step = 0; ; step++) {
      const here = path[path.length - 1];
      if (here.label >= 0) executed[here.label] = 1;
      const violated = engine.checkState(here.id);
      if (violated) return fail(path, violated, null);
      if (step >= opts.depth || engine.allDone(here.id)) break;
      candidates.length = 0;
      try {
        // A state outside the constraints ends the walk: it is never expanded.
        if (inModel && !inModel(here.id)) break;
        engine.successors(here.id, collect);
      } catch (e) {
        if (e instanceof StepFailure) return fail(path, e.failure, { instance: e.instance, label: e.label });
        throw e;
      }
      if (candidates.length === 0) {
        if (opts.deadlock) return fail(path, deadlockFailure(), null);
        break;
      }
      path.push({ ...candidates[Math.floor(random() * candidates.length)] });
      depth = Math.max(depth, path.length);
    }
  }
  return result(searchEnd(null, null, null, null, depth));
}
