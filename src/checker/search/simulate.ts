// `lockspec simulate`: random walks from the initial states that check the same properties as a
// full search, for models too large to explore. A seeded generator makes every run repeatable;
// a violation comes with the trace of the walk that found it (not necessarily the shortest).
import { loadModel, displayPath, type ModelFiles } from '../../pipeline/load-model.js';
import { StepFailure, type Failure } from '../engine/contract.js';
import { createEngine, type EngineName } from '../engine/create-engine.js';
import { locatedFailure, outcomeBefore, withRuntimeError, type CheckOutcome } from '../check.js';
import type { TraceStep } from './breadth-first.js';
import { deadlockFailure, INTERRUPTED_TEXT, searchEnd } from './results.js';

export interface SimulateOptions {
  design: string | null;
  consts: [string, string][];
  deadlock: boolean;
  runs: number;
  depth: number;
  seed: number;
  engine?: EngineName;
  /** Polled between runs: Ctrl-C ends the simulation with what it found so far. */
  interrupted?: () => boolean;
  files?: ModelFiles;
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

export function simulateModel(file: string, opts: SimulateOptions): CheckOutcome {
  const started = Date.now();
  const engineName = opts.engine ?? 'compiled';
  const loaded = loadModel(file, { design: opts.design, consts: opts.consts, files: opts.files });
  const outcome = outcomeBefore(
    { spec: displayPath(file), design: opts.design, engine: engineName, sources: loaded.sources },
    loaded.program,
    loaded.diagnostics,
  );
  if (!loaded.program) return { ...outcome, verdict: 'error' };
  const engine = createEngine(engineName, loaded.program);
  const random = randomGenerator(opts.seed);
  const executed = new Uint8Array(loaded.program.labels.length);
  const candidates: { id: number; instance: number; label: number }[] = [];
  const collect = (id: number, _isNew: boolean, instance: number, label: number): void => {
    outcome.generated++;
    candidates.push({ id, instance, label });
  };
  const fail = (path: { id: number; instance: number; label: number }[], failure: Failure, failingStep: CheckOutcome['failingStep']): CheckOutcome => {
    const trace: TraceStep[] = path.map((p) => ({ instance: p.instance, label: p.label, state: engine.decode(p.id) }));
    // The depth is this walk's: the deepest of earlier runs does not count.
    const end = searchEnd(failure, failingStep, null, trace, 0);
    return { ...outcome, ...end, failure: locatedFailure(end.failure, outcome.sources), distinct: engine.size(), elapsedMs: Date.now() - started, diagnostics: withRuntimeError(outcome.diagnostics, end) };
  };
  for (let run = 0; run < opts.runs; run++) {
    if (opts.interrupted?.()) {
      return { ...outcome, ...searchEnd(null, null, INTERRUPTED_TEXT, null, outcome.depth), distinct: engine.size(), elapsedMs: Date.now() - started };
    }
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
      outcome.depth = Math.max(outcome.depth, path.length);
    }
  }
  return {
    ...outcome,
    distinct: engine.size(),
    elapsedMs: Date.now() - started,
    deadLabels: loaded.program.labels.filter((_, i) => !executed[i]).map((l) => l.name),
  };
}
