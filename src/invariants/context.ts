// What every family of built-in checks shares: the kernel pass's view of the program (its globals'
// kernel roles, the checks switched off with `disable`, fresh binder ids, where RCU keeps its hidden
// state), small IR builders, and the rule that a check switched off with `disable` emits nothing.
import type { Span } from '../diagnostics/span.js';
import type * as IR from '../lang/ir.js';
import type { BuiltinCheck } from '../lang/ir.js';
import type { Value } from '../lang/values.js';

export interface KernelContext {
  /** The program as the core lowering made it: globals with their kernel roles, locks, disabled checks. */
  program: IR.Program;
  disabled: Set<string>;
  /** A binder id no other binder of the program uses. */
  freshBound: () => number;
  /** Where RCU's hidden state is (null: the program uses no RCU primitive). */
  rcu: RcuGlobals | null;
  /** The global of each process's next step of wait_event() (null: the program has no wait_event()); see waits.ts. */
  waitEventStep: number | null;
  /** The interrupt handlers and where the interrupt state is (null: no handler and no local_irq_* operation). */
  interrupts: InterruptGlobals | null;
}

/** What the kernel pass knows of a program's interrupt handlers (src/invariants/interrupts.ts). */
export interface InterruptGlobals {
  /** The hidden global: process id -> interrupts disabled by it on its CPU (null: no local_irq_* operation). */
  irqsOff: number | null;
  /** Each handler instance: its id, its first label's name, the ids of the processes it preempts. */
  handlers: { id: Value; entry: string; preempts: Value[] }[];
  /** The spinlocks (globals) that some handler takes, with lock() or trylock(), in its steps or its procedures'. */
  handlerLocks: Set<number>;
}

/** The hidden globals of RCU a program uses (null: it uses none). */
export interface RcuGlobals {
  /** Process id -> read-side nesting depth. */
  nesting: number;
  /** Process id -> the readers its synchronize_rcu() still waits for (null: no synchronize_rcu()). */
  gracePeriod: number | null;
  /** Object family (global index) -> its hidden global: object -> readers its kfree_rcu() waits for. */
  pendingFree: Map<number, number>;
}

export const lit = (value: Value): IR.Expr => ({ k: 'lit', value });
/** `left` and `right` are the same value (the identity test of IR's `same`: never an error). */
export const eq = (left: IR.Expr, right: IR.Expr, span: Span): IR.Expr => ({ k: 'bin', op: 'same', left, right, span });
export const apply = (fn: IR.Expr, arg: IR.Expr, span: Span): IR.Expr => ({ k: 'apply', fn, arg, span });
export const not = (arg: IR.Expr): IR.Expr => ({ k: 'not', arg });
export const SELF: IR.Expr = { k: 'self' };

export function enabled(ctx: KernelContext, property: BuiltinCheck): boolean {
  return !ctx.disabled.has(property);
}

/** A named check statement, or nothing when the check is disabled. */
export function check(ctx: KernelContext, cond: IR.Expr, property: BuiltinCheck, message: string, span: Span): IR.Stmt[] {
  return enabled(ctx, property) ? [{ k: 'check', cond, property, message, span }] : [];
}

/** Global `index`'s value, or its element at `key` (the read spanning `span`). */
export function element(index: number, key: IR.Expr | null, span: Span): IR.Expr {
  const whole: IR.Expr = { k: 'global', index };
  return key === null ? whole : apply(whole, key, span);
}

/** An operand's current value. */
export function operandRead(o: IR.KernelOperand): IR.Expr {
  return element(o.global, o.key, o.span);
}

/** An operand as an assignment target. */
export function operandTarget(o: IR.KernelOperand): IR.Target {
  return { ref: { kind: 'global', index: o.global }, path: o.key === null ? [] : [o.key] };
}

/** The name of an operand's global, for messages. */
export function nameOf(ctx: KernelContext, o: IR.KernelOperand): string {
  return ctx.program.globals[o.global].name;
}

/** The kernel role of global `index`, which the core lowering recorded (a kernel kind names only such globals). */
export function roleOf<K extends IR.KernelRole['kind']>(ctx: KernelContext, index: number, kind: K): Extract<IR.KernelRole, { kind: K }> {
  const role = ctx.program.globals[index].role;
  if (role?.kind !== kind) throw new Error(`internal error: global ${ctx.program.globals[index].name} is not a ${kind}`);
  return role as Extract<IR.KernelRole, { kind: K }>;
}
