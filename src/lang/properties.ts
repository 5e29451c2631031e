// Lowering `property` and `reachable` declarations: a temporal formula becomes one obligation per
// value of its \A binders (each a shape over state predicates the progress search checks), `[]P`
// becomes an invariant, and a `reachable` predicate a cover property. What cannot be checked is a
// located error, never silently accepted.
import type * as A from '../parser/ast.js';
import type * as IR from './ir.js';
import { diag, type Diagnostic } from '../diagnostics/diagnostics.js';
import type { ExprLowering, Scope } from './expressions.js';
import { showValue, type Value } from './values.js';

export interface PropertyEnv {
  exprs: ExprLowering;
  diagnostics: Diagnostic[];
  /** The elements of a constant finite set, or null after a diagnostic. */
  finiteSet: (e: A.Expr, what: string, scope: Scope) => Value[] | null;
}

export interface LoweredProperties {
  temporal: IR.TemporalProperty[];
  reachable: IR.Property[];
  /** `[]P` obligations: checked in every reachable state, as invariants. */
  invariants: IR.Property[];
}

/** Lowers every `property` and `reachable` declaration, in `scope` (the invariants' scope). */
export function lowerProperties(env: PropertyEnv, decls: A.Decl[], scope: Scope): LoweredProperties {
  const out: LoweredProperties = { temporal: [], reachable: [], invariants: [] };
  for (const d of decls) {
    if (d.kind === 'reachable') out.reachable.push({ name: d.name.name, body: env.exprs.lower(d.body, scope), builtin: false, span: d.span });
    if (d.kind === 'property') lowerFormula(env, d, d.formula, scope, [], out);
  }
  return out;
}

function lowerFormula(env: PropertyEnv, d: A.PropertyDecl, f: A.TemporalFormula, scope: Scope, bound: string[], out: LoweredProperties): void {
  const name = d.name.name;
  const instance = bound.length ? bound.join(', ') : null;
  const lower = (e: A.Expr): IR.Expr => env.exprs.lower(e, scope);
  switch (f.kind) {
    case 'forall': {
      if (f.quantifier === 'exists') {
        env.diagnostics.push(diag('TemporalShape', f.span, '\\E over a temporal formula'));
        return;
      }
      // Each binder name in turn over its constant set: one obligation per combination of values.
      const names = f.binders.flatMap((b) => b.names.map((n) => ({ name: n.name, set: b.set })));
      const bindFrom = (i: number, sc: Scope, values: string[]): void => {
        if (i === names.length) {
          lowerFormula(env, d, f.body, sc, values, out);
          return;
        }
        const elems = env.finiteSet(names[i].set, `the set of ${names[i].name}`, sc);
        if (!elems) return;
        for (const v of elems) {
          const inner = env.exprs.withLocals(sc, [[names[i].name, { kind: 'ir', expr: { k: 'lit', value: v } }]]);
          bindFrom(i + 1, inner, [...values, `${names[i].name} = ${showValue(v)}`]);
        }
      };
      bindFrom(0, scope, bound);
      return;
    }
    case 'and':
      for (const part of f.parts) lowerFormula(env, d, part, scope, bound, out);
      return;
    case 'always':
      out.invariants.push({ name, body: lower(f.body), builtin: false, span: f.span });
      return;
    case 'leadsTo':
      out.temporal.push({ name, instance, shape: 'leadsTo', from: lower(f.from), to: lower(f.to), span: f.span });
      return;
    case 'eventually':
    case 'infinitelyOften':
    case 'eventuallyAlways':
      out.temporal.push({ name, instance, shape: f.kind, from: null, to: lower(f.body), span: f.span });
      return;
  }
}
