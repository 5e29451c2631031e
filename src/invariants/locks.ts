// Locks: lock, unlock, trylock and might_sleep rewritten with their checks (SelfDeadlock,
// UnlockNotHeld, SleepInAtomic (a spinlock held or interrupts disabled), LockHeldAtExit; interrupts.ts's InconsistentLockState and
// SleepInInterrupt), the rw-semaphores' down_read, up_read, down_write and up_write with the same
// checks (its lock's global holds its writer, a global the pass adds its readers), and the lock facts
// other parts read off the IR (which locks a label's step may wait for: the `waitsFor` of the awaits
// `lock()` and `down_*()` become).
import type { Span } from '../diagnostics/span.js';
import type * as IR from '../lang/ir.js';
import { NOBODY, type BuiltinCheck, type LockKind } from '../lang/ir.js';
import { forEachStmt } from '../lang/ir-walk.js';
import { isFn, mkFn, mkTuple, showValue, valueEquals, type Value } from '../lang/values.js';
import { SELF, apply, check, eq, lit, nameOf, not, operandRead, operandTarget, roleOf, type KernelContext } from './context.js';
import { irqSafeLock, sleepInInterrupt, sleepWithIrqsDisabled } from './interrupts.js';
import { sleepInReader } from './rcu.js';

/**
 * One check per lock (per element of an array of locks) of kind `only` (any kind when null) that
 * the running process does not hold it, each message naming its lock: `${what} spinlock BL[1]`.
 */
function notHolding(ctx: KernelContext, only: LockKind | null, property: BuiltinCheck, what: string, span: Span): IR.Stmt[] {
  return notHoldingAny(ctx, (l) => only === null || l.kind === only, property, what, span);
}

/** As notHolding, for the locks `which` selects. */
function notHoldingAny(ctx: KernelContext, which: (l: IR.LockInfo) => boolean, property: BuiltinCheck, what: string, span: Span): IR.Stmt[] {
  return ctx.program.locks.flatMap((l) => {
    if (!which(l)) return [];
    const whole: IR.Expr = { k: 'global', index: l.global };
    const kind = l.kind === 'spin' ? 'spinlock' : l.kind === 'rwsem' ? 'rw-semaphore' : 'sleeping lock';
    const elements = l.domain ? l.domain.map((d) => ({ read: apply(whole, lit(d), span), name: `${l.name}[${showValue(d)}]` })) : [{ read: whole, name: l.name }];
    return elements.flatMap((e) => check(ctx, not(eq(e.read, SELF, span)), property, `${what} ${kind} ${e.name}`, span));
  });
}

/** InconsistentLockState's check that the running process holds none of the locks (globals) `locks`. */
export function holdsNoneOf(ctx: KernelContext, locks: Set<number>, what: string, span: Span): IR.Stmt[] {
  return notHoldingAny(ctx, (l) => locks.has(l.global), 'InconsistentLockState', what, span);
}

/** What a process checks when it finishes: it holds no lock, and no rw-semaphore for read. */
export function locksAtExit(ctx: KernelContext, span: Span): IR.Stmt[] {
  const reading = ctx.program.locks.flatMap((l) => {
    const keys = l.domain ? l.domain.map((d): [IR.Expr, string] => [lit(d), `${l.name}[${showValue(d)}]`]) : [[null, l.name] as [null, string]];
    return l.readers === undefined ? [] : keys.flatMap(([key, name]) => check(ctx, not(eq(ownRead(l.readers!, key, span), SELF, span)), 'LockHeldAtExit', `the process finishes holding rw-semaphore ${name} for read`, span));
  });
  return [...notHolding(ctx, null, 'LockHeldAtExit', 'the process finishes holding', span), ...reading];
}

/**
 * What a point that may sleep (`what`: `might_sleep()`, `sleeping lock m taken`) checks, the
 * kernel's "sleeping function called from invalid context": no spinlock held, interrupts not
 * disabled (SleepInAtomic), no RCU read-side section open, not in an interrupt handler.
 */
