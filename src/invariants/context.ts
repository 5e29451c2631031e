// What every family of built-in checks shares: the lowering's view of the kernel declarations,
// small IR builders, and the rule that a check switched off with `disable` emits nothing.
import type * as A from '../parser/ast.js';
import type * as IR from '../lang/ir.js';
import { diag, type Diagnostic } from '../diagnostics/diagnostics.js';
import type { ExprLowering, GlobalRole, Scope, Symbol } from '../lang/expressions.js';
import { ModelValue, type Value } from '../lang/values.js';

/** The holder value of a free lock. */
export const NOBODY = new ModelValue('nobody');

/** Every built-in check, by the property name reports use. */
export const BUILTIN_CHECKS = [
  'SelfDeadlock', 'UnlockNotHeld', 'SleepInAtomic', 'LockHeldAtExit',
  'RefcountNonNegative', 'FreeWhileReferenced', 'NoLeak',
  'NoUseAfterFree', 'DoubleFree', 'MappingToFreed', 'MappingUnique',
  'Deadlock',
] as const;

export interface GlobalInfo {
  name: string;
  index: number;
  role: GlobalRole;
  domain: Value[] | null;
}

export interface KernelContext {
  symbols: Map<string, Symbol>;
  globals: () => GlobalInfo[];
  exprs: ExprLowering;
  diagnostics: Diagnostic[];
  freshBound: () => number;
  disabled: Set<string>;
  /** Per object family, the name its declaration binds to the index (`p` in `page[p \in Page]`). */
  objectIndexNames: Map<string, string>;
}

export const lit = (value: Value): IR.Expr => ({ k: 'lit', value });
export const eq = (left: IR.Expr, right: IR.Expr, span: A.Span): IR.Expr => ({ k: 'bin', op: '=', left, right, span });
export const apply = (fn: IR.Expr, arg: IR.Expr, span: A.Span): IR.Expr => ({ k: 'apply', fn, arg, span });
export const not = (arg: IR.Expr): IR.Expr => ({ k: 'not', arg });
export const SELF: IR.Expr = { k: 'self' };

export function enabled(ctx: KernelContext, property: string): boolean {
  return !ctx.disabled.has(property);
}

/** A named check statement, or nothing when the check is disabled. */
export function check(ctx: KernelContext, cond: IR.Expr, property: string, message: string, span: A.Span): IR.Stmt[] {
  return enabled(ctx, property) ? [{ k: 'check', cond, property, message, span }] : [];
}

export interface Resolved {
  g: GlobalInfo;
  target: IR.Target;
  read: IR.Expr;
  name: string;
}

/** `L` or `L[i]` naming a declared global of the given role: its target and its current value. */
export function resolve(ctx: KernelContext, e: A.Expr, scope: Scope, role: GlobalRole['kind'], op: string): Resolved | null {
  const arg = e.kind === 'name' ? scope.locals.get(e.name) : undefined;
  if (arg?.kind === 'macroArg') return resolve(ctx, arg.ast, arg.scope, role, op);
  const base = e.kind === 'apply' ? e.fn : e;
  const name = base.kind === 'name' ? base.name : '?';
  const sym = ctx.symbols.get(name);
  const g = sym?.kind === 'global' ? ctx.globals()[sym.index] : undefined;
  if (!g || g.role.kind !== role) {
    const kind = role === 'lock' ? 'NotALock' : role === 'refcount' ? 'NotARefcount' : 'NotAnObject';
    ctx.diagnostics.push(diag(kind, e.span, op, name));
    return null;
  }
  const whole: IR.Expr = { k: 'global', index: g.index };
  if (e.kind === 'apply') {
    const key = ctx.exprs.selectorKey({ kind: 'index', args: e.args, span: e.span }, scope);
    return { g, target: { ref: { kind: 'global', index: g.index }, path: [key] }, read: apply(whole, key, e.span), name };
  }
  return { g, target: { ref: { kind: 'global', index: g.index }, path: [] }, read: whole, name };
}
