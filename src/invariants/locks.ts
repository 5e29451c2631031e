// Locks: lock, unlock, trylock and might_sleep rewritten with their checks (SelfDeadlock,
// UnlockNotHeld, SleepInAtomic, LockHeldAtExit; interrupts.ts's InconsistentLockState and
// SleepInInterrupt), and the lock facts other parts read off the IR (which locks a label's step
// may wait for: the `waitsFor` of the awaits `lock()` becomes).
import type { Span } from '../diagnostics/span.js';
import type * as IR from '../lang/ir.js';
import { NOBODY, type BuiltinCheck, type LockKind } from '../lang/ir.js';
import { forEachStmt } from '../lang/ir-walk.js';
import { isFn, showValue, valueEquals, type Value } from '../lang/values.js';
import { SELF, apply, check, eq, lit, nameOf, not, operandRead, operandTarget, roleOf, type KernelContext } from './context.js';
import { irqSafeLock, sleepInInterrupt } from './interrupts.js';
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
    const kind = l.kind === 'spin' ? 'spinlock' : 'sleeping lock';
    const elements = l.domain ? l.domain.map((d) => ({ read: apply(whole, lit(d), span), name: `${l.name}[${showValue(d)}]` })) : [{ read: whole, name: l.name }];
    return elements.flatMap((e) => check(ctx, not(eq(e.read, SELF, span)), property, `${what} ${kind} ${e.name}`, span));
  });
}

/** InconsistentLockState's check that the running process holds none of the locks (globals) `locks`. */
export function holdsNoneOf(ctx: KernelContext, locks: Set<number>, what: string, span: Span): IR.Stmt[] {
  return notHoldingAny(ctx, (l) => locks.has(l.global), 'InconsistentLockState', what, span);
}

/** What a process checks when it finishes: it holds no lock. */
export function locksAtExit(ctx: KernelContext, span: Span): IR.Stmt[] {
  return notHolding(ctx, null, 'LockHeldAtExit', 'the process finishes holding', span);
}

export function mightSleep(ctx: KernelContext, span: Span): IR.Stmt[] {
  return [
    ...notHolding(ctx, 'spin', 'SleepInAtomic', 'might_sleep() while holding', span),
    ...sleepInReader(ctx, 'might_sleep()', span),
    ...sleepInInterrupt(ctx, 'might_sleep()', span),
  ];
}

export function lock(ctx: KernelContext, s: IR.KernelOpStmt): IR.Stmt[] {
  const { operand, span } = s;
  const name = nameOf(ctx, operand);
  const read = operandRead(operand);
  const sleeping = roleOf(ctx, operand.global, 'lock').lockKind === 'sleep';
  return [
    ...check(ctx, not(eq(read, SELF, span)), 'SelfDeadlock', `lock(${name}) by its holder`, span),
    ...(sleeping ? notHolding(ctx, 'spin', 'SleepInAtomic', `sleeping lock ${name} taken while holding`, span) : []),
    ...(sleeping ? sleepInReader(ctx, `sleeping lock ${name} taken`, span) : []),
    ...(sleeping ? sleepInInterrupt(ctx, `sleeping lock ${name} taken`, span) : []),
    { k: 'await', cond: eq(read, lit(NOBODY), span), span, waitsFor: { global: operand.global, key: operand.key } },
    ...irqSafeLock(ctx, operand.global, name, span),
    { k: 'assign', targets: [operandTarget(operand)], values: [SELF], span },
  ];
}

export function unlock(ctx: KernelContext, s: IR.KernelOpStmt): IR.Stmt[] {
  const { operand, span } = s;
  return [
    ...check(ctx, eq(operandRead(operand), SELF, span), 'UnlockNotHeld', `unlock(${nameOf(ctx, operand)}) of a lock this process does not hold`, span),
    { k: 'assign', targets: [operandTarget(operand)], values: [lit(NOBODY)], span },
  ];
}

/**
 * `ok := trylock(L)`: takes a free lock; it never blocks or sleeps, so the one check is that of a
 * lock an interrupt handler takes, when it takes it (InconsistentLockState).
 */
export function trylock(ctx: KernelContext, s: Extract<IR.Stmt, { k: 'trylock' }>): IR.Stmt[] {
  const { operand, result, span } = s;
  return [{
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
