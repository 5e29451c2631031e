// Read-write semaphores (`rwsem`): readers share, a writer excludes readers and writers, the writer
// has an owner, each reader holds it as a lock of its own; the lock-order graph and the lock
// statistics treat them as locks. Each check trips on a model that breaks it and stays quiet on one
// that does not.
import { check, verdictOf } from './builtin.js';
import { checkModel } from '../../src/pipeline/check-file.js';
import { errorsOf, writeModel } from '../helpers.js';

const model = (body: string, decls = ''): string => `algorithm T {\n  rwsem sem; spinlock s; sleeplock m;\n  variables readers = 0, maxReaders = 0, writing = FALSE;\n  ${decls}\n${body}\n}\n`;

const reader = (id: string): string =>
  `  process R${id} = "r${id}" { a${id}: down_read(sem); readers := readers + 1; maxReaders := IF readers + 1 > maxReaders THEN readers + 1 ELSE maxReaders; assert ~writing; b${id}: readers := readers - 1; up_read(sem); }`;
const writer = '  process W = "w" { wa: down_write(sem); assert readers = 0; writing := TRUE; wb: writing := FALSE; up_write(sem); }';

describe('rw-semaphores', () => {
  test('readers share the semaphore, a writer excludes them all', () => {
    const o = check(model(`${reader('1')}\n${reader('2')}\n${writer}\n  reachable TwoReaders == maxReaders = 2;`));
    expect(verdictOf(o)).toBe('ok');
  });
  test('up_write by a process that is not the writer, and of a semaphore no writer holds', () => {
    const o = check(model('  process W = "w" { wa: down_write(sem); wb: await pc["x"] = "Done"; }\n  process X = "x" { xa: await pc["w"] = "wb"; up_write(sem); }', 'disable LockHeldAtExit "the bug is the unlock";'));
    expect([verdictOf(o), o.failure!.message]).toEqual(['UnlockNotHeld at xa', 'up_write(sem) by a process that does not hold it: another process does']);
    const unheld = check(model('  process W = "w" { wa: down_read(sem); wb: up_write(sem); }', 'disable LockHeldAtExit "the bug is the unlock";'));
    expect([verdictOf(unheld), unheld.failure!.message]).toEqual(['UnlockNotHeld at wb', 'up_write(sem) by a process that does not hold it: nobody does']);
  });
  test('up_read by a process that holds no read lock', () => {
    const o = check(model('  process A = "a" { aa: down_read(sem); ab: await pc["b"] = "Done"; up_read(sem); }\n  process B = "b" { ba: await pc["a"] = "ab"; up_read(sem); }'));
    expect([verdictOf(o), o.failure!.message]).toEqual(['UnlockNotHeld at ba', 'up_read(sem) by a process that does not hold it for read']);
  });
  test('taking it again while holding it: recursive read, read then write, write then read', () => {
    expect(verdictOf(check(model('  process A = "a" { aa: down_read(sem); ab: down_read(sem); ac: up_read(sem); up_read(sem); }')))).toBe('SelfDeadlock at ab');
    expect(verdictOf(check(model('  process A = "a" { aa: down_read(sem); ab: down_write(sem); ac: up_write(sem); up_read(sem); }')))).toBe('SelfDeadlock at ab');
    expect(verdictOf(check(model('  process A = "a" { aa: down_write(sem); ab: down_read(sem); ac: up_read(sem); up_write(sem); }')))).toBe('SelfDeadlock at ab');
  });
  test('down_read and down_write may sleep: not under a spinlock, not inside an RCU read-side section', () => {
    expect(verdictOf(check(model('  process A = "a" { aa: lock(s); ab: down_read(sem); ac: up_read(sem); unlock(s); }')))).toBe('SleepInAtomic at ab');
    expect(verdictOf(check(model('  process A = "a" { aa: lock(s); ab: down_write(sem); ac: up_write(sem); unlock(s); }')))).toBe('SleepInAtomic at ab');
    expect(verdictOf(check(model('  process A = "a" { aa: rcu_read_lock(); ab: down_read(sem); ac: up_read(sem); rcu_read_unlock(); }')))).toBe('RcuReaderSleeps at ab');
    expect(verdictOf(check(model('  process A = "a" { aa: down_read(sem); ab: lock(s); ac: unlock(s); up_read(sem); }')))).toBe('ok');
  });
  test('a process that finishes holding it for read or for write', () => {
    expect(verdictOf(check(model('  process A = "a" { aa: down_read(sem); }')))).toBe('LockHeldAtExit at aa');
    expect(verdictOf(check(model('  process A = "a" { aa: down_write(sem); }')))).toBe('LockHeldAtExit at aa');
  });
  test('a read hold orders the locks taken under it (lockdep: down_read is not a recursive read)', () => {
    const abba = '  process A = "a" { aa: down_read(sem); ab: lock(m); ac: unlock(m); up_read(sem); }\n  process B = "b" { ba: await pc["a"] = "Done"; lock(m); bb: down_write(sem); bc: up_write(sem); unlock(m); }';
    const o = check(model(abba));
    expect(verdictOf(o)).toBe('LockOrder');
    expect(o.failure!.message).toMatch(/^lock order (sem -> m -> sem|m -> sem -> m) /);
    const ordered = '  process A = "a" { aa: down_read(sem); ab: lock(m); ac: unlock(m); up_read(sem); }\n  process B = "b" { ba: await pc["a"] = "Done"; down_write(sem); bb: lock(m); bc: unlock(m); up_write(sem); }';
    expect(verdictOf(check(model(ordered)))).toBe('ok');
  });
  test('an array of rw-semaphores: readers taking two elements in one order, a writer in the other, is a cycle', () => {
    const readers = (p: string): string => `  process ${p.toUpperCase()} = "${p}" { ${p}a: down_read(ss[1]); ${p}b: down_read(ss[2]); ${p}c: up_read(ss[2]); up_read(ss[1]); }`;
    const writer = (first: number, second: number): string =>
      `  process C = "c" { ca: await pc["a"] = "Done" /\\ pc["b"] = "Done"; down_write(ss[${first}]); cb: down_write(ss[${second}]); cc: up_write(ss[${second}]); up_write(ss[${first}]); }`;
    const text = (first: number, second: number): string => model(`${readers('a')}\n${readers('b')}\n${writer(first, second)}\n  reachable BothRead == pc["a"] = "ac" /\\ pc["b"] = "bc";`, 'rwsem ss[i \\in 1..2];');
    const o = check(text(2, 1));
    expect([verdictOf(o), o.failure!.message]).toEqual(['LockOrder', 'lock order ss[1] -> ss[2] -> ss[1] (ss[2] taken while holding ss[1]: A at ab; ss[1] taken while holding ss[2]: C at cb)']);
    expect(verdictOf(check(text(1, 2)))).toBe('ok');
  });
  test('lock statistics name the semaphore, with the writer\'s hold and the waiters of both kinds', () => {
    const o = checkModel(writeModel(model(`${reader('1')}\n${writer}`)), {});
    expect(o.lockStats!.sem.maxWaiters).toBe(1);
    expect(o.lockStats!.sem.maxHoldSteps).toBe(2);
  });
  test('lock(), unlock() and trylock() do not take an rw-semaphore; down_read() and the rest take nothing else', () => {
    expect(errorsOf(model('  process A = "a" { aa: lock(sem); ab: unlock(sem); }'))).toEqual([
      expect.stringMatching(/error LS3180: lock\(\) of rw-semaphore "sem": take it with down_read\(\) or down_write\(\)/),
      expect.stringMatching(/error LS3180: unlock\(\) of rw-semaphore "sem": take it with down_read\(\) or down_write\(\)/),
    ]);
    expect(errorsOf(model('  process A = "a" { aa: down_read(m); ab: up_read(m); }'))).toEqual([
      expect.stringMatching(/error LS3181: down_read\(\) needs an rw-semaphore \(declared with rwsem\); "m" is not one/),
      expect.stringMatching(/error LS3181: up_read\(\) needs an rw-semaphore \(declared with rwsem\); "m" is not one/),
    ]);
  });
});
