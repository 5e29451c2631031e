// Reference counts: get and put lowered with RefcountNonNegative, the FreeWhileReferenced check a
// free makes on the counts tied to the object (`refcount r[o \in S] = 0 of obj`), and NoLeak: the
// counts not tied to an object are zero once every process has finished.
import type * as A from '../parser/ast.js';
import type * as IR from '../lang/ir.js';
import type { Scope } from '../lang/expressions.js';
import { apply, check, enabled, eq, lit, resolve, type KernelContext } from './context.js';

export function getPut(ctx: KernelContext, op: 'get' | 'put', arg: A.Expr, scope: Scope, span: A.Span): IR.Stmt[] {
  const c = resolve(ctx, arg, scope, 'refcount', op);
  if (!c) return [];
  const next: IR.Expr = { k: 'bin', op: op === 'get' ? '+' : '-', left: c.read, right: lit(1), span };
  const guard = op === 'put' ? check(ctx, { k: 'bin', op: '>', left: c.read, right: lit(0), span }, 'RefcountNonNegative', `put(${c.name}) at zero`, span) : [];
  return [...guard, { k: 'assign', targets: [c.target], values: [next], span }];
}

/** Before `free(obj[key])`: every count tied to obj is zero for that object. */
export function tiedCountsZero(ctx: KernelContext, object: string, key: IR.Expr, span: A.Span): IR.Stmt[] {
  const tied = ctx.globals().filter((g) => g.role.kind === 'refcount' && g.role.of === object);
  return tied.flatMap((g) => {
    const count: IR.Expr = g.domain ? apply({ k: 'global', index: g.index }, key, span) : { k: 'global', index: g.index };
    return check(ctx, eq(count, lit(0), span), 'FreeWhileReferenced', `free(${object}) while ${g.name} is not zero`, span);
  });
}

export function leakProperties(ctx: KernelContext, span: (name: string) => A.Span): IR.Property[] {
  if (!enabled(ctx, 'NoLeak')) return [];
  return ctx.globals().flatMap((g) => {
    if (g.role.kind !== 'refcount' || g.role.of !== null) return [];
    const sp = span(g.name);
    const zero = (v: IR.Expr): IR.Expr => eq(v, lit(0), sp);
    const body: IR.Expr = g.domain
      ? { k: 'and', args: g.domain.map((d) => zero(apply({ k: 'global', index: g.index }, lit(d), sp))) }
      : zero({ k: 'global', index: g.index });
    return [{ name: 'NoLeak', builtin: true, span: sp, body }];
  });
}
