// Interrupt context: a handler (`interrupt process ... preempts S`) runs between any two steps of
// the processes S and to completion before they step again, cannot arrive while one of them has
// interrupts disabled, and does not nest with another handler of its CPU; InconsistentLockState
// and SleepInInterrupt trip on the bug shapes and stay quiet on their fixes, on both engines
// (check() holds them together); the declarations that cannot be checked are located errors.
import { fileURLToPath } from 'node:url';
import { check, verdictOf } from './builtin.js';
import { checkModel } from '../../src/pipeline/check-file.js';
import { exportTla } from '../../src/report/tla.js';
import { errorsOf, programOf, writeModel } from '../helpers.js';
import { runTlc, withTlc } from '../tlc.js';

const LIB = fileURLToPath(new URL('../../lib/linux.lspec', import.meta.url));
const model = (body: string, decls = ''): string => `algorithm T {\n  import "${LIB}";\n  ${decls}\n${body}\n}\n`;

/** A handler that sets x for two steps: a process it preempts never sees x = 1. */
const TWO_STEP_HANDLER = '  interrupt process H = "h" preempts {"p"} { a: x := 1; b: x := 0; }';

describe('the interleaving rule', () => {
  test('a handler runs to completion: the processes it preempts take no step in between', () => {
    const seen = '  process P = "p" { p1: assert x = 0; p2: assert x = 0; }';
    expect(verdictOf(check(model(`${seen}\n${TWO_STEP_HANDLER}`, 'variables x = 0;')))).toBe('ok');
    // The same handler as an ordinary process: P sees it half way.
    expect(verdictOf(check(model(`${seen}\n${TWO_STEP_HANDLER.replace('interrupt process', 'process').replace(' preempts {"p"}', '')}`, 'variables x = 0;')))).toBe('Assertion at p1');
  });

  test('a process on another CPU (not preempted) runs beside the handler', () => {
    const other = '  process P = "p" { p1: skip; }\n  process Q = "q" { q1: assert x = 0; }';
    expect(verdictOf(check(model(`${other}\n${TWO_STEP_HANDLER}`, 'variables x = 0;')))).toBe('Assertion at q1');
  });

  test('a handler that goes back to its first label arrives again; it is not running while there', () => {
    const o = check(model(`  process P = "p" { p1: assert x = 0; p2: assert x = 0; }
  interrupt process H = "h" preempts {"p"} { a: while (n < 2) { b: x := 1; c: x := 0; n := n + 1; } }`, 'variables x = 0, n = 0;'));
    expect(verdictOf(o)).toBe('ok');
  });

  test('local_irq_disable() holds the handler off until local_irq_enable()', () => {
    const handler = '  interrupt process H = "h" preempts {"p"} { a: fired := TRUE; }';
    const off = '  process P = "p" { p1: local_irq_disable(); p2: seen := fired; p3: assert fired = seen; local_irq_enable(); }';
    expect(verdictOf(check(model(`${off}\n${handler}`, 'variables fired = FALSE, seen = FALSE;')))).toBe('ok');
    const on = off.replace('local_irq_disable();', 'skip;').replace(' local_irq_enable();', '');
    expect(verdictOf(check(model(`${on}\n${handler}`, 'variables fired = FALSE, seen = FALSE;')))).toBe('Assertion at p3');
  });

  test('local_irq_save()/local_irq_restore() nest: the inner restore leaves interrupts disabled', () => {
    const handler = '  interrupt process H = "h" preempts {"p"} { a: fired := TRUE; }';
    const nested = `  process P = "p" variables f1 = FALSE, f2 = FALSE; {
    p1: local_irq_save(f1); p2: local_irq_save(f2); p3: local_irq_restore(f2); seen := fired;
    p4: assert fired = seen; local_irq_restore(f1);
    p5: await fired; }`;
    expect(verdictOf(check(model(`${nested}\n${handler}`, 'variables fired = FALSE, seen = FALSE;')))).toBe('ok');
    // The outer restore re-enables them: the handler arrives after it.
    expect(verdictOf(check(model(`${nested.replace('p2: local_irq_save(f2); p3: local_irq_restore(f2);', 'p2: local_irq_enable();')}\n${handler}`, 'variables fired = FALSE, seen = FALSE;')))).toBe('Assertion at p4');
  });

  test('two handlers of one CPU do not nest; handlers of two CPUs run at once', () => {
    const h1 = '  interrupt process H1 = "h1" preempts {"p"} { a1: in1 := TRUE; b1: in1 := FALSE; }';
    const h2 = (cpu: string): string => `  interrupt process H2 = "h2" preempts ${cpu} { a2: skip; b2: assert ~in1; }`;
    const p = '  process P = "p" { p1: skip; }\n  process Q = "q" { q1: skip; }';
    expect(verdictOf(check(model(`${p}\n${h1}\n${h2('{"p"}')}`, 'variables in1 = FALSE;')))).toBe('ok');
    expect(verdictOf(check(model(`${p}\n${h1}\n${h2('{"q"}')}`, 'variables in1 = FALSE;')))).toBe('Assertion at b2');
  });

  test('a set of handlers, one per CPU: preempts is evaluated for each (self)', () => {
    const text = (mine: string): string => model(`  process (P \\in {"p1", "p2"}) { s: assert busy[${mine}] = FALSE; }
  interrupt process (I \\in {"i1", "i2"}) preempts IF self = "i1" THEN {"p1"} ELSE {"p2"} { a: busy[self] := TRUE; b: busy[self] := FALSE; }`, 'variables busy = [i \\in {"i1", "i2"} |-> FALSE];');
    expect(verdictOf(check(text('IF self = "p1" THEN "i1" ELSE "i2"')))).toBe('ok');
    expect(verdictOf(check(text('IF self = "p1" THEN "i2" ELSE "i1"')))).toBe('Assertion at s');
    expect(programOf(text('"i1"')).instances.map((i) => i.preempts ?? null)).toEqual([null, null, ['p1'], ['p2']]);
  });

  test('interrupt and preempts are words only in an interrupt handler declaration', () => {
    expect(verdictOf(check(model('  process P = "p" { p1: interrupt := preempts + 1; }', 'variables interrupt = 0, preempts = 1;')))).toBe('ok');
  });
});

