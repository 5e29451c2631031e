// The kernel locking examples: for each kernel check a model with the bug shape that trips it and
// a fixed one that does not, on both engines, with the state counts TLC finds on the export. The
// TLC figures were recorded by running TLC 2.20 (/work/shared/tools/tlc) on
// `lockspec export-tla FILE --design D` (module NAME_D); TLC knows none of the kernel checks that
// are computed on the state graph (LockOrder), so it finds no error where lockspec reports one
// after a complete search, over the same states.
import { fileURLToPath } from 'node:url';
import { checkModel } from '../../src/pipeline/check-file.js';

const example = (name: string): string => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));

interface Case {
  file: string;
  design: string;
  verdict: 'ok' | 'violation';
  /** The properties violated, in order. */
  violated: string[];
  /** TLC's complete search on the export: distinct and generated states. */
  tlc: [number, number];
  /** Checked without deadlock detection (`--no-deadlock`, TLC's CHECK_DEADLOCK FALSE): TLC stops at a deadlock, so its complete counts are these. */
  noDeadlock?: boolean;
}

const CASES: Case[] = [
  { file: 'abba-lockorder.lspec', design: 'abba', verdict: 'violation', violated: ['LockOrder'], tlc: [10, 11] },
  { file: 'abba-lockorder.lspec', design: 'ordered', verdict: 'ok', violated: [], tlc: [10, 11] },
  // The lost wake-up is found at a deadlock; without deadlock detection the search is complete and finds nothing.
  { file: 'lost-wakeup.lspec', design: 'racy', verdict: 'ok', violated: [], tlc: [15, 20], noDeadlock: true },
  { file: 'lost-wakeup.lspec', design: 'loop', verdict: 'ok', violated: [], tlc: [17, 24] },
  // TLC stops at the Assert that InconsistentLockState exports to, after the reader's first step.
  { file: 'irq-spinlock.lspec', design: 'plain', verdict: 'violation', violated: ['InconsistentLockState'], tlc: [1, 1] },
  { file: 'irq-spinlock.lspec', design: 'irqsave', verdict: 'ok', violated: [], tlc: [15, 17] },
];

describe.each(['compiled', 'reference'] as const)('the %s engine', (engine) => {
  test.each(CASES)('$file $design: $verdict, over the states TLC finds', (c) => {
    const o = checkModel(example(c.file), { design: c.design, engine, deadlock: !c.noDeadlock });
    expect(o.verdict).toBe(c.verdict);
    expect(o.violations.map((v) => v.failure.property)).toEqual(c.violated);
    expect([o.distinct, o.generated]).toEqual(c.tlc);
  });
});

test.each(['compiled', 'reference'] as const)('the racy consumer loses its wake-up (%s engine); TLC finds a deadlock there', (engine) => {
  const o = checkModel(example('lost-wakeup.lspec'), { design: 'racy', engine });
  expect(o.violations.map((v) => v.failure.property)).toEqual(['LostWakeup']);
  expect(o.trace!.slice(1).map((s) => o.program!.labels[s.label].name)).toEqual(['test_', 'produce', 'wake', 'prepare']);
});

test('the ABBA is reported with both acquisition paths, and no deadlock is reached', () => {
  const o = checkModel(example('abba-lockorder.lspec'), { design: 'abba' });
  expect(o.violations[0].failure.message).toBe(
    'lock order dev_lock -> mmap_lock -> dev_lock (mmap_lock taken while holding dev_lock: Ioctl at pin; dev_lock taken while holding mmap_lock: Fault at vm_fault)',
  );
  expect(o.violations[0].paths!.map((p) => p.trace.length)).toEqual([3, 8]);
});
