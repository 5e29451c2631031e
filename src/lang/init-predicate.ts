// `init == P;` (docs/language.md, "Actions, constraints and initial predicates"): the globals'
// initial states given by a predicate, computed as TLC computes those of a hand-written Init.
// P's conjuncts are taken in order (through `/\` and definitions without parameters): `x = e` and
// `x \in S` give a global declared without a value its value (one state per element of S), the
// first time x is given one; every other conjunct keeps the states that satisfy it. Evaluated
// once, here: the IR gets the list of initial tuples of the globals.
import type * as A from '../parser/ast.js';
import type * as IR from './ir.js';
import { diag, type Diagnostic } from '../diagnostics/diagnostics.js';
import type { ExprLowering, Local, Scope, Symbol } from './expressions.js';
import { forEachSubExpr, mapExpr } from './ir-walk.js';
import { compareValues, isSet, mkTuple, showValue, sortedElems, type Value } from './values.js';

export interface InitPredicateEnv {
  exprs: ExprLowering;
  symbols: Map<string, Symbol>;
  diagnostics: Diagnostic[];
  freshBound: () => number;
  /** Evaluates an expression that reads no state; throws on a runtime error. */
  evaluate: (e: IR.Expr) => Value;
  /** The initial values' scope (constants and definitions). */
  scope: Scope;
}

/** The conjuncts of `e` in order, through `/\` and definitions without parameters. */
function conjuncts(e: A.Expr, symbols: Map<string, Symbol>): A.Expr[] {
  if (e.kind === 'binary' && e.op === '/\\') return [...conjuncts(e.left, symbols), ...conjuncts(e.right, symbols)];
  const sym = e.kind === 'name' ? symbols.get(e.name) : undefined;
  if (sym?.kind === 'def' && sym.def.params.length === 0 && !sym.def.fnDomain) return conjuncts(sym.def.body, symbols);
  return [e];
}

/**
 * Every initial tuple of `globals` (in canonical order), or null when the predicate is wrong
 * (reported). `unset` are the globals declared without a value, which the predicate must give one.
 */
export function initialGlobals(env: InitPredicateEnv, decl: A.InitDecl, globals: IR.GlobalVar[], unset: Set<number>): Value[][] | null {
  const before = env.diagnostics.length;
  // Each global is read as a bound name, replaced by its value in each candidate state.
  const ids = globals.map(() => env.freshBound());
  const byId = new Map(ids.map((id, g) => [id, g]));
  const scope = env.exprs.withLocals(env.scope, globals.map((g, i): [string, Local] => [g.name, { kind: 'ir', expr: { k: 'bound', id: ids[i], name: g.name } }]));
  const given = new Set<number>();
  let states: Value[][] = globals.reduce<Value[][]>((acc, g, i) => acc.flatMap((t) => (unset.has(i) ? [[...t, false]] : g.inits.map((v) => [...t, v]))), [[]]);
  const globalNamed = (e: A.Expr): number => (e.kind === 'name' ? globals.findIndex((g) => g.name === e.name) : -1);

  for (const c of conjuncts(decl.body, env.symbols)) {
    const target = c.kind === 'binary' && (c.op === '=' || c.op === '\\in') ? globalNamed(c.left) : -1;
    const gives = target >= 0 && unset.has(target) && !given.has(target);
    const ir = env.exprs.lower(gives ? (c as A.BinaryExpr).right : c, scope);
    if (env.diagnostics.length > before) return null;
    let unread = -1;
    forEachSubExpr(ir, (x) => {
      const g = x.k === 'bound' ? byId.get(x.id) : undefined;
      if (unread < 0 && g !== undefined && unset.has(g) && !given.has(g)) unread = g;
    });
    if (unread >= 0) {
      env.diagnostics.push(diag('InitReadsUnset', c.span, globals[unread].name));
      return null;
    }
    const next: Value[][] = [];
    for (const state of states) {
      let value: Value;
      try {
        value = env.evaluate(mapExpr(ir, (x) => (x.k === 'bound' && byId.has(x.id) ? { k: 'lit', value: state[byId.get(x.id)!] } : x)));
      } catch (err) {
        env.diagnostics.push(diag('ConstEval', c.span, 'this conjunct of "init =="', (err as Error).message));
        return null;
      }
      const withValue = (v: Value): Value[] => state.map((old, g) => (g === target ? v : old));
      if (!gives) {
        if (typeof value !== 'boolean') {
          env.diagnostics.push(diag('ConstEval', c.span, 'this conjunct of "init =="', `it is ${showValue(value)}, not a boolean`));
          return null;
        }
        if (value) next.push(state);
      } else if ((c as A.BinaryExpr).op === '=') next.push(withValue(value));
      else if (isSet(value)) next.push(...sortedElems(value).map(withValue));
      else {
        env.diagnostics.push(diag('NotFinite', (c as A.BinaryExpr).right.span, `the initial values of ${globals[target].name}`, showValue(value)));
        return null;
      }
    }
    if (gives) given.add(target);
    states = next;
  }
  for (const g of unset) if (!given.has(g)) env.diagnostics.push(diag('InitMissesVariable', decl.span, globals[g].name));
  if (env.diagnostics.length > before) return null;
  return states.sort((a, b) => compareValues(mkTuple(a), mkTuple(b)));
}