describe('InconsistentLockState', () => {
  const handler = '  interrupt process H = "h" preempts {"p"} { a: skip; b: spin_lock(l); c: spin_unlock(l); }';
  test('a lock a handler takes, taken in process context with interrupts enabled, at the acquisition', () => {
    const o = check(model(`  process P = "p" { p1: spin_lock(l); p2: spin_unlock(l); }\n${handler}`, 'spinlock l;'));
    expect(verdictOf(o)).toBe('InconsistentLockState at p1');
    expect(o.failure!.message).toBe('l, which an interrupt handler takes, taken in process context with interrupts enabled');
    // Reported at the acquisition, before the handler has arrived: the trace is the initial state, the failing step the reader's first.
    expect(o.trace!.length).toBe(1);
  });

  test('spin_lock_irqsave(), spin_lock_irq() and local_irq_disable() first: ok', () => {
    for (const take of ['spin_lock_irqsave(l, f); p2: spin_unlock_irqrestore(l, f);', 'spin_lock_irq(l); p2: spin_unlock_irq(l);', 'local_irq_disable(); spin_lock(l); p2: spin_unlock(l); local_irq_enable();']) {
      expect(verdictOf(check(model(`  process P = "p" variables f = FALSE; { p1: ${take} }\n${handler}`, 'spinlock l;')))).toBe('ok');
    }
  });

  test('lock classes, as lockdep: another element, another CPU, a trylock that succeeds, a lock the handler takes in a procedure', () => {
    const elements = model(`  process P = "p" { p1: spin_lock(bl[2]); p2: spin_unlock(bl[2]); }
  interrupt process H = "h" preempts {"p"} { a: skip; b: spin_lock(bl[1]); c: spin_unlock(bl[1]); }`, 'spinlock bl[i \\in 1..2];');
    expect(verdictOf(check(elements))).toBe('InconsistentLockState at p1');
    const otherCpu = model(`  process P = "p" { p1: skip; }\n  process Q = "q" { q1: spin_lock(l); q2: spin_unlock(l); }\n${handler}`, 'spinlock l;');
    expect(verdictOf(check(otherCpu))).toBe('InconsistentLockState at q1');
    const trylock = model(`  process P = "p" variables ok = FALSE; { p1: ok := spin_trylock(l); p2: if (ok) spin_unlock(l); }\n${handler}`, 'spinlock l;');
    expect(verdictOf(check(trylock))).toBe('InconsistentLockState at p1');
    const viaProcedure = model(`  procedure take() { t1: spin_lock(l); t2: spin_unlock(l); return; }
  process P = "p" { p1: spin_lock(l); p2: spin_unlock(l); }
  interrupt process H = "h" preempts {"p"} { a: call take(); }`, 'spinlock l;');
    expect(verdictOf(check(viaProcedure))).toBe('InconsistentLockState at p1');
  });

  test('interrupts enabled while holding such a lock: at local_irq_enable() or local_irq_restore()', () => {
    const enable = check(model(`  process P = "p" variables f = FALSE; { p1: spin_lock_irqsave(l, f); p2: local_irq_enable(); p3: spin_unlock(l); }\n${handler}`, 'spinlock l;'));
    expect([verdictOf(enable), enable.failure!.message]).toEqual(['InconsistentLockState at p2', 'interrupts enabled in process context while holding spinlock l']);
    const restore = `  process P = "p" variables f = FALSE, g = FALSE; { p1: spin_lock_irqsave(l, f); p2: local_irq_save(g); p3: local_irq_restore(RESTORED); p4: spin_unlock_irqrestore(l, f); }\n${handler}`;
    expect(verdictOf(check(model(restore.replace('RESTORED', 'f'), 'spinlock l;')))).toBe('InconsistentLockState at p3');
    expect(verdictOf(check(model(restore.replace('RESTORED', 'g'), 'spinlock l;')))).toBe('ok');
  });

  test('a lock no handler takes is not checked; a handler taking it is interrupt context', () => {
    expect(verdictOf(check(model(`  process P = "p" { p1: spin_lock(m); p2: spin_unlock(m); }\n${handler}`, 'spinlock l; spinlock m;')))).toBe('ok');
  });

  test('disabled: the deadlock it warns of is reached, TLC\'s figures', () => {
    const o = check(model(`  disable InconsistentLockState "shown as the deadlock";
  process P = "p" { p1: spin_lock(l); p2: spin_unlock(l); }\n${handler}`, 'spinlock l;'));
    expect(o.verdict).toBe('deadlock');
    expect(o.failure!.message).toBe('no process can take a step and not every process has finished; H waits for l held by P, which H preempts');
    expect(o.trace!.slice(1).map((s) => o.program!.labels[s.label].name)).toEqual(['p1', 'a']);
    // TLC 2.20 on the export: "Deadlock reached", 7 states generated, 7 distinct.
    expect([o.distinct, o.generated]).toEqual([7, 7]);
  });

  test('the deadlock names the preemption only when the handler preempts the holder', () => {
    const o = check(model(`  disable InconsistentLockState "shown as the deadlock";
  process P = "p" { p1: skip; }\n  process Q = "q" { q1: spin_lock(l); q2: await FALSE; }\n${handler}`, 'spinlock l;'));
    expect(o.failure!.message).toBe('no process can take a step and not every process has finished; H waits for l held by Q');
  });
});