function maySleep(ctx: KernelContext, what: string, span: Span): IR.Stmt[] {
  return [
    ...notHolding(ctx, 'spin', 'SleepInAtomic', `${what} while holding`, span),
    ...sleepWithIrqsDisabled(ctx, what, span),
    ...sleepInReader(ctx, what, span),
    ...sleepInInterrupt(ctx, what, span),
  ];
}

const mayTakeSleeping = (ctx: KernelContext, name: string, span: Span): IR.Stmt[] => maySleep(ctx, `sleeping lock ${name} taken`, span);

export const mightSleep = (ctx: KernelContext, span: Span): IR.Stmt[] => maySleep(ctx, 'might_sleep()', span);

export function lock(ctx: KernelContext, s: IR.KernelOpStmt): IR.Stmt[] {
  const { operand, span } = s;
  const name = nameOf(ctx, operand);
  const read = operandRead(operand);
  const sleeping = roleOf(ctx, operand.global, 'lock').lockKind === 'sleep';
  return [
    ...check(ctx, not(eq(read, SELF, span)), 'SelfDeadlock', `lock(${name}) by its holder`, span),
    ...(sleeping ? mayTakeSleeping(ctx, name, span) : []),
    { k: 'await', cond: eq(read, lit(NOBODY), span), span, waitsFor: { global: operand.global, key: operand.key } },
    ...irqSafeLock(ctx, operand.global, name, span),
    { k: 'assign', targets: [operandTarget(operand)], values: [SELF], span },
  ];
}

/**
 * unlock(L): only the owner releases a lock (UnlockNotHeld, the kernel's mutex owner check), in
 * two checks whose messages tell a lock nobody holds from one another process holds.
 */
export function unlock(ctx: KernelContext, s: IR.KernelOpStmt, op = 'unlock'): IR.Stmt[] {
  const { operand, span } = s;
  const read = operandRead(operand);
  const what = `${op}(${nameOf(ctx, operand)}) by a process that does not hold it`;
  return [
    ...check(ctx, not(eq(read, lit(NOBODY), span)), 'UnlockNotHeld', `${what}: nobody does`, span),
    ...check(ctx, eq(read, SELF, span), 'UnlockNotHeld', `${what}: another process does`, span),
    { k: 'assign', targets: [operandTarget(operand)], values: [lit(NOBODY)], span },
  ];
}

/** The program with the readers' global of each rw-semaphore (IR.LockInfo.readers): nobody reads at first. */
export function addRwsemReaders(program: IR.Program): IR.Program {
  if (!program.locks.some((l) => l.kind === 'rwsem')) return program;
  const globals = [...program.globals];
  const ids = program.instances.map((i) => i.id);
  const locks = program.locks.map((l): IR.LockInfo => {
    if (l.kind !== 'rwsem') return l;
    const domain = l.domain ? l.domain.flatMap((d) => ids.map((id) => mkTuple([d, id]))) : ids;
    const { span } = program.globals[l.global];
    globals.push({ name: `${l.name}$readers`, inits: [mkFn(domain.map((k): [Value, Value] => [k, NOBODY]))], shape: { kind: 'fn', domain, elem: { kind: 'leaf' } }, span });
    return { ...l, readers: globals.length - 1 };
  });
  return { ...program, globals, locks };
}

/** The entry of readers' global `readers` for process `who` on the element at `key` (null: a single semaphore). */
function readerEntry(readers: number, key: IR.Expr | null, who: IR.Expr, span: Span): IR.Expr {
  return apply({ k: 'global', index: readers }, key === null ? who : { k: 'tuple', elems: [key, who] }, span);
}
const ownRead = (readers: number, key: IR.Expr | null, span: Span): IR.Expr => readerEntry(readers, key, SELF, span);

/**
 * down_read(), up_read(), down_write(), up_write() on an rw-semaphore: readers share it, a writer
 * excludes readers and writers. Taking it may sleep; taking it again while holding it is a
 * SelfDeadlock (a recursive read too: lockdep reports it, since a writer waiting between the two
 * reads blocks the second); only its writer releases the write lock and only a reader a read lock
 * (UnlockNotHeld).
 */
