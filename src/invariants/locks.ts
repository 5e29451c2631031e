// Locks: lock, unlock, trylock and might_sleep lowered with their checks (SelfDeadlock,
// UnlockNotHeld, SleepInAtomic, LockHeldAtExit), and the lock facts other parts read off the IR
// (which lock a label's step waits for: a `lock()` lowers to checks, `await L = nobody`, `L := self`).
import type * as A from '../parser/ast.js';
import type * as IR from '../lang/ir.js';
import type { Scope } from '../lang/expressions.js';
import { isFn, valueEquals, type Value } from '../lang/values.js';
import { NOBODY, SELF, apply, check, eq, lit, not, resolve, type KernelContext } from './context.js';

/** Whether the running process holds some lock of this kind (spin, or any). */
function holdsAny(ctx: KernelContext, kind: 'spin' | 'any', span: A.Span): IR.Expr {
  const parts: IR.Expr[] = [];
  for (const g of ctx.globals()) {
    if (g.role.kind !== 'lock' || (kind === 'spin' && g.role.lockKind !== 'spin')) continue;
    const whole: IR.Expr = { k: 'global', index: g.index };
    if (g.domain) {
      const id = ctx.freshBound();
      const x: IR.Expr = { k: 'bound', id, name: 'l' };
      parts.push({ k: 'quant', forall: false, bounds: [id], sets: [{ k: 'setEnum', elems: g.domain.map(lit) }], body: eq(apply(whole, x, span), SELF, span), span });
    } else parts.push(eq(whole, SELF, span));
  }
  return parts.length === 0 ? lit(false) : { k: 'or', args: parts };
}

/** What a process checks when it finishes: it holds no lock. */
export function locksAtExit(ctx: KernelContext, span: A.Span): IR.Stmt[] {
  if (!ctx.globals().some((g) => g.role.kind === 'lock')) return [];
  return check(ctx, not(holdsAny(ctx, 'any', span)), 'LockHeldAtExit', 'the process finishes holding a lock', span);
}

export function mightSleep(ctx: KernelContext, span: A.Span): IR.Stmt[] {
  return check(ctx, not(holdsAny(ctx, 'spin', span)), 'SleepInAtomic', 'might_sleep() while holding a spinlock', span);
}

export function lock(ctx: KernelContext, arg: A.Expr, scope: Scope, span: A.Span): IR.Stmt[] {
  const l = resolve(ctx, arg, scope, 'lock', 'lock');
  if (!l) return [];
  const sleeping = l.g.role.kind === 'lock' && l.g.role.lockKind === 'sleep';
  return [
    ...check(ctx, not(eq(l.read, SELF, span)), 'SelfDeadlock', `lock(${l.name}) by its holder`, span),
    ...(sleeping ? check(ctx, not(holdsAny(ctx, 'spin', span)), 'SleepInAtomic', `sleeping lock ${l.name} taken while holding a spinlock`, span) : []),
    { k: 'await', cond: eq(l.read, lit(NOBODY), span), span },
    { k: 'assign', targets: [l.target], values: [SELF], span },
  ];
}

export function unlock(ctx: KernelContext, arg: A.Expr, scope: Scope, span: A.Span): IR.Stmt[] {
  const l = resolve(ctx, arg, scope, 'lock', 'unlock');
  if (!l) return [];
  return [
    ...check(ctx, eq(l.read, SELF, span), 'UnlockNotHeld', `unlock(${l.name}) of a lock this process does not hold`, span),
    { k: 'assign', targets: [l.target], values: [lit(NOBODY)], span },
  ];
}

/** `ok := trylock(L)`: takes a free lock; never blocks or sleeps, so nothing to check. */
export function trylock(ctx: KernelContext, arg: A.Expr, result: IR.Target, scope: Scope, span: A.Span): IR.Stmt[] {
  const l = resolve(ctx, arg, scope, 'lock', 'trylock');
  if (!l) return [];
  return [{
    k: 'if',
    cond: eq(l.read, lit(NOBODY), span),
    then: [{ k: 'assign', targets: [l.target, result], values: [SELF, lit(true)], span }],
    else: [{ k: 'assign', targets: [result], values: [lit(false)], span }],
    span,
  }];
}

/** What a label's step waits for first: its lock global and the key when it is a literal. */
export function awaitedLock(program: IR.Program, label: number): { global: number; key: IR.Expr | null } | null {
  for (const s of program.labels[label].body) {
    if (s.k === 'check') continue;
    if (s.k !== 'await') return null;
    const c = s.cond;
    if (c.k !== 'bin' || c.op !== '=' || c.right.k !== 'lit' || !valueEquals(c.right.value, NOBODY)) return null;
    if (c.left.k === 'global') return { global: c.left.index, key: null };
    if (c.left.k === 'apply' && c.left.fn.k === 'global') return { global: c.left.fn.index, key: c.left.arg };
    return null;
  }
  return null;
}

/**
 * Who holds a lock element: the instance index of `lockValue`'s holder, for a null key the value
 * itself, else its entry at `key` (-1: nobody). Lock statistics read it from every state.
 */
export function holderIndex(program: IR.Program, lockValue: Value, key: Value | null): number {
  const h = key === null ? lockValue : isFn(lockValue) ? lockValue.get(key)! : NOBODY;
  return valueEquals(h, NOBODY) ? -1 : program.instances.findIndex((inst) => valueEquals(inst.id, h));
}
