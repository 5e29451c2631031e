// Hand-written TLA+ actions (`action Name == A;`, docs/language.md) lowered to the IR body of one
// atomic step, read the way TLC computes an action's successors: conjuncts left to right, a guard
// stops the path when false, `x' = e` gives x' a value (or tests it, once x' has one), `x' \in S`
// forks per element, `UNCHANGED` keeps variables, `\E` forks per witness, `\/` per disjunct,
// IF and CASE choose a branch, and definitions that mention primes are expanded. Every path must
// say what each global becomes; the writes happen at once at the end of the path.
import type * as A from '../parser/ast.js';
import type * as IR from './ir.js';
import { diag, type Diagnostic } from '../diagnostics/diagnostics.js';
import type { ExprLowering, Local, Scope, Symbol } from './expressions.js';

export interface ActionEnv {
  exprs: ExprLowering;
  symbols: Map<string, Symbol>;
  diagnostics: Diagnostic[];
  freshBound: () => number;
  globals: IR.GlobalVar[];
}

/** What each global's primed value is on a path so far: an expression, or absent (not said yet). */
type Primed = ReadonlyMap<number, IR.Expr>;

/** A conjunct still to read, in the scope of the binders around it. */
interface Pending {
  expr: A.Expr;
  scope: Scope;
}

/** Whether `e` mentions a prime or UNCHANGED (then it is part of the action, not a guard), through definitions. */
function mentionsPrime(e: unknown, symbols: Map<string, Symbol>, seen = new Set<A.OperatorDef>()): boolean {
  if (typeof e !== 'object' || e === null) return false;
  if (Array.isArray(e)) return e.some((x) => mentionsPrime(x, symbols, seen));
  const node = e as { kind?: string; name?: unknown };
  if (node.kind === 'prime' || node.kind === 'unchanged') return true;
  const called = node.kind === 'name' ? (node.name as string) : node.kind === 'opcall' ? (node.name as A.Ident).name : null;
  const sym = called !== null ? symbols.get(called) : undefined;
  if (sym?.kind === 'def' && !seen.has(sym.def)) {
    seen.add(sym.def);
    if (mentionsPrime(sym.def.body, symbols, seen)) return true;
  }
  return Object.entries(e).some(([k, v]) => k !== 'span' && mentionsPrime(v, symbols, seen));
}

