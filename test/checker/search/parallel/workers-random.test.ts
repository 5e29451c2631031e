// Random models (test/gen/models.ts) through `check --workers 2`, every level shared by both
// threads (LOCKSPEC_WORKERS_SYNC_START): the report must be that of one thread, trace included.
// The checks run in-process through the built commands (dist/: the helper threads run the built
// worker script). LOCKSPEC_WORKERS_RUNS=N checks N models instead of 24.
import fc from 'fast-check';
import { modelArb, renderModel } from '../../../gen/models.js';
import { writeModel } from '../../../helpers.js';
import { checkBuilt } from './built-check.js';

const RUNS = Number(process.env.LOCKSPEC_WORKERS_RUNS ?? 24);

/** `check FILE --max-states 3000 --workers N`: the exit code and the report. */
function report(file: string, workers: number): any {
  const { code, report } = checkBuilt(file, { 'max-states': 3000 }, workers, true);
  // Per-label coverage included: the threads' counts add up to one thread's.
  const { elapsedMs: _e, statesPerSecond: _s, workers: _w, ...rest } = report;
  return { code, ...rest };
}

test(`${RUNS} random models: two threads give the report of one`, () => {
  const models = fc.sample(modelArb, { numRuns: RUNS, seed: 20261125 });
  let compared = 0;
  for (const m of models) {
    const text = renderModel(m);
    const file = writeModel(text);
    const [one, two] = [report(file, 1), report(file, 2)];
    // --max-states stops a search with workers where its threads happen to be (one thread stops
    // at the limit exactly, and may finish first): a search it stopped is not compared.
    if (one.verdict === 'incomplete' || two.verdict === 'incomplete') {
      for (const r of [one, two]) if (r.verdict === 'incomplete') expect(r.limit).toBe('max-states 3000');
      continue;
    }
    if (JSON.stringify(two) !== JSON.stringify(one)) throw new Error(`workers disagree on this model:\n${text}\none: ${JSON.stringify(one)}\ntwo: ${JSON.stringify(two)}`);
    compared++;
  }
  expect(compared).toBeGreaterThan(RUNS / 2);
}, 600_000);
