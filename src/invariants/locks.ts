// Locks: lock, unlock, trylock and might_sleep rewritten with their checks (SelfDeadlock,
// UnlockNotHeld, SleepInAtomic, LockHeldAtExit), and the lock facts other parts read off the IR
// (which locks a label's step may wait for: the `waitsFor` of the awaits `lock()` becomes).
import type { Span } from '../diagnostics/span.js';
import type * as IR from '../lang/ir.js';
import { NOBODY, type LockKind } from '../lang/ir.js';
import { forEachStmt } from '../lang/ir-walk.js';
import { isFn, valueEquals, type Value } from '../lang/values.js';
import { SELF, apply, check, eq, lit, nameOf, not, operandRead, operandTarget, roleOf, type KernelContext } from './context.js';
import { sleepInReader } from './rcu.js';

/** Whether the running process holds some lock (of kind `only`, or of any kind when null). */
function holdsAny(ctx: KernelContext, only: LockKind | null, span: Span): IR.Expr {
  const parts: IR.Expr[] = [];
  for (const l of ctx.program.locks) {
    if (only !== null && l.kind !== only) continue;
    const whole: IR.Expr = { k: 'global', index: l.global };
    if (l.domain) {
      const id = ctx.freshBound();
      const x: IR.Expr = { k: 'bound', id, name: 'l' };
      parts.push({ k: 'quant', forall: false, bounds: [id], sets: [{ k: 'setEnum', elems: l.domain.map(lit) }], body: eq(apply(whole, x, span), SELF, span), span });
    } else parts.push(eq(whole, SELF, span));
  }
  return parts.length === 0 ? lit(false) : { k: 'or', args: parts };
}

/** What a process checks when it finishes: it holds no lock. */
export function locksAtExit(ctx: KernelContext, span: Span): IR.Stmt[] {
  if (ctx.program.locks.length === 0) return [];
  return check(ctx, not(holdsAny(ctx, null, span)), 'LockHeldAtExit', 'the process finishes holding a lock', span);
}

export function mightSleep(ctx: KernelContext, span: Span): IR.Stmt[] {
  return [
    ...check(ctx, not(holdsAny(ctx, 'spin', span)), 'SleepInAtomic', 'might_sleep() while holding a spinlock', span),
    ...sleepInReader(ctx, 'might_sleep()', span),
  ];
}

export function lock(ctx: KernelContext, s: IR.KernelOpStmt): IR.Stmt[] {
  const { operand, span } = s;
  const name = nameOf(ctx, operand);
  const read = operandRead(operand);
  const sleeping = roleOf(ctx, operand.global, 'lock').lockKind === 'sleep';
  return [
    ...check(ctx, not(eq(read, SELF, span)), 'SelfDeadlock', `lock(${name}) by its holder`, span),
    ...(sleeping ? check(ctx, not(holdsAny(ctx, 'spin', span)), 'SleepInAtomic', `sleeping lock ${name} taken while holding a spinlock`, span) : []),
    ...(sleeping ? sleepInReader(ctx, `sleeping lock ${name} taken`, span) : []),
    { k: 'await', cond: eq(read, lit(NOBODY), span), span, waitsFor: { global: operand.global, key: operand.key } },
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

/** `ok := trylock(L)`: takes a free lock; never blocks or sleeps, so nothing to check. */
export function trylock(s: Extract<IR.Stmt, { k: 'trylock' }>): IR.Stmt[] {
  const { operand, result, span } = s;
  return [{
    k: 'if',
    cond: eq(operandRead(operand), lit(NOBODY), span),
    then: [{ k: 'assign', targets: [operandTarget(operand), result], values: [SELF, lit(true)], span }],
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
