// Built-in lock checks: each trips on a model that breaks it and stays quiet on one that does not.
import { check, verdictOf } from './builtin.js';
import { checkModel } from '../../src/pipeline/check-file.js';
import { writeModel } from '../helpers.js';

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
  // The cycle is named from the last state of the trace, whichever engine searched.
  const cycle = (text: string): string[] =>
    (['compiled', 'reference'] as const).map((engine) => {
      const o = checkModel(writeModel(text), { engine });
      expect(o.verdict).toBe('deadlock');
      return o.failure!.message.replace(/^.*; /, '');
    });
  const named = 'wait-for cycle: P waits for b held by Q, which waits for a held by P';
  const q = 'process Q = 2 { q1: lock(b); q2: lock(a); q3: unlock(a); unlock(b); }';
  test('the cycle is named when the waiting step does something before its lock()', () => {
    const text = model(`  process P = 1 { p1: lock(a); p2: get(r); lock(b); p3: unlock(b); put(r); unlock(a); }\n  ${q}`, 'spinlock a; spinlock b; refcount r = 0;');
    expect(cycle(text)).toEqual([named, named]);
  });
  test('the cycle is named when the lock() is inside a while', () => {
    const text = model(`  process P = 1 variables i = 0; { p1: lock(a); p2: while (i < 1) { lock(b); i := i + 1; }; p3: unlock(b); unlock(a); }\n  ${q}`, 'spinlock a; spinlock b;');
    expect(cycle(text)).toEqual([named, named]);
  });
  test('the cycle is named when the lock element is bound by with', () => {
    const text = model(`  process P = 1 { p1: lock(bl[1]); p2: with (x \\in {2}) { lock(bl[x]); }; p3: unlock(bl[2]); unlock(bl[1]); }
  process Q = 2 { q1: lock(bl[2]); q2: lock(bl[1]); q3: unlock(bl[1]); unlock(bl[2]); }`, 'spinlock bl[k \\in 1..2];');
    const named2 = 'wait-for cycle: P waits for bl[2] held by Q, which waits for bl[1] held by P';
    expect(cycle(text)).toEqual([named2, named2]);
  });
  test('the cycle is found through any path of the waiting step', () => {
    // P's first path waits for c, held by R, which waits for no lock; its second closes the cycle.
    const text = model(`  process P = 1 { p1: lock(a); p2: either { lock(c); unlock(c) } or { lock(b); unlock(b) }; p3: unlock(a); }
  ${q}\n  process R = 3 { r1: lock(c); r2: await FALSE; }`, 'spinlock a; spinlock b; spinlock c;');
    expect(cycle(text)).toEqual([named, named]);
  });
  test('one lock order does not deadlock', () => {
    expect(check(abba.replace('b1: lock(m2); b2: lock(l); b3: unlock(l); b4: unlock(m2);', 'b1: lock(l); b2: lock(m2); b3: unlock(m2); b4: unlock(l);')).verdict).toBe('ok');
  });
  test('--no-deadlock and disable Deadlock turn it off', () => {
    expect(check(abba, { deadlock: false }).verdict).toBe('ok');
    expect(check(abba.replace('spinlock l;', 'spinlock l; disable Deadlock "tested";')).verdict).toBe('ok');
  });
});
