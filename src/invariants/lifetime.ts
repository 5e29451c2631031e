// Object lifetime: every object family has hidden live flags; free and alloc end and restart an
// object's life (DoubleFree, and the refcount family's FreeWhileReferenced), and any read or write
// of a freed object's data is NoUseAfterFree, reported at the step that does it.
import type * as A from '../parser/ast.js';
import type * as IR from '../lang/ir.js';
import { diag } from '../diagnostics/diagnostics.js';
import type { GlobalRole, Local, Scope } from '../lang/expressions.js';
import { apply, check, enabled, eq, lit, resolve, type GlobalInfo, type KernelContext } from './context.js';
import { tiedCountsZero } from './refcounts.js';

type ObjectRole = Extract<GlobalRole, { kind: 'object' }>;

/** The object `key` of family `g` is live. */
export function live(g: GlobalInfo, key: IR.Expr, span: A.Span): IR.Expr {
  return eq(apply({ k: 'global', index: (g.role as ObjectRole).live }, key, span), lit(true), span);
}

/** A write into an object's data must find it live. */
export function objectWrite(ctx: KernelContext, lv: A.LValue, t: IR.Target): IR.Stmt[] {
  if (t.ref.kind !== 'global' || t.path.length === 0) return [];
  const g = ctx.globals()[t.ref.index];
  if (g.role.kind !== 'object') return [];
  return check(ctx, live(g, t.path[0], lv.span), 'NoUseAfterFree', `write to freed ${g.name}`, lv.span);
}

/** A read of an object's data, checked. */
export function objectRead(ctx: KernelContext, global: number, index: IR.Expr, read: IR.Expr, span: A.Span): IR.Expr {
  if (!enabled(ctx, 'NoUseAfterFree')) return read;
  const g = ctx.globals()[global];
  return { k: 'checked', cond: live(g, index, span), property: 'NoUseAfterFree', message: `read of freed ${g.name}`, value: read, span };
}

export function freeAlloc(ctx: KernelContext, op: 'free' | 'alloc', arg: A.Expr, scope: Scope, span: A.Span): IR.Stmt[] {
  const o = resolve(ctx, arg, scope, 'object', op);
  if (!o) return [];
  if (o.target.path.length !== 1) {
    ctx.diagnostics.push(diag('NotAnObject', arg.span, op, o.name));
    return [];
  }
  const role = o.g.role as ObjectRole;
  const key = o.target.path[0];
  const liveFlag: IR.Target = { ref: { kind: 'global', index: role.live }, path: [key] };
  if (op === 'free') {
    return [
      ...check(ctx, live(o.g, key, span), 'DoubleFree', `free(${o.name}) of an object already freed`, span),
      ...tiedCountsZero(ctx, o.name, key, span),
      { k: 'assign', targets: [liveFlag], values: [lit(false)], span },
    ];
  }
  // alloc: live again, with the declaration's initial value for that index.
  const indexName = ctx.objectIndexNames.get(o.name);
  const initScope = ctx.exprs.withLocals(scope, indexName ? [[indexName, { kind: 'ir', expr: key } as Local]] : []);
  return [{ k: 'assign', targets: [liveFlag, o.target], values: [lit(true), ctx.exprs.lower(role.init, { ...initScope, mode: 'code' })], span }];
}