/** Lowers action `decl` to the body of its label `label`: every path ends with its writes and a goto back. */
export function lowerAction(env: ActionEnv, decl: A.ActionDecl, label: number, scope: Scope): IR.Stmt[] {
  const before = env.diagnostics.length;
  const fail = (d: Diagnostic): IR.Stmt[] => {
    env.diagnostics.push(d);
    return [];
  };
  const globalIndex = (name: A.NameExpr): number | null => {
    if (scope.locals.has(name.name)) return null;
    const sym = env.symbols.get(name.name);
    return sym?.kind === 'global' ? sym.index : null;
  };
  /** A scope in which `x'` reads the value the path has given x. */
  const reading = (sc: Scope, primed: Primed): Scope => ({
    ...sc,
    primed: (name) => {
      const g = globalIndex(name);
      if (g === null) {
        env.diagnostics.push(diag('PrimeNotVariable', name.span, `"${name.name}"`));
        return { k: 'lit', value: false };
      }
      const v = primed.get(g);
      if (v) return v;
      env.diagnostics.push(diag('PrimeReadBeforeSet', name.span, name.name));
      return { k: 'lit', value: false };
    },
  });
  const lower = (e: A.Expr, sc: Scope, primed: Primed): IR.Expr => env.exprs.lower(e, reading(sc, primed));

  /** The statements of every path through `todo` (read left to right) from `primed`. */
  const path = (todo: Pending[], primed: Primed): IR.Stmt[] => {
    if (env.diagnostics.length > before) return [];
    if (todo.length === 0) return finish(primed);
    const [{ expr: e, scope: sc }, ...rest] = todo;
    const then = (items: Pending[], p: Primed = primed): IR.Stmt[] => path([...items, ...rest], p);
    if (!mentionsPrime(e, env.symbols)) return [{ k: 'await', cond: lower(e, sc, primed), span: e.span }, ...then([])];
    switch (e.kind) {
      case 'binary':
        if (e.op === '/\\') return then([{ expr: e.left, scope: sc }, { expr: e.right, scope: sc }]);
        if (e.op === '\\/') return [{ k: 'either', branches: [then([{ expr: e.left, scope: sc }]), then([{ expr: e.right, scope: sc }])], span: e.span }];
        if ((e.op === '=' || e.op === '\\in') && e.left.kind === 'prime' && e.left.arg.kind === 'name') {
          const g = globalIndex(e.left.arg);
          if (g === null) return fail(diag('PrimeNotVariable', e.left.arg.span, `"${e.left.arg.name}"`));
          // Once x' has a value, `x' = e` and `x' \in S` test it: a guard, below.
          if (primed.has(g)) break;
          const bound = env.freshBound();
          const value = lower(e.right, sc, primed);
          const given = new Map(primed).set(g, { k: 'bound', id: bound, name: `${env.globals[g].name}'` });
          const body = then([], given);
          return [e.op === '=' ? { k: 'let', bound, value, body, span: e.span } : { k: 'with', bound, set: value, body, span: e.span }];
        }
        break;
      case 'unchanged': {
        const names = e.arg.kind === 'tuple' ? e.arg.elems : [e.arg];
        const kept = new Map(primed);
        const tests: IR.Stmt[] = [];
        for (const n of names) {
          const g = n.kind === 'name' ? globalIndex(n) : null;
          if (g === null) return fail(diag('PrimeNotVariable', n.span, 'this expression'));
          const now: IR.Expr = { k: 'global', index: g };
          const already = kept.get(g);
          if (already) tests.push({ k: 'await', cond: { k: 'bin', op: '=', left: already, right: now, span: n.span }, span: n.span });
          else kept.set(g, now);
        }
        return [...tests, ...then([], kept)];
      }
      case 'quant': {
        if (e.quantifier !== 'exists') break;
        // `\E a \in S, b \in T : A`: a `with` per bound name, A in their scope.
        let inner = sc;
        const withs: { bound: number; set: IR.Expr; span: A.Span }[] = [];
        for (const b of e.binders) {
          const set = lower(b.set, inner, primed);
          const entries: [string, Local][] = [];
          for (const n of b.names) {
            const bound = env.freshBound();
            withs.push({ bound, set, span: b.span });
            entries.push([n.name, { kind: 'ir', expr: { k: 'bound', id: bound, name: n.name } }]);
          }
          inner = env.exprs.withLocals(inner, entries);
        }
        return withs.reduceRight<IR.Stmt[]>((body, w) => [{ k: 'with', bound: w.bound, set: w.set, body, span: w.span }], then([{ expr: e.body, scope: inner }]));
      }
      case 'ifExpr':
        return [{ k: 'if', cond: lower(e.cond, sc, primed), then: then([{ expr: e.then, scope: sc }]), else: then([{ expr: e.else, scope: sc }]), span: e.span }];
      case 'case': {
        // The arm TLC takes: the first whose condition holds (none and no OTHER: a runtime error).
        const bound = env.freshBound();
        const arms = e.arms.map((a, i) => ({ cond: lower(a.cond, sc, primed), value: { k: 'lit', value: i } as IR.Expr }));
        const other = e.other ? ({ k: 'lit', value: arms.length } as IR.Expr) : null;
        const chosen: IR.Expr = { k: 'bound', id: bound, name: 'CASE arm' };
        const bodies = [...e.arms.map((a) => a.value), ...(e.other ? [e.other] : [])];
        const chain = bodies.reduceRight<IR.Stmt[]>(
          (otherwise, body, i) =>
            i === bodies.length - 1
              ? then([{ expr: body, scope: sc }])
              : [{ k: 'if', cond: { k: 'bin', op: '=', left: chosen, right: { k: 'lit', value: i }, span: e.span }, then: then([{ expr: body, scope: sc }]), else: otherwise, span: e.span }],
          [],
        );
        return [{ k: 'let', bound, value: { k: 'case', arms, other, span: e.span }, body: chain, span: e.span }];
      }
      case 'name':
      case 'opcall': {
        // A definition that mentions primes: its body, with its parameters bound to the arguments.
        const name = e.kind === 'name' ? e.name : e.name.name;
        const sym = sc.locals.has(name) ? undefined : env.symbols.get(name);
        if (sym?.kind !== 'def' || sym.def.fnDomain) break;
        const args = e.kind === 'opcall' ? e.args : [];
        if (args.length !== sym.def.params.length) break;
        const params = sym.def.params.map((p, i): [string, Local] => [p.name, { kind: 'ir', expr: lower(args[i], sc, primed) }]);
        return then([{ expr: sym.def.body, scope: env.exprs.withLocals({ ...scope, locals: new Map() }, params) }]);
      }
      default:
        break;
    }
    // Any other formula is a guard, which may read the primed values given so far (`x' > x`).
    return [{ k: 'await', cond: lower(e, sc, primed), span: e.span }, ...then([])];
  };

  /** The end of a path: every global (but hidden ones) said, the writes at once, back to the action's label. */
  const finish = (primed: Primed): IR.Stmt[] => {
    // A kernel primitive's hidden bookkeeping cannot be named: an action leaves it as it is.
    const unsaid = env.globals.filter((v, g) => !v.hidden && !primed.has(g)).map((v) => v.name);
    if (unsaid.length > 0) return fail(diag('ActionLeavesUnset', decl.name.span, decl.name.name, unsaid.join(', ')));
    const writes = [...primed].filter(([g, v]) => !(v.k === 'global' && v.index === g));
    const goto: IR.Stmt = { k: 'goto', label, span: decl.span };
    if (writes.length === 0) return [goto];
    return [{ k: 'assign', targets: writes.map(([g]) => ({ ref: { kind: 'global', index: g }, path: [] })), values: writes.map(([, v]) => v), span: decl.span }, goto];
  };

  const body = path([{ expr: decl.body, scope }], new Map());
  return env.diagnostics.length > before ? [] : body;
}
