// The kernel locking examples (spinlocks, lock order, interrupts, mutex owners, rw-semaphores,
// wait queues and wait_event): for each kernel check a model with the bug shape that trips it and
// a fixed one that does not, on both engines, with the state counts TLC finds on the export. The
// TLC figures were recorded by running TLC 2.20 (/work/shared/tools/tlc) on
// `lockspec export-tla FILE --design D` (module NAME_D); TLC knows none of the kernel checks that
// are computed on the state graph (LockOrder), so it finds no error where lockspec reports one
// after a complete search, over the same states; where lockspec reports a step's check, TLC stops
// at the same state with its assertion failed.
import { fileURLToPath } from 'node:url';
import { checkModel } from '../../src/pipeline/check-file.js';

const example = (name: string): string => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));

interface Case {
  file: string;
  design: string;
  verdict: 'ok' | 'violation' | 'deadlock';
  /** The properties violated, in order. */
  violated: string[];
  /** TLC's search on the export: distinct and generated states. */
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
  { file: 'mutex-owner.lspec', design: 'handoff', verdict: 'violation', violated: ['UnlockNotHeld'], tlc: [5, 5] },
  { file: 'mutex-owner.lspec', design: 'owner', verdict: 'ok', violated: [], tlc: [8, 9] },
  // A fault and the ioctl deadlock: TLC stops there too; the cycle is reported from the graph explored until then.
  { file: 'rwsem-mmap.lspec', design: 'remap_locked', verdict: 'deadlock', violated: ['Deadlock', 'LockOrder'], tlc: [20, 28] },
  // Without deadlock detection the search is complete: TLC finds nothing, lockspec the cycle.
  { file: 'rwsem-mmap.lspec', design: 'remap_locked', verdict: 'violation', violated: ['LockOrder'], tlc: [77, 129], noDeadlock: true },
  { file: 'rwsem-mmap.lspec', design: 'remap_unlocked', verdict: 'ok', violated: [], tlc: [92, 166] },
  // The lost wake-ups are found at a deadlock, where TLC stops too ("Deadlock reached").
  { file: 'wait-event.lspec', design: 'racy', verdict: 'violation', violated: ['LostWakeup'], tlc: [15, 18] },
  { file: 'wait-event.lspec', design: 'wait_event', verdict: 'ok', violated: [], tlc: [15, 22] },
  { file: 'wait-event.lspec', design: 'no_wake_up', verdict: 'violation', violated: ['LostWakeup'], tlc: [9, 12] },
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

test('the worker releasing the ioctl\'s mutex is reported at its unlock, naming the owner check', () => {
  const o = checkModel(example('mutex-owner.lspec'), { design: 'handoff' });
  expect(o.failure!.message).toBe('unlock(dev_lock) by a process that does not hold it: another process does');
  expect(o.program!.labels[o.failingStep!.label].name).toBe('release');
});

test('the faults\' read hold of mmap_lock orders dev_lock after it: the cycle with the ioctl\'s write', () => {
  const o = checkModel(example('rwsem-mmap.lspec'), { design: 'remap_locked', deadlock: false });
  expect(o.violations[0].failure.message).toBe(
    'lock order mmap_lock -> dev_lock -> mmap_lock (dev_lock taken while holding mmap_lock: Fault("f1") at vm_fault; mmap_lock taken while holding dev_lock: Ioctl at remap)',
  );
});

test('wait_event() takes a step for each point of the kernel\'s loop: the consumer that finds the condition false sleeps after three', () => {
  const o = checkModel(example('wait-event.lspec'), { design: 'no_wake_up' });
  expect(o.trace!.slice(1).map((st) => `${o.program!.instances[st.instance].display}:${o.program!.labels[st.label].name}`)).toEqual([
    'Consumer:wait_', 'Consumer:wait_', 'Consumer:wait_', 'Producer:produce',
  ]);
});
