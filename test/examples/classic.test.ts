// The classic protocols of examples/ (dining philosophers, readers-writers) must give their stated
// verdicts with both engines, and the engines must agree on the state counts: naive dining
// deadlocks on a wait-for cycle, ordered and waiter dining and the correct rwlock hold, and the
// racy rwlock lets a writer in beside a reader.
import { fileURLToPath } from 'node:url';
import type { CheckOutcome } from '../../src/checker/check.js';
import { checkModel } from '../../src/pipeline/check-file.js';

const example = (name: string): string => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));

const CASES: { file: string; design: string; verdict: string; property: string | null }[] = [
  { file: 'dining.lspec', design: 'naive', verdict: 'deadlock', property: 'Deadlock' },
  { file: 'dining.lspec', design: 'ordered', verdict: 'ok', property: null },
  { file: 'dining.lspec', design: 'waiter', verdict: 'ok', property: null },
  { file: 'rwlock.lspec', design: 'correct', verdict: 'ok', property: null },
  { file: 'rwlock.lspec', design: 'racy', verdict: 'violation', property: 'RWExclusion' },
];

const ENGINES = ['compiled', 'reference'] as const;

describe.each(CASES)('$file --design $design', ({ file, design, verdict, property }) => {
  const runs = new Map<string, CheckOutcome>();
  const run = (engine: (typeof ENGINES)[number]): CheckOutcome => {
    if (!runs.has(engine)) runs.set(engine, checkModel(example(file), { design, engine }));
    return runs.get(engine)!;
  };

  test.each(ENGINES)(`is ${verdict} with the %s engine`, (engine) => {
    const r = run(engine);
    expect(r.diagnostics).toEqual([]);
    expect(r.verdict).toBe(verdict);
    expect(r.failure?.property ?? null).toBe(property);
    if (verdict === 'deadlock') {
      // Each philosopher waits for its right fork, computed from self, held by its neighbour.
      expect(r.failure!.message).toContain(
        'wait-for cycle: Phil(0) waits for fork[1] held by Phil(1), which waits for fork[2] held by Phil(2), which waits for fork[0] held by Phil(0)',
      );
    }
    if (verdict === 'ok') expect(r.deadLabels).toEqual([]);
  });

  test('both engines count the same states', () => {
    const [c, ref] = ENGINES.map(run);
    expect(c.distinct).toBeGreaterThan(0);
    expect({ distinct: ref.distinct, generated: ref.generated }).toEqual({ distinct: c.distinct, generated: c.generated });
  });
});
