// wait_event(wq, cond), the kernel's waiting loop as one statement (prepare_to_wait, test the
// condition, schedule, in three steps), and complete_all(): each check trips on a model that breaks
// it and stays quiet on one that does not, on both engines.
import { check, verdictOf } from './builtin.js';
import { errorsOf } from '../helpers.js';

const model = (body: string, decls = ''): string =>
  `algorithm T {\n  variables ready = FALSE, consumed = 0;\n  waitqueue wq until ready;\n  ${decls}\n${body}\n}\n`;
const consumer = '  process C = "c" { c1: wait_event(wq, ready); consumed := consumed + 1; }';

describe('wait_event', () => {
  test('the waker sets the condition, then wakes: no wake-up is lost, whatever the interleaving', () => {
    const o = check(model(`${consumer}\n  process P = "p" { p1: ready := TRUE; p2: wake_up(wq); }\n  final Consumed == consumed = 1;`));
    expect(verdictOf(o)).toBe('ok');
  });
  test('the loop takes three steps (prepare, test, sleep) and comes back after a wake-up', () => {
    // The consumer is woken (taken off the queue) while the condition is false, sleeps again, and is woken for good.
    const text = model(`${consumer}\n  process P = "p" { p1: await wq = {"c"}; wake_up(wq); p2: await wq = {"c"}; ready := TRUE; wake_up(wq); }\n  final Consumed == consumed = 1;`);
    expect(verdictOf(check(text))).toBe('ok');
  });
  test('a waker that sets the condition without wake_up() leaves the sleeper asleep while it holds: LostWakeup', () => {
    const o = check(model(`${consumer}\n  process P = "p" { p1: ready := TRUE; }`));
    expect(verdictOf(o)).toBe('LostWakeup');
    expect(o.failure!.message).toContain('C sleeps on wq for ever');
  });
  test('a waker that wakes before it sets the condition: LostWakeup', () => {
    expect(verdictOf(check(model(`${consumer}\n  process P = "p" { p1: wake_up(wq); p2: ready := TRUE; }`)))).toBe('LostWakeup');
  });
  test('wait_event may sleep: not under a spinlock', () => {
    const text = model('  process C = "c" { c0: lock(l); c1: wait_event(wq, ready); unlock(l); }\n  process P = "p" { p1: ready := TRUE; wake_up(wq); }', 'spinlock l;');
    expect(verdictOf(check(text))).toBe('SleepInAtomic at c1');
  });
  test('wait_event must begin its step, outside a macro', () => {
    expect(errorsOf(model('  process C = "c" { c1: consumed := 1; wait_event(wq, ready); }'))).toEqual([
      expect.stringMatching(/:5:40: error LS3182: wait_event\(\) must begin its step \(its loop comes back to the label before it\): expected a label right before it/),
    ]);
    expect(errorsOf(model('  macro wait_ready() { wait_event(wq, ready); }\n  process C = "c" { c1: wait_ready(); }'))).toEqual([
      expect.stringMatching(/error LS3182: wait_event\(\) must begin its step/),
    ]);
    expect(errorsOf(model('  process C = "c" { c1: wait_event(consumed, ready); }'))).toEqual([expect.stringMatching(/error LS3131: wait_event of "consumed", which is not a wait queue/)]);
  });
});

describe('complete_all', () => {
  const waiter = (p: string): string => `  process W${p} = "w${p}" { ${p}1: wait_for_completion(done); consumed := consumed + 1; }`;
  test('complete_all() lets every waiter through, later ones too; complete() lets one through', () => {
    const all = model(`${waiter('a')}\n${waiter('b')}\n  process P = "p" { p1: complete_all(done); p2: complete(done); }\n  final BothConsumed == consumed = 2;`, 'completion done;');
    expect(verdictOf(check(all))).toBe('ok');
    const one = model(`${waiter('a')}\n${waiter('b')}\n  process P = "p" { p1: complete(done); }`, 'completion done;');
    expect(verdictOf(check(one))).toBe('Deadlock');
  });
  test('complete() after complete_all() leaves every waiter free: the states TLC finds on the export (12 distinct, 20 generated)', () => {
    const o = check(model(`${waiter('a')}\n${waiter('b')}\n  process P = "p" { p1: complete(done); p2: complete_all(done); p3: complete(done); }\n  final BothConsumed == consumed = 2;`, 'completion done;'));
    expect([verdictOf(o), o.distinct, o.generated]).toEqual(['ok', 12, 20]);
  });
});
