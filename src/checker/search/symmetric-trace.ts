// Under symmetry the engines store one state per orbit and link each to the canonical state it was
// reached from, so a trace rebuilt from the links is a chain of representatives: the step from one
// to the next is taken by some process in an image of the state, not necessarily in the state
// shown, and the trace as stored cannot happen. It is made real by replaying it on the reference
// evaluator without symmetry: from an initial state in the first state's orbit, each step goes to
// a real successor in the next state's orbit, named by the process that really takes it.
import type { Program } from '../../lang/ir.js';
import { StepFailure, type StateView, type TraceStep } from '../engine/contract.js';
import { instancePermutations, permuteView, sameView, symmetryPermutations } from '../engine/permutations.js';
import { ReferenceEngine } from '../engine/reference-engine.js';
import { skipFailedPath } from './breadth-first.js';
import type { SearchEnd } from './results.js';

/** A trace and its failing step that can happen: those given when there is no symmetry. */
export function realTrace(program: Program, end: Pick<SearchEnd, 'trace' | 'failingStep'>): Pick<SearchEnd, 'trace' | 'failingStep'> {
  const perms = symmetryPermutations(program);
  if (perms.length === 0 || !end.trace || end.trace.length === 0) return end;
  const targets = instancePermutations(program, perms);
  const inOrbit = (s: StateView, representative: StateView): boolean => perms.some((pi, p) => sameView(permuteView(s, pi, targets[p]), representative));
  const engine = new ReferenceEngine({ ...program, symmetry: undefined });
  const steps: { id: number; instance: number; label: number }[] = [];
  const collect = (id: number, _isNew: boolean, instance: number, label: number): void => {
    steps.push({ id, instance, label });
  };
  const stepInto = (representative: StateView): { id: number; instance: number; label: number } => {
    const step = steps.find((s) => inOrbit(engine.decode(s.id), representative));
    if (!step) throw new Error('symmetric trace: no real step reaches the next state of the trace');
    return step;
  };
  engine.initial(collect);
  let at = stepInto(end.trace[0].state);
  const trace: TraceStep[] = [{ instance: -1, label: -1, state: engine.decode(at.id) }];
  for (const next of end.trace.slice(1)) {
    steps.length = 0;
    engine.successors(at.id, collect, skipFailedPath);
    at = stepInto(next.state);
    trace.push({ instance: at.instance, label: at.label, state: engine.decode(at.id) });
  }
  if (!end.failingStep) return { trace, failingStep: null };
  // The failing step fails in every image of the last state: the real one names its own process.
  try {
    engine.successors(at.id, () => {});
  } catch (e) {
    if (e instanceof StepFailure) return { trace, failingStep: { instance: e.instance, label: e.label } };
    throw e;
  }
  throw new Error('symmetric trace: the failing step does not fail in the real state');
}
