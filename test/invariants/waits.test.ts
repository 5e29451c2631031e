// Wait queues: prepare_to_wait, schedule, wake_up, finish_wait, and the lost wake-up (a sleeper no
// one will wake while its queue's condition holds) reported as LostWakeup rather than as a bare
// deadlock, on both engines; a deadlock whose sleepers' conditions do not hold names them.
import { checkModel } from '../../src/pipeline/check-file.js';
import { errorsOf, writeModel } from '../helpers.js';

const RACY = `algorithm Racy {
  variables ready = FALSE;
  waitqueue wq until ready;
  process C = 1 { t: if (~ready) { p: prepare_to_wait(wq); s: schedule(); f: finish_wait(wq); }; c: skip; }
  process P = 2 { r: ready := TRUE; w: wake_up(wq); }
}`;

describe.each(['compiled', 'reference'] as const)('the %s engine', (engine) => {
  test('the condition tested before prepare_to_wait: LostWakeup, with the trace to the sleep', () => {
    const o = checkModel(writeModel(RACY), { engine });
    expect(o.verdict).toBe('violation');
    expect(o.failure).toMatchObject({ kind: 'builtin', property: 'LostWakeup' });
    expect(o.failure!.message).toContain('C sleeps on wq for ever');
    // t, r, w, p: the wake-up before the consumer is on the queue.
    expect(o.trace!.slice(1).map((s) => o.program!.labels[s.label].name)).toEqual(['t', 'r', 'w', 'p']);
  });

  test('disable LostWakeup: the plain deadlock, which names the sleeper', () => {
    const o = checkModel(writeModel(RACY.replace('waitqueue wq until ready;', 'waitqueue wq until ready; disable LostWakeup "shown as a deadlock";')), { engine });
    expect(o.verdict).toBe('deadlock');
    expect(o.failure!.message).toContain('C sleeps on wq');
  });

  test('a sleeper whose condition does not hold is a deadlock, not a lost wake-up', () => {
    const o = checkModel(writeModel(`algorithm Never {
      variables ready = FALSE;
      waitqueue wq until ready;
      process C = 1 { p: prepare_to_wait(wq); s: schedule(); }
    }`), { engine });
    expect(o.verdict).toBe('deadlock');
    expect(o.failure!.message).toContain('C sleeps on wq');
  });

  test('wake_up wakes every sleeper; schedule() off the queue does not sleep', () => {
    const o = checkModel(writeModel(`algorithm Wake {
      variables n = 0;
      waitqueue wq until n > 0;
      process C \\in 1..2 { p: prepare_to_wait(wq); s: if (n = 0) { z: schedule(); }; f: finish_wait(wq); g: schedule(); }
      process P = 3 { w: await wq = {1, 2}; n := 1; wake_up(wq); }
    }`), { engine });
    expect(o.verdict).toBe('ok');
  });

  test('schedule() holding a spinlock sleeps in atomic context', () => {
    const o = checkModel(writeModel(`algorithm Atomic {
      variables ready = FALSE;
      spinlock l;
      waitqueue wq until ready;
      process C = 1 { a: lock(l); s: schedule(); u: unlock(l); }
    }`), { engine });
    expect(o.failure).toMatchObject({ property: 'SleepInAtomic' });
  });
});

test('a wait queue changes only by its operations, which take only a wait queue', () => {
  expect(errorsOf(`algorithm A { variables x = 0; waitqueue wq until x = 1; process P = 1 { a: wq := {}; } }`).join('\n')).toContain('LS3130');
  expect(errorsOf(`algorithm A { variables x = 0; process P = 1 { a: wake_up(x); } }`).join('\n')).toContain('LS3131');
});

describe.each(['compiled', 'reference'] as const)('completions, the %s engine', (engine) => {
  const model = (waiter: string): string => `algorithm Done {
    variables data = 0;
    spinlock l;
    completion done;
    process Worker = 1 { w: data := 1; c: complete(done); }
    process Waiter = 2 { ${waiter} }
  }`;

  test('wait_for_completion sleeps until complete(), whichever runs first', () => {
    const o = checkModel(writeModel(model('a: wait_for_completion(done); b: assert data = 1;')), { engine });
    expect(o.verdict).toBe('ok');
    // (w, a), (c, a), then after complete (Done, a), (Done, b), (Done, Done): the waiter never passes a before c.
    expect(o.distinct).toBe(5);
  });

  test('two waits for one complete(): the second sleeps for ever', () => {
    expect(checkModel(writeModel(model('a: wait_for_completion(done); b: wait_for_completion(done);')), { engine }).verdict).toBe('deadlock');
  });

  test('waiting for a completion under a spinlock sleeps in atomic context', () => {
    const o = checkModel(writeModel(model('a: lock(l); b: wait_for_completion(done); u: unlock(l);')), { engine });
    expect(o.failure).toMatchObject({ property: 'SleepInAtomic' });
  });
});

test('a completion changes only by complete() and wait_for_completion(), which take only a completion', () => {
  expect(errorsOf(`algorithm A { completion c; process P = 1 { a: c := 1; } }`).join('\n')).toContain('LS3130');
  expect(errorsOf(`algorithm A { variables x = 0; process P = 1 { a: complete(x); } }`).join('\n')).toContain('LS3132');
});