describe('SleepInInterrupt', () => {
  const sleeps: [string, string][] = [
    ['might_sleep();', ''],
    ['mutex_lock(m); b: mutex_unlock(m);', 'sleeplock m;'],
    ['synchronize_rcu();', ''],
    ['wait_for_completion(c);', 'completion c;'],
    ['down_read(sem); b: up_read(sem);', 'rwsem sem;'],
    ['down_write(sem); b: up_write(sem);', 'rwsem sem;'],
    ['ok := mutex_trylock(m); b: if (ok) mutex_unlock(m);', 'variables ok = FALSE; sleeplock m;'],
  ];
  test.each(sleeps)('%s in a handler', (stmt, decls) => {
    const o = check(model(`  process P = "p" { p1: skip; }\n  interrupt process H = "h" preempts {"p"} { a: skip; s: ${stmt} }`, decls), { deadlock: false });
    expect(verdictOf(o)).toBe('SleepInInterrupt at s');
    expect(o.failure!.message).toMatch(/in interrupt context$/);
  });

  test('a sleeping lock the process takes too is the handler\'s SleepInInterrupt, not the process\'s InconsistentLockState', () => {
    for (const [take, release, decls] of [['mutex_lock(m)', 'mutex_unlock(m)', 'sleeplock m;'], ['down_write(sem)', 'up_write(sem)', 'rwsem sem;'], ['down_read(sem)', 'up_read(sem)', 'rwsem sem;']]) {
      const o = check(model(`  process P = "p" { p1: ${take}; p2: ${release}; }\n  interrupt process H = "h" preempts {"p"} { a: skip; s: ${take}; b: ${release}; }`, decls), { deadlock: false });
      expect(verdictOf(o)).toBe('SleepInInterrupt at s');
    }
  });

  test('a procedure that sleeps: in interrupt context when a handler calls it, not when a process does', () => {
    const text = (caller: string): string => model(`  procedure nap() { n: might_sleep(); return; }
  process P = "p" { p1: ${caller === 'P' ? 'call nap();' : 'skip;'} }
  interrupt process H = "h" preempts {"p"} { a: ${caller === 'H' ? 'call nap();' : 'skip;'} }`);
    expect(verdictOf(check(text('H')))).toBe('SleepInInterrupt at n');
    expect(verdictOf(check(text('P')))).toBe('ok');
  });

  test('disable SleepInInterrupt "reason" switches it off', () => {
    expect(verdictOf(check(model('  disable SleepInInterrupt "the model sleeps on purpose";\n  process P = "p" { p1: skip; }\n  interrupt process H = "h" preempts {"p"} { a: might_sleep(); }')))).toBe('ok');
  });
});

