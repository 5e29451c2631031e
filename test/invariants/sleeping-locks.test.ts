// The kernel library's sleeping locks: mutexes with their owner (mutex_lock, mutex_unlock,
// mutex_trylock). Each check trips on a model that breaks it and stays quiet on one that does not.
import { fileURLToPath } from 'node:url';
import { check, verdictOf } from './builtin.js';

const linux = fileURLToPath(new URL('../../lib/linux.lspec', import.meta.url));
const model = (body: string, decls = ''): string =>
  `algorithm T {\n  import "${linux}";\n  spinlock s; sleeplock m;\n  variables got = FALSE;\n  ${decls}\n${body}\n}\n`;

describe('mutexes', () => {
  test('mutex_unlock by a process that is not the owner', () => {
    const o = check(model('  process P = 1 { a: mutex_lock(m); b: await pc[2] = "Done"; }\n  process Q = 2 { q: await pc[1] = "b"; mutex_unlock(m); }'));
    expect([verdictOf(o), o.failure!.message]).toEqual(['UnlockNotHeld at q', 'unlock(m) by a process that does not hold it: another process does']);
    expect(verdictOf(check(model('  process P = 1 { a: mutex_lock(m); b: mutex_unlock(m); }\n  process Q = 2 { q: mutex_lock(m); r: mutex_unlock(m); }')))).toBe('ok');
  });
  test('mutex_unlock of an unlocked mutex', () => {
    const o = check(model('  process P = 1 { a: mutex_lock(m); b: mutex_unlock(m); c: mutex_unlock(m); }'));
    expect([verdictOf(o), o.failure!.message]).toEqual(['UnlockNotHeld at c', 'unlock(m) by a process that does not hold it: nobody does']);
  });
  test('the owner check is switched off with disable', () => {
    const text = model('  process P = 1 { a: mutex_lock(m); b: await pc[2] = "Done"; }\n  process Q = 2 { q: await pc[1] = "b"; mutex_unlock(m); }', 'disable UnlockNotHeld "handed over";\n  disable LockHeldAtExit "handed over";');
    expect(verdictOf(check(text))).toBe('ok');
  });
  test('mutex_lock may sleep: not under a spinlock, not inside an RCU read-side section', () => {
    expect(verdictOf(check(model('  process P = 1 { a: spin_lock(s); b: mutex_lock(m); c: mutex_unlock(m); spin_unlock(s); }')))).toBe('SleepInAtomic at b');
    expect(verdictOf(check(model('  process P = 1 { a: rcu_read_lock(); b: mutex_lock(m); c: mutex_unlock(m); rcu_read_unlock(); }')))).toBe('RcuReaderSleeps at b');
    expect(verdictOf(check(model('  process P = 1 { a: mutex_lock(m); b: spin_lock(s); c: spin_unlock(s); mutex_unlock(m); }')))).toBe('ok');
  });
  test('got := mutex_trylock(m) takes a free mutex, owned by the caller, and fails on a held one without sleeping', () => {
    const body = '  process P = 1 { a: got := mutex_trylock(m); b: if (got) { assert m = 1; mutex_unlock(m); } }\n  process Q = 2 { q: mutex_lock(m); r: mutex_unlock(m); }';
    expect(verdictOf(check(model(body)))).toBe('ok');
    // Under a spinlock: trylock never sleeps.
    expect(verdictOf(check(model('  process P = 1 { a: spin_lock(s); got := mutex_trylock(m); b: spin_unlock(s); if (got) mutex_unlock(m); }')))).toBe('ok');
    // The non-owner check covers a mutex taken by trylock too.
    expect(verdictOf(check(model('  process P = 1 { a: got := mutex_trylock(m); b: await pc[2] = "Done"; }\n  process Q = 2 { q: await pc[1] = "b" /\\ got; mutex_unlock(m); }', 'disable LockHeldAtExit "the unlock is the bug";')))).toBe('UnlockNotHeld at q');
  });
});