export function rwsem(ctx: KernelContext, s: IR.KernelOpStmt & { op: IR.RwsemOp }): IR.Stmt[] {
  const { operand, span } = s;
  const name = nameOf(ctx, operand);
  const readers = ctx.program.locks.find((l) => l.global === operand.global)!.readers!;
  const writer = operandRead(operand);
  const mine = ownRead(readers, operand.key, span);
  const setMine = (v: IR.Expr): IR.Stmt => ({ k: 'assign', targets: [{ ref: { kind: 'global', index: readers }, path: [operand.key === null ? SELF : { k: 'tuple', elems: [operand.key, SELF] }] }], values: [v], span });
  const take = (op: string, free: IR.Expr): IR.Stmt[] => [
    ...check(ctx, not(eq(writer, SELF, span)), 'SelfDeadlock', `${op}(${name}) by its writer`, span),
    ...check(ctx, not(eq(mine, SELF, span)), 'SelfDeadlock', `${op}(${name}) by a process that holds it for read (a writer waiting between the two blocks it)`, span),
    ...mayTakeSleeping(ctx, name, span),
    { k: 'await', cond: free, span, waitsFor: { global: operand.global, key: operand.key } },
  ];
  const noWriter = eq(writer, lit(NOBODY), span);
  switch (s.op) {
    case 'downRead':
      return [...take('down_read', noWriter), setMine(SELF)];
    case 'upRead':
      return [...check(ctx, eq(mine, SELF, span), 'UnlockNotHeld', `up_read(${name}) by a process that does not hold it for read`, span), setMine(lit(NOBODY))];
    case 'downWrite': {
      const noReader = ctx.program.instances.map((inst) => eq(readerEntry(readers, operand.key, lit(inst.id), span), lit(NOBODY), span));
      return [...take('down_write', { k: 'and', args: [noWriter, ...noReader] }), { k: 'assign', targets: [operandTarget(operand)], values: [SELF], span }];
    }
    case 'upWrite':
      return unlock(ctx, s, 'up_write');
  }
}

/**
 * `ok := trylock(L)`: takes a free lock; it never blocks or sleeps, so its checks are that of a
 * lock an interrupt handler takes, when it takes it (InconsistentLockState), and that of a sleeping
 * lock tried in interrupt context (SleepInInterrupt).
 */
export function trylock(ctx: KernelContext, s: Extract<IR.Stmt, { k: 'trylock' }>): IR.Stmt[] {
  const { operand, result, span } = s;
  // mutex_trylock() never sleeps, but the kernel forbids it in interrupt context (its owner would be
  // the interrupted task).
  const sleeping = roleOf(ctx, operand.global, 'lock').lockKind === 'sleep';
  return [...(sleeping ? sleepInInterrupt(ctx, `trylock of sleeping lock ${nameOf(ctx, operand)}`, span) : []), {
    k: 'if',
    cond: eq(operandRead(operand), lit(NOBODY), span),
    then: [...irqSafeLock(ctx, operand.global, nameOf(ctx, operand), span), { k: 'assign', targets: [operandTarget(operand), result], values: [SELF, lit(true)], span }],
    else: [{ k: 'assign', targets: [result], values: [lit(false)], span }],
    span,
  }];
}

/** The locks a label's step may wait for: the lock of every `lock()` await anywhere in its body. */
export function locksAwaited(program: IR.Program, label: number): number[] {
  const globals = new Set<number>();
  forEachStmt(program.labels[label].body, (s) => {
    if (s.k === 'await' && s.waitsFor) globals.add(s.waitsFor.global);
  });
  return [...globals];
}

/**
 * Who holds a lock element: the instance index of `lockValue`'s holder, for a null key the value
 * itself, else its entry at `key` (-1: nobody). Lock statistics read it from every state.
 */
export function holderIndex(program: IR.Program, lockValue: Value, key: Value | null): number {
  const h = key === null ? lockValue : isFn(lockValue) ? lockValue.get(key)! : NOBODY;
  return valueEquals(h, NOBODY) ? -1 : program.instances.findIndex((inst) => valueEquals(inst.id, h));
}
