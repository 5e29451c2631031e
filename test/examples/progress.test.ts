// The kernel lock specs' progress checks, ported to examples/ (ticket lock with and without
// trylock, queued rwlock, test-and-set spinlock under weak and strong fairness), must give TLC's
// verdicts with both engines and explore TLC's state counts. The figures below were recorded by
// running TLC 2.20 (/work/shared/tools/tlc) on the PlusCal twins in test/examples/tla/, one config
// per property (e.g. `tlc TicketProgress.tla TicketProgress_trylock_LockAll.cfg`); the PlusCal
// writes LockAny as the kernel specs do, `\E p : pc[p] # "cs" ~> pc[p] = "cs"`, which the .lspec
// files state as the equivalent []<>. A violated property is found by TLC before its search ends,
// so the complete counts are those of the same config checking the property that holds. The
// trylock rows use one process fewer than the .lspec defaults, as their configs do, to stay quick.
import { fileURLToPath } from 'node:url';
import type { CheckOutcome } from '../../src/checker/check.js';
import { checkModel } from '../../src/pipeline/check-file.js';

const example = (name: string): string => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));

interface Case {
  what: string;
  file: string;
  design?: string;
  consts: [string, string][];
  /** TLC's complete search: distinct and generated states. */
  tlc: [number, number];
  /** TLC's verdict on each property. */
  LockAll: 'ok' | 'violated';
  LockAny: 'ok' | 'violated';
  /** The elements of LockAll's \A that lockspec names as failing. */
  failing: string[];
}

const CASES: Case[] = [
  { what: 'ticket lock', file: 'ticketlock-progress.lspec', consts: [], tlc: [693, 1_720], LockAll: 'ok', LockAny: 'ok', failing: [] },
  {
    what: 'ticket lock with trylock',
    file: 'ticketlock-progress.lspec',
    consts: [['TRYLOCK', 'TRUE'], ['PROCS', '{1, 2}']],
    tlc: [1_260, 2_665],
    LockAll: 'violated',
    LockAny: 'ok',
    failing: ['p = 1', 'p = 2'],
  },
  { what: 'qrwlock', file: 'qrwlock-progress.lspec', consts: [], tlc: [688, 1_844], LockAll: 'ok', LockAny: 'ok', failing: [] },
  {
    what: 'qrwlock with interrupts',
    file: 'qrwlock-progress.lspec',
    consts: [['INTERRUPTS', 'TRUE']],
    tlc: [688, 1_958],
    LockAll: 'violated',
    LockAny: 'ok',
    failing: ['p = r1', 'p = r2', 'p = w1'],
  },
  {
    what: 'qrwlock with trylock',
    file: 'qrwlock-progress.lspec',
    consts: [['TRYLOCK', 'TRUE'], ['READERS', '{r1}']],
    tlc: [759, 1_571],
    LockAll: 'violated',
    LockAny: 'ok',
    failing: ['p = r1', 'p = w1'],
  },
  { what: 'test-and-set, weak fairness', file: 'tas-progress.lspec', design: 'weak', consts: [], tlc: [7, 10], LockAll: 'violated', LockAny: 'ok', failing: ['p = 1', 'p = 2', 'p = 3'] },
  { what: 'test-and-set, strong fairness', file: 'tas-progress.lspec', design: 'strong', consts: [], tlc: [7, 10], LockAll: 'ok', LockAny: 'ok', failing: [] },
];

const ENGINES = ['compiled', 'reference'] as const;

describe.each(CASES)('$what', (c) => {
  const runs = new Map<string, CheckOutcome>();
  const run = (engine: (typeof ENGINES)[number], property: 'LockAll' | 'LockAny'): CheckOutcome => {
    const key = `${engine} ${property}`;
    if (!runs.has(key)) runs.set(key, checkModel(example(c.file), { design: c.design ?? null, consts: c.consts, engine, properties: [property], continue: true }));
    return runs.get(key)!;
  };

  describe.each(ENGINES)('with the %s engine', (engine) => {
    test(`LockAll: ${c.LockAll} (TLC), with TLC's state counts`, () => {
      const o = run(engine, 'LockAll');
      expect(o.diagnostics.filter((d) => d.severity !== 'warning')).toEqual([]);
      expect(o.progressChecked).toBe(true);
      expect([o.distinct, o.generated]).toEqual(c.tlc);
      expect(o.verdict).toBe(c.LockAll === 'ok' ? 'ok' : 'violation');
      const failing = o.violations.map((v) => /\(([^)]*)\)/.exec(v.failure.message)?.[1]);
      expect(o.violations.every((v) => v.failure.kind === 'temporal' && v.failure.property === 'LockAll')).toBe(true);
      expect(failing).toEqual(c.failing);
      // Each counterexample is a lasso: a stem, then a cycle (or a state it stutters in).
      for (const v of o.violations) expect(v.loop).toBeGreaterThanOrEqual(0);
    });

    test(`LockAny: ${c.LockAny} (TLC)`, () => {
      const o = run(engine, 'LockAny');
      expect([o.distinct, o.generated]).toEqual(c.tlc);
      expect(o.verdict).toBe(c.LockAny === 'ok' ? 'ok' : 'violation');
    });
  });
});