describe('SleepInAtomic with interrupts disabled', () => {
  const sleeps: [string, string][] = [
    ['might_sleep();', ''],
    ['mutex_lock(m); b: mutex_unlock(m);', 'sleeplock m;'],
    ['down_read(sem); b: up_read(sem);', 'rwsem sem;'],
    ['down_write(sem); b: up_write(sem);', 'rwsem sem;'],
    ['schedule();', 'waitqueue wq until TRUE;'],
    ['wait_for_completion(c);', 'completion c;'],
    ['synchronize_rcu();', ''],
  ];
  const process = (off: string, stmt: string): string => `  process P = "p" variables f = FALSE; { p1: ${off} s: ${stmt} }`;
  test.each(sleeps)('%s after local_irq_disable() or local_irq_save()', (stmt, decls) => {
    for (const off of ['local_irq_disable();', 'local_irq_save(f);']) {
      const o = check(model(process(off, stmt), decls), { deadlock: false });
      expect(verdictOf(o)).toBe('SleepInAtomic at s');
      expect(o.failure!.message).toMatch(/ with interrupts disabled$/);
    }
    // Enabled again (local_irq_enable(), or restored to enabled): it may sleep.
    for (const on of ['local_irq_disable(); local_irq_enable();', 'local_irq_save(f); local_irq_restore(f);']) {
      expect(verdictOf(check(model(process(on, stmt), decls), { deadlock: false }))).toBe('ok');
    }
  });

  test('the message names the sleeping point', () => {
    const o = check(model(process('local_irq_disable();', 'mutex_lock(m); b: mutex_unlock(m);'), 'sleeplock m;'));
    expect(o.failure!.message).toBe('might_sleep() with interrupts disabled');
    const sem = check(model(process('local_irq_disable();', 'down_read(sem); b: up_read(sem);'), 'rwsem sem;'));
    expect(sem.failure!.message).toBe('sleeping lock sem taken with interrupts disabled');
  });

  test('inside spin_lock_irqsave(): the held spinlock is named first', () => {
    const o = check(model('  process P = "p" variables f = FALSE; { p1: spin_lock_irqsave(l, f); s: might_sleep(); p2: spin_unlock_irqrestore(l, f); }', 'spinlock l;'));
    expect([verdictOf(o), o.failure!.message]).toEqual(['SleepInAtomic at s', 'might_sleep() while holding spinlock l']);
  });

  test('a handler that disables interrupts and sleeps is SleepInInterrupt, not SleepInAtomic', () => {
    const o = check(model('  process P = "p" { p1: skip; }\n  interrupt process H = "h" preempts {"p"} { a: skip; s: local_irq_disable(); might_sleep(); }'));
    expect(verdictOf(o)).toBe('SleepInInterrupt at s');
  });

  test('disable SleepInAtomic "reason" switches it off', () => {
    expect(verdictOf(check(model(`  disable SleepInAtomic "on purpose";\n${process('local_irq_disable();', 'might_sleep();')}`)))).toBe('ok');
  });
});

