// Reference counts: get and put rewritten with RefcountNonNegative, which an assignment to a count
// (page_ref_freeze() setting it to 0, a bulk brelse()) also makes on what it assigned, the
// FreeWhileReferenced check a free makes on the counts tied to the object (`refcount r[o \in S] = 0
// of obj`), and NoLeak: the counts not tied to an object are zero once every process has finished.
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

/** The value of a saturated refcount_t (the kernel's REFCOUNT_SATURATED, a negative count). */
export const REFCOUNT_SATURATED = -1;

/**
 * refcount_inc() (refcount_t): an increment from zero is the kernel's "addition on 0;
 * use-after-free" warning, and one of a saturated count its overflow warning (RefcountIncOnZero,
 * for both); either leaves the count saturated, REFCOUNT_SATURATED. A put of a saturated count is
 * below zero (RefcountNonNegative, the kernel's underflow warning) and it is never zero again, so
 * the object it counts leaks (NoLeak), as in the kernel.
 */
export function refcountInc(ctx: KernelContext, s: IR.KernelOpStmt): IR.Stmt[] {
  const { operand, span } = s;
  const read = operandRead(operand);
  const counts: IR.Expr = { k: 'bin', op: '>', left: read, right: lit(0), span };
  return [
    ...check(ctx, counts, 'RefcountIncOnZero', `refcount_inc(${nameOf(ctx, operand)}) on zero (use-after-free) or on a saturated count`, span),
    { k: 'assign', targets: [operandTarget(operand)], values: [{ k: 'ite', cond: counts, then: { k: 'bin', op: '+', left: read, right: lit(1), span }, else: lit(REFCOUNT_SATURATED) }], span },
  ];
}

/** After an assignment: each count it assigned (an element, or every element) is not below zero. */
export function assignedCounts(ctx: KernelContext, s: Extract<IR.Stmt, { k: 'assign' }>): IR.Stmt[] {
  return s.targets.flatMap((t) => {
    const g = t.ref.kind === 'global' ? ctx.program.globals[t.ref.index] : null;
    if (t.ref.kind !== 'global' || g?.role?.kind !== 'refcount') return [];
    const index = t.ref.index;
    const keys: (IR.Expr | null)[] = t.path.length > 0 ? [t.path[0]] : g.role.domain ? g.role.domain.map(lit) : [null];
    const nonNegative = (k: IR.Expr | null): IR.Expr => ({ k: 'bin', op: '>=', left: element(index, k, s.span), right: lit(0), span: s.span });
    return check(ctx, { k: 'and', args: keys.map(nonNegative) }, 'RefcountNonNegative', `${g.name} assigned a value below zero`, s.span);
  });
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
