// Reference counts: get and put rewritten with RefcountNonNegative, the FreeWhileReferenced check a
// free makes on the counts tied to the object (`refcount r[o \in S] = 0 of obj`), and NoLeak: the
// counts not tied to an object are zero once every process has finished.
import type { Span } from '../diagnostics/span.js';
import type * as IR from '../lang/ir.js';
import { apply, check, element, enabled, eq, lit, nameOf, operandRead, operandTarget, type KernelContext } from './context.js';

export function getPut(ctx: KernelContext, s: IR.KernelOpStmt): IR.Stmt[] {
  const { op, operand, span } = s;
  const read = operandRead(operand);
  const next: IR.Expr = { k: 'bin', op: op === 'get' ? '+' : '-', left: read, right: lit(1), span };
  const guard = op === 'put' ? check(ctx, { k: 'bin', op: '>', left: read, right: lit(0), span }, 'RefcountNonNegative', `put(${nameOf(ctx, operand)}) at zero`, span) : [];
  return [...guard, { k: 'assign', targets: [operandTarget(operand)], values: [next], span }];
}

/** Before `free(obj[key])`: every count tied to obj is zero for that object. */
export function tiedCountsZero(ctx: KernelContext, object: number, key: IR.Expr, span: Span): IR.Stmt[] {
  const objectName = ctx.program.globals[object].name;
  return ctx.program.globals.flatMap((g, index) => {
    if (g.role?.kind !== 'refcount' || g.role.of !== object) return [];
    const count = element(index, g.role.domain ? key : null, span);
    return check(ctx, eq(count, lit(0), span), 'FreeWhileReferenced', `free(${objectName}) while ${g.name} is not zero`, span);
  });
}

export function leakProperties(ctx: KernelContext): IR.Property[] {
  if (!enabled(ctx, 'NoLeak')) return [];
  return ctx.program.globals.flatMap((g, index) => {
    if (g.role?.kind !== 'refcount' || g.role.of !== null) return [];
    const sp = g.span;
    const zero = (v: IR.Expr): IR.Expr => eq(v, lit(0), sp);
    const body: IR.Expr = g.role.domain
      ? { k: 'and', args: g.role.domain.map((d) => zero(apply({ k: 'global', index }, lit(d), sp))) }
      : zero({ k: 'global', index });
    return [{ name: 'NoLeak', builtin: true, span: sp, body }];
  });
}
