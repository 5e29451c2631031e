// Built-in lock checks: each trips on a model that breaks it and stays quiet on one that does not.
import { check, verdictOf } from './builtin.js';
import { checkModel } from '../../src/pipeline/check-file.js';
import { errorsOf, writeModel } from '../helpers.js';

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
  test('a built-in violation names the lock it is about, element and all', () => {
    const decls = 'spinlock l; spinlock bl[b \\in 1..2]; sleeplock m;';
    const sleeps = check(model('  process P = 1 { a: lock(bl[2]); b: might_sleep(); c: unlock(bl[2]); }', decls));
    expect([verdictOf(sleeps), sleeps.failure!.message]).toEqual(['SleepInAtomic at b', 'might_sleep() while holding spinlock bl[2]']);
    const taken = check(model('  process P = 1 { a: lock(l); b: lock(m); c: unlock(m); d: unlock(l); }', decls));
    expect(taken.failure!.message).toBe('sleeping lock m taken while holding spinlock l');
    const exits = check(model('  process P = 1 { a: lock(m); }', decls), { deadlock: false });
    expect(exits.failure!.message).toBe('the process finishes holding sleeping lock m');
  });
  test('a user invariant named like a built-in check the model makes is a warning, located', () => {
    const file = writeModel(model('  invariant SleepInAtomic == TRUE;\n  process P = 1 { a: might_sleep(); }'));
    const o = checkModel(file, {});
    expect(o.verdict).toBe('ok');
    expect(o.diagnostics.map((d) => [d.severity, d.code, d.message])).toEqual([
      ['warning', 3082, 'invariant "SleepInAtomic" has the name of a built-in check: a report naming SleepInAtomic may mean either; expected another name'],
    ]);
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

describe('locks held from the start (`held by`)', () => {
  test('the initial holder may unlock it; another process may not', () => {
    expect(verdictOf(check(model('  process P = 1 { a: unlock(l); }', 'spinlock l held by 1;')))).toBe('ok');
    expect(verdictOf(check(model('  process P = 1 { a: unlock(l); }\n  process Q = 2 { q: unlock(l); }', 'spinlock l held by 1;')))).toBe('UnlockNotHeld at q');
  });
  test('the initial holder relocking it is a self-deadlock; others wait for it', () => {
    expect(verdictOf(check(model('  process P = 1 { a: lock(l); }', 'spinlock l held by 1;')))).toBe('SelfDeadlock at a');
    const o = check(model('  process P = 1 { a: skip; b: unlock(l); }\n  process Q = 2 { q: lock(l); r: unlock(l); }', 'spinlock l held by 1;'));
    expect(verdictOf(o)).toBe('ok');
    // Q takes l only after P released it: (a, q) (b, q) (Done, q) (Done, r) (Done, Done).
    expect(o.distinct).toBe(5);
  });
  test('a sleeplock taken, or might_sleep, while a spinlock is held from the start', () => {
    expect(verdictOf(check(model('  process P = 1 { a: lock(m); b: unlock(m); c: unlock(l); }')
      .replace('spinlock l;', 'spinlock l held by 1;')))).toBe('SleepInAtomic at a');
    expect(verdictOf(check(model('  process P = 1 { a: might_sleep(); b: unlock(l); }', 'spinlock l held by 1;')))).toBe('SleepInAtomic at a');
  });
  test('a process that never releases the lock it held from the start', () => {
    expect(verdictOf(check(model('  process P = 1 { a: skip; }', 'spinlock l held by 1;')))).toBe('LockHeldAtExit at a');
  });
  test('one element of a lock array held by the allocating process, the others free (nobody)', () => {
    const decls = 'type Page = {OLD, NEW};\n  sleeplock page_lock[p \\in Page] held by IF p = NEW THEN "alloc" ELSE nobody;';
    const alloc = 'process A = "alloc" { a1: skip; a2: unlock(page_lock[NEW]); }';
    expect(verdictOf(check(model(`  ${alloc}\n  process U = "user" { u1: lock(page_lock[OLD]); u2: lock(page_lock[NEW]); u3: unlock(page_lock[NEW]); unlock(page_lock[OLD]); }`, decls)))).toBe('ok');
    expect(verdictOf(check(model(`  ${alloc}\n  process U = "user" { u1: unlock(page_lock[NEW]); }`, decls)))).toBe('UnlockNotHeld at u1');
  });
  test('a process holding a lock from the start is in the wait-for cycle', () => {
    const text = model(`  process A = 1 { a1: lock(m2); a2: unlock(m2); a3: unlock(l); }
  process B = 2 { b1: lock(m2); b2: lock(l); b3: unlock(l); b4: unlock(m2); }`, 'spinlock l held by 1; spinlock m2;');
    const o = check(text);
    expect(o.verdict).toBe('deadlock');
    expect(o.failure!.message).toContain('wait-for cycle: A waits for m2 held by B, which waits for l held by A');
  });
  test('a holder that is not a process id is a located error', () => {
    expect(errorsOf(model('  process P = 1 { a: skip; }', 'spinlock l held by 3;'))).toEqual([
      expect.stringMatching(/^model\d+\.lspec:2:22: error LS4050: the initial holder of l is 3: expected the id of a process or nobody/),
    ]);
    expect(errorsOf(model('  process P \\in 1..2 { a: skip; }', 'spinlock bl[k \\in 1..3] held by IF k = 3 THEN {1} ELSE k;'))).toEqual([
      expect.stringMatching(/^model\d+\.lspec:2:35: error LS4050: the initial holder of bl\[3\] is \{1\}: expected the id of a process or nobody/),
    ]);
  });
});

describe('a lock is not a variable', () => {
  test('assigning to a lock, whole or one element, is a located error', () => {
    const msg = 'error LS3050: cannot assign to the lock "{0}": a lock changes only by lock(), unlock() and trylock(), which check its holder';
    expect(errorsOf(model('  process P = 1 { a: l := 0; }'))).toEqual([expect.stringContaining(`:3:22: ${msg.replace('{0}', 'l')}`)]);
    expect(errorsOf(model('  process P = 1 { a: bl[1] := 1; }', 'spinlock bl[k \\in 1..2];'))).toEqual([expect.stringContaining(`:3:22: ${msg.replace('{0}', 'bl')}`)]);
    expect(errorsOf(model('  variables ok = FALSE;\n  process P = 1 { a: m := trylock(l); }'))).toEqual([expect.stringContaining(msg.replace('{0}', 'm'))]);
  });
  test('a process local of the same name is a variable', () => {
    expect(verdictOf(check(model('  process P = 1 variables l = 0; { a: l := 1; }', 'spinlock l;')))).toBe('ok');
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
    // The two orders stay a lock-order cycle (lockdep's report), which the deadlock switches leave on.
    expect(check(abba, { deadlock: false }).violations.map((v) => v.failure.property)).toEqual(['LockOrder']);
    expect(check(abba.replace('spinlock l;', 'spinlock l; disable Deadlock "tested";')).violations.map((v) => v.failure.property)).toEqual(['LockOrder']);
    expect(check(abba, { deadlock: false, lockOrder: false }).verdict).toBe('ok');
  });
});