describe('what cannot be checked is a located error', () => {
  test('preempts must be a set of ordinary processes', () => {
    const text = (set: string): string => model(`  process P = "p" { p1: skip; }\n  interrupt process H = "h" preempts ${set} { a: skip; }\n  interrupt process G = "g" preempts {} { g: skip; }`);
    expect(errorsOf(text('{"q"}'))[0]).toMatch(/LS3170.*interrupt handler H preempts "q"/);
    expect(errorsOf(text('{"g"}'))[0]).toMatch(/LS3170.*interrupt handler H preempts "g"/);
    expect(errorsOf(text('"p"'))[0]).toMatch(/LS3170.*interrupt handler H preempts "p"/);
  });

  test('a handler whose first step takes a lock', () => {
    const errs = errorsOf(model('  process P = "p" { p1: skip; }\n  interrupt process H = "h" preempts {"p"} { a: spin_lock(l); b: spin_unlock(l); }', 'spinlock l;'));
    expect(errs[0]).toMatch(/LS3171.*the first step of interrupt handler H takes a lock/);
  });

  test('symmetry over the ids of handlers or of the processes they preempt', () => {
    const text = model(`  process (P \\in PS) { p1: skip; }\n  interrupt process H = "h" preempts {p1} { a: skip; }`, 'constants PS = {p1, p2}; values p1, p2; symmetry PS;');
    expect(errorsOf(text)[0]).toMatch(/LS3173.*symmetry PS holds p1/);
  });

  test('local_irq_save() of an expression', () => {
    expect(errorsOf(model('  process P = "p" { p1: local_irq_save(1); }'))[0]).toMatch(/LS3172.*local_irq_save of an expression/);
  });
});

test('the export carries the interleaving rule as plain TLA+: an await on the handler\'s pc', () => {
  const p = programOf(model(`  process P = "p" { p1: spin_lock(l); p2: spin_unlock(l); }\n  interrupt process H = "h" preempts {"p"} { a: skip; b: spin_lock(l); c: spin_unlock(l); }`, 'spinlock l; disable InconsistentLockState "deadlock";'));
  expect(exportTla(p).module).toContain('pc["h"] \\in {"Done", "a"}');
});

withTlc('TLC', () => {
  test('a handler that arrives again, interrupts disabled and restored, two CPUs: TLC\'s state counts', () => {
    const file = writeModel(model(`  process P = "p" variables f = FALSE; { p1: local_irq_save(f); p2: x := x; p3: local_irq_restore(f); }
  process Q = "q" { q1: skip; q2: skip; }
  interrupt process H = "h" preempts {"p"} { a: while (n < 2) { b: x := 1; c: x := 0; n := n + 1; } }
  interrupt process G = "g" preempts {"q"} { g1: skip; g2: skip; }`, 'variables x = 0, n = 0;'));
    const o = checkModel(file, {});
    expect(o.verdict).toBe('ok');
    const tlc = runTlc(exportTla(o.program!));
    expect([tlc.distinct, tlc.generated]).toEqual([o.distinct, o.generated]);
  });

  test('the disabled check\'s deadlock, on TLC', () => {
    const file = writeModel(model(`  disable InconsistentLockState "shown as the deadlock";
  process P = "p" { p1: spin_lock(l); p2: spin_unlock(l); }
  interrupt process H = "h" preempts {"p"} { a: skip; b: spin_lock(l); c: spin_unlock(l); }`, 'spinlock l;'));
    const o = checkModel(file, {});
    const tlc = runTlc(exportTla(o.program!));
    expect(tlc.out).toContain('Deadlock reached');
    expect([tlc.distinct, tlc.generated]).toEqual([o.distinct, o.generated]);
  });
});
