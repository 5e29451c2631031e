// Under symmetry the engines store one state per orbit, but a reported trace must be a behaviour
// the model has: replayed step by step on the reference engine (without symmetry) from an initial
// state, each step by the process the report names must reach the state the report shows; the
// text, JSON and ITF reports show that same sequence.
import { ReferenceEngine } from '../../src/checker/engine/reference-engine.js';
import { StepFailure, type StateView } from '../../src/checker/engine/contract.js';
import type { CheckOutcome } from '../../src/checker/check.js';
import { checkModel } from '../../src/pipeline/check-file.js';
import { checkToJson, itfValue, namedState, traceToItf } from '../../src/report/json.js';
import { formatCheck } from '../../src/report/text.js';
import { writeModel } from '../helpers.js';

const READERS = writeModel(`algorithm Readers {
  constants READERS = {r1, r2, r3};
  values r1, r2, r3;
  variables begun = {}, lo = 0, reads = [r \\in READERS |-> 0];
  invariant NotAllRead == ~(\\A r \\in READERS : reads[r] = 2);
  process (reader \\in READERS) {
  begin: begun := begun \\cup {self};
  rd:    assert self \\in begun;
         reads[self] := lo + 1;
  }
  process (writer = "w") { w: lo := 1; }
}
`);

const MODELS: [string, string, { consts?: [string, string][]; symmetry: string[] }][] = [
  ['readers', READERS, { symmetry: ['READERS'] }],
  ['refpool, non-atomic put', 'examples/refpool.lspec', { consts: [['ATOMIC_PUT', 'FALSE'], ['USERS', '{u1, u2, u3}']], symmetry: ['USERS', 'OBJS'] }],
];

/** Replays the outcome's trace on the reference engine without symmetry; returns the states it reached. */
function replay(o: CheckOutcome): string[] {
  const program = { ...o.program!, symmetry: undefined };
  const engine = new ReferenceEngine(program);
  const key = (s: StateView): string => JSON.stringify(namedState(program, s, itfValue));
  const trace = o.trace!;
  const initial: number[] = [];
  engine.initial((id) => initial.push(id));
  let at = initial.find((id) => key(engine.decode(id)) === key(trace[0].state));
  expect(at).toBeDefined();
  for (let i = 1; i < trace.length; i++) {
    const next: number[] = [];
    engine.successors(at!, (id, _n, instance, label) => {
      if (instance === trace[i].instance && label === trace[i].label && key(engine.decode(id)) === key(trace[i].state)) next.push(id);
    });
    if (next.length === 0) throw new Error(`step ${i} by ${program.instances[trace[i].instance].display} at ${program.labels[trace[i].label].name} cannot happen`);
    at = next[0];
  }
  if (o.failingStep) {
    let failed: StepFailure | null = null;
    try {
      engine.successors(at!, () => {});
    } catch (e) {
      failed = e as StepFailure;
    }
    expect(failed && [failed.instance, failed.label]).toEqual([o.failingStep.instance, o.failingStep.label]);
  }
  return trace.map((t) => key(t.state));
}

describe.each(MODELS)('%s under symmetry', (_, file, load) => {
  test.each([['compiled', {}], ['reference', { engine: 'reference' as const }], ['workers', { workers: 2 }]])('the %s search reports a trace that can happen', (_e, opts) => {
    const o = checkModel(file, { ...load, ...opts });
    expect(o.verdict).toBe('violation');
    const states = replay(o);
    // JSON and ITF show the same steps and states.
    const json = checkToJson(o) as { trace: { process: string | null }[] };
    expect(json.trace.map((t) => t.process)).toEqual(o.trace!.map((t) => (t.instance < 0 ? null : o.program!.instances[t.instance].display)));
    const itf = traceToItf(o) as { states: Record<string, unknown>[] };
    expect(itf.states.map(({ '#meta': _m, ...s }) => JSON.stringify(s))).toEqual(states);
    // The text names the process of each step.
    const text = formatCheck(o);
    for (const t of o.trace!.slice(1)) expect(text).toContain(o.program!.instances[t.instance].display);
  });
});
