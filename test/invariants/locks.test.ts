// Built-in lock checks: each trips on a model that breaks it and stays quiet on one that does not.
import { check, verdictOf } from './builtin.js';

const model = (body: string, decls = 'spinlock l; sleeplock m;'): string => `algorithm T {\n  ${decls}\n${body}\n}\n`;

describe('locks', () => {
  test('unlock of a lock not held', () => {
    expect(verdictOf(check(model('  process P = 1 { a: unlock(l); }')))).toBe('UnlockNotHeld at a');
    expect(verdictOf(check(model('  process P = 1 { a: lock(l); b: unlock(l); }')))).toBe('ok');
  });
  test('unlock of a lock held by another process', () => {
    const o = check(model('  process P = 1 { a: lock(l); b: skip; c: unlock(l); }\n  process Q = 2 { q: unlock(l); }'));
    expect(verdictOf(o)).toBe('UnlockNotHeld at q');
    expect(o.failure!.message).toContain('does not hold');
  });
  test('relock by the holder is a self-deadlock', () => {
    expect(verdictOf(check(model('  process P = 1 { a: lock(l); b: lock(l); }')))).toBe('SelfDeadlock at b');
    expect(verdictOf(check(model('  process P = 1 { a: lock(l); b: unlock(l); c: lock(l); d: unlock(l); }')))).toBe('ok');
  });
  test('a sleeping lock taken under a spinlock', () => {
    expect(verdictOf(check(model('  process P = 1 { a: lock(l); b: lock(m); c: unlock(m); d: unlock(l); }')))).toBe('SleepInAtomic at b');
    expect(verdictOf(check(model('  process P = 1 { a: lock(m); b: lock(l); c: unlock(l); d: unlock(m); }')))).toBe('ok');
  });
  test('might_sleep under a spinlock', () => {
    expect(verdictOf(check(model('  process P = 1 { a: lock(l); b: might_sleep(); c: unlock(l); }')))).toBe('SleepInAtomic at b');
    expect(verdictOf(check(model('  process P = 1 { a: lock(m); b: might_sleep(); c: unlock(m); }')))).toBe('ok');
  });
  test('a process that ends holding a lock', () => {
    expect(verdictOf(check(model('  process P = 1 { a: lock(l); }')))).toBe('LockHeldAtExit at a');
    expect(verdictOf(check(model('  process P = 1 { a: lock(l); unlock(l); }')))).toBe('ok');
  });
  test('trylock takes a free lock and reports a held one', () => {
    const o = check(model('  variables got = <<>>;\n  process P \\in 1..2 variables ok = FALSE; { a: ok := trylock(l); b: if (ok) { unlock(l) }; }'));
    expect(verdictOf(o)).toBe('ok');
  });
  test('a disabled check stays quiet', () => {
    expect(verdictOf(check(model('  process P = 1 { a: lock(l); }', 'spinlock l; disable LockHeldAtExit "tested";')))).toBe('ok');
  });
});

describe('deadlock', () => {
  const abba = model(`  process A = 1 { a1: lock(l); a2: lock(m2); a3: unlock(m2); a4: unlock(l); }
  process B = 2 { b1: lock(m2); b2: lock(l); b3: unlock(l); b4: unlock(m2); }`, 'spinlock l; spinlock m2;');
  test('an ABBA lock order deadlocks, and the wait-for cycle is named', () => {
    const o = check(abba);
    expect(o.verdict).toBe('deadlock');
    expect(o.trace).toHaveLength(3);
    expect(o.failure!.message).toContain('wait-for cycle: A waits for m2 held by B, which waits for l held by A');
  });
  test('one lock order does not deadlock', () => {
    expect(check(abba.replace('b1: lock(m2); b2: lock(l); b3: unlock(l); b4: unlock(m2);', 'b1: lock(l); b2: lock(m2); b3: unlock(m2); b4: unlock(l);')).verdict).toBe('ok');
  });
  test('--no-deadlock and disable Deadlock turn it off', () => {
    expect(check(abba, { deadlock: false }).verdict).toBe('ok');
    expect(check(abba.replace('spinlock l;', 'spinlock l; disable Deadlock "tested";')).verdict).toBe('ok');
  });
});
