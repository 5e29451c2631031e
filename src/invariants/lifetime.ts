// Object lifetime: every object family has hidden live flags; free and alloc end and restart an
// object's life (DoubleFree, and the refcount family's FreeWhileReferenced), and any read or write
// of a freed object's data is NoUseAfterFree, reported at the step that does it.
import type { Span } from '../diagnostics/span.js';
import type * as IR from '../lang/ir.js';
import { apply, check, enabled, eq, lit, nameOf, operandTarget, roleOf, type KernelContext } from './context.js';
import { tiedCountsZero } from './refcounts.js';

/** The object `key` of family `object` (a global index) is live. */
export function live(ctx: KernelContext, object: number, key: IR.Expr, span: Span): IR.Expr {
  return eq(apply({ k: 'global', index: roleOf(ctx, object, 'object').liveFlags }, key, span), lit(true), span);
}

/** A write into an object's data must find it live. */
export function objectWrite(ctx: KernelContext, s: IR.KernelOpStmt): IR.Stmt[] {
  const { operand, span } = s;
  return check(ctx, live(ctx, operand.global, operand.key!, span), 'NoUseAfterFree', `write to freed ${nameOf(ctx, operand)}`, span);
}

/** A read of an object's data, checked. */
export function objectRead(ctx: KernelContext, e: Extract<IR.Expr, { k: 'objectRead' }>): IR.Expr {
  if (!enabled(ctx, 'NoUseAfterFree')) return e.value;
  const name = ctx.program.globals[e.global].name;
  return { k: 'checked', cond: live(ctx, e.global, e.key, e.span), property: 'NoUseAfterFree', message: `read of freed ${name}`, value: e.value, span: e.span };
}

function liveFlag(ctx: KernelContext, operand: IR.KernelOperand): IR.Target {
  return { ref: { kind: 'global', index: roleOf(ctx, operand.global, 'object').liveFlags }, path: [operand.key!] };
}

export function free(ctx: KernelContext, s: IR.KernelOpStmt): IR.Stmt[] {
  const { operand, span } = s;
  const name = nameOf(ctx, operand);
  return [
    ...check(ctx, live(ctx, operand.global, operand.key!, span), 'DoubleFree', `free(${name}) of an object already freed`, span),
    ...tiedCountsZero(ctx, operand.global, operand.key!, span),
    { k: 'assign', targets: [liveFlag(ctx, operand)], values: [lit(false)], span },
  ];
}

/** alloc: live again, with the declaration's initial value for that index. */
export function alloc(ctx: KernelContext, s: Extract<IR.Stmt, { k: 'alloc' }>): IR.Stmt[] {
  return [{ k: 'assign', targets: [liveFlag(ctx, s.operand), operandTarget(s.operand)], values: [lit(true), s.init], span: s.span }];
}
