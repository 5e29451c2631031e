// Temporal and reachable properties on random models (test/gen/models.ts with its progress
// properties: every supported temporal shape over random state predicates, fair and unfair
// processes): the compiled engine must give the reference evaluator's verdict, failing property,
// counts, trace and lasso loop, with and without --continue. A disagreement prints the model.
//
// LOCKSPEC_PROGRESS_RUNS=N runs N random models instead of 150; LOCKSPEC_PROGRESS_SEED=S another
// seed (the default one is fixed, so that a landing is not decided by the draw).
import fc from 'fast-check';
import type { CheckOutcome } from '../../../src/checker/check.js';
import { checkModel } from '../../../src/pipeline/check-file.js';
import { modelArb, progressArb, renderModel } from '../../gen/models.js';
import { writeModel } from '../../helpers.js';

const RUNS = Number(process.env.LOCKSPEC_PROGRESS_RUNS ?? 150);
const MAX_STATES = 2000;
const SEED = Number(process.env.LOCKSPEC_PROGRESS_SEED ?? 20261206);

/** What both engines must agree on: the verdict, each violation with its trace's steps and loop. */
function summary(o: CheckOutcome) {
  const steps = (trace: CheckOutcome['trace']) => trace?.map((t) => `${t.instance}@${t.label}`) ?? null;
  return {
    verdict: o.verdict,
    progressChecked: o.progressChecked ?? null,
    distinct: o.distinct,
    generated: o.generated,
    violations: (o.violations ?? []).map((v) => ({ property: v.failure.property, kind: v.failure.kind, trace: steps(v.trace), loop: v.loop ?? null })),
    errors: o.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
  };
}

test(
  `${RUNS} random models with temporal and reachable properties: both engines agree`,
  () => {
    const tally: Record<string, number> = {};
    fc.assert(
      fc.property(modelArb, progressArb, fc.boolean(), (m, progress, keepGoing) => {
        const text = renderModel(m, { progress });
        const file = writeModel(text);
        const [ref, cmp] = (['reference', 'compiled'] as const).map((engine) =>
          summary(checkModel(file, { engine, deadlock: m.deadlock, maxStates: MAX_STATES, continue: keepGoing })),
        );
        if (JSON.stringify(ref) !== JSON.stringify(cmp)) {
          throw new Error(`the engines disagree\n--- model.lspec\n${text}\n--- reference\n${JSON.stringify(ref, null, 1)}\n--- compiled\n${JSON.stringify(cmp, null, 1)}`);
        }
        const temporal = ref.violations.some((v) => v.loop !== null);
        const key = `${ref.verdict}${ref.progressChecked ? '' : ' (progress unchecked)'}${temporal ? ' lasso' : ''}`;
        tally[key] = (tally[key] ?? 0) + 1;
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // The generator must keep producing models whose properties are checked, held and violated
    // (by a lasso): a generator that stopped would leave this test vacuous.
    const count = (f: (k: string) => boolean) => Object.entries(tally).reduce((n, [k, v]) => n + (f(k) ? v : 0), 0);
    expect(count((k) => k === 'ok')).toBeGreaterThan(RUNS / 20);
    expect(count((k) => k.endsWith('lasso'))).toBeGreaterThan(RUNS / 20);
  },
  600_000,
);
