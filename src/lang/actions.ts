// Hand-written TLA+ actions (`action Name == A;`, docs/language.md) lowered to the IR body of one
// atomic step, read the way TLC computes an action's successors: conjuncts left to right, a guard
// stops the path when false, `x' = e` gives x' a value (or tests it, once x' has one), `x' \in S`
// forks per element, `UNCHANGED` keeps variables, `\E` forks per witness, `\/` per disjunct,
// IF and CASE choose a branch, and definitions that mention primes are expanded. Every path must
// say what each global becomes; the writes happen at once at the end of the path.
// A process's action (`\E self \in S : A` where A primes pc or a process variable, as kernel
// specs add interrupts to the PlusCal translation) is lowered instead to an extra way through each
// label its pc guard names: a step of process self that may write its pc and its variables.
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
  /** All process-variable indices with that name (any process's or procedure's). */
  processVarsNamed: (name: string) => number[];
}

/** Where a process's action is lowered: as a way through one label of a process template. */
export interface ProcessSite {
  /** The process template's name, for messages. */
  process: string;
  /** The label: the action's step starts there, and pc stays there unless the action moves it. */
  label: { index: number; name: string };
  /** The template's process variables, name -> index. */
  vars: Map<string, number>;
  /** The template's labels by name (a pc' the action gives must name one, or "Done"). */
  labels: Map<string, number>;
}

/**
 * What each variable's primed value is on a path so far, or absent (not said yet), keyed
 * `g<index>` for a global, `v<index>` for a process variable of the running process, `pc` for its
 * pc (a string literal: the label's name, or "Done").
 */
type Primed = ReadonlyMap<string, IR.Expr>;
const globalKey = (g: number): string => `g${g}`;
const varKey = (v: number): string => `v${v}`;

/** A conjunct still to read, in the scope of the binders around it. */
interface Pending {
  expr: A.Expr;
  scope: Scope;
}

/**
 * Whether `e` mentions a prime or UNCHANGED (then it is part of the action, not a guard), through
 * definitions; with `primes`, only a prime of a name it accepts counts.
 */
function mentionsPrime(e: unknown, symbols: Map<string, Symbol>, primes?: (name: string) => boolean, seen = new Set<A.OperatorDef>()): boolean {
  if (typeof e !== 'object' || e === null) return false;
  if (Array.isArray(e)) return e.some((x) => mentionsPrime(x, symbols, primes, seen));
  const node = e as A.Expr;
  if (node.kind === 'prime' && (!primes || (node.arg.kind === 'name' && primes(node.arg.name)))) return true;
  if (node.kind === 'unchanged' && !primes) return true;
  const called = node.kind === 'name' ? node.name : node.kind === 'opcall' ? node.name.name : null;
  const sym = called !== null ? symbols.get(called) : undefined;
  if (sym?.kind === 'def' && !seen.has(sym.def)) {
    seen.add(sym.def);
    if (mentionsPrime(sym.def.body, symbols, primes, seen)) return true;
  }
  return Object.entries(e).some(([k, v]) => k !== 'span' && mentionsPrime(v, symbols, primes, seen));
}

/** A process's action: `\E self \in set : body` where body primes pc or a process variable. */
export interface ProcessActionShape {
  self: A.Ident;
  set: A.Expr;
  body: A.Expr;
}

/** The action as a process's action (see the file comment), or null: an action over globals. */
export function processActionShape(env: ActionEnv, decl: A.ActionDecl): ProcessActionShape | null {
  const e = decl.body;
  if (e.kind !== 'quant' || e.quantifier !== 'exists' || e.binders.length !== 1 || e.binders[0].names.length !== 1) return null;
  const processState = (name: string): boolean => name === 'pc' || name === 'stack' || env.processVarsNamed(name).length > 0;
  if (!mentionsPrime(e.body, env.symbols, processState)) return null;
  return { self: e.binders[0].names[0], set: e.binders[0].set, body: e.body };
}

/** The scope of a process's action's body: its bound name is the running process. */
function processScope(env: ActionEnv, shape: ProcessActionShape, scope: Scope): Scope {
  return env.exprs.withLocals(scope, [[shape.self.name, { kind: 'ir', expr: { k: 'self' } }]]);
}

/**
 * The labels a process's action may start at: those its top-level conjuncts (through definitions)
 * guard pc[self] on, with `pc[self] = "l"` or `pc[self] \in {"l1", ...}`; null when there is none.
 */
export function processActionLabels(env: ActionEnv, shape: ProcessActionShape, scope: Scope): { names: string[]; span: A.Span } | null {
  const isSelf = (e: A.Expr, sc: Scope): boolean => {
    const before = env.diagnostics.length;
    const lowered = env.exprs.lower(e, sc);
    env.diagnostics.length = before;
    return lowered.k === 'self';
  };
  const pcOfSelf = (e: A.Expr, sc: Scope): boolean =>
    e.kind === 'apply' && e.fn.kind === 'name' && e.fn.name === 'pc' && !sc.locals.has('pc') && e.args.length === 1 && isSelf(e.args[0], sc);
  const strings = (e: A.Expr): string[] | null => {
    if (e.kind === 'str') return [e.value];
    if (e.kind !== 'setEnum') return null;
    const all = e.elems.map(strings);
    return all.every((x) => x !== null && x.length === 1) ? all.flat() as string[] : null;
  };
  const walk = (e: A.Expr, sc: Scope, seen: Set<A.OperatorDef>): { names: string[]; span: A.Span } | null => {
    if (e.kind === 'binary' && e.op === '/\\') return walk(e.left, sc, seen) ?? walk(e.right, sc, seen);
    if (e.kind === 'binary' && ((e.op === '=' && e.right.kind === 'str') || e.op === '\\in') && pcOfSelf(e.left, sc)) {
      const names = strings(e.right);
      return names ? { names, span: e.span } : null;
    }
    if (e.kind === 'name' || e.kind === 'opcall') {
      const name = e.kind === 'name' ? e.name : e.name.name;
      const sym = sc.locals.has(name) ? undefined : env.symbols.get(name);
      const args = e.kind === 'opcall' ? e.args : [];
      if (sym?.kind !== 'def' || sym.def.fnDomain || seen.has(sym.def) || args.length !== sym.def.params.length) return null;
      const params = sym.def.params.map((p, i): [string, Local] => [p.name, { kind: 'ir', expr: env.exprs.lower(args[i], sc) }]);
      return walk(sym.def.body, env.exprs.withLocals({ ...sc, locals: new Map() }, params), new Set(seen).add(sym.def));
    }
    return null;
  };
  return walk(shape.body, processScope(env, shape, scope), new Set());
}

/** Lowers action `decl` to the body of its label `label`: every path ends with its writes and a goto back. */
export function lowerAction(env: ActionEnv, decl: A.ActionDecl, label: number, scope: Scope): IR.Stmt[] {
  return lowerPaths(env, decl, decl.body, scope, null, label);
}

/**
 * Lowers a process's action to a way through the label of `site`, as a step of process self:
 * `self \in set`, then every path of its body, each ending with its writes and its pc's goto.
 */
export function lowerProcessAction(env: ActionEnv, decl: A.ActionDecl, shape: ProcessActionShape, site: ProcessSite, scope: Scope): IR.Stmt[] {
  const inner = processScope(env, shape, scope);
  const set = env.exprs.lower(shape.set, scope);
  const body = lowerPaths(env, decl, shape.body, inner, site, site.label.index);
  const member: IR.Expr = { k: 'bin', op: 'in', left: { k: 'self' }, right: set, span: shape.set.span };
  return body.length === 0 ? [] : [{ k: 'await', cond: member, span: shape.set.span }, ...body];
}

/** The paths of `body` (see the file comment); `site` when it is a process's action, else null. */
function lowerPaths(env: ActionEnv, decl: A.ActionDecl, body: A.Expr, scope: Scope, site: ProcessSite | null, label: number): IR.Stmt[] {
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
      const v = primed.get(globalKey(g));
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
          if (g === null && site) return processWrite(e.left.arg, e, sc, primed, then);
          if (g === null) return fail(diag('PrimeNotVariable', e.left.arg.span, `"${e.left.arg.name}"`));
          // Once x' has a value, `x' = e` and `x' \in S` test it: a guard, below.
          if (primed.has(globalKey(g))) break;
          const bound = env.freshBound();
          const value = lower(e.right, sc, primed);
          const given = new Map(primed).set(globalKey(g), { k: 'bound', id: bound, name: `${env.globals[g].name}'` });
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
          // pc, stack and process variables: a process's action keeps its own; an action over
          // globals leaves them all as they are, whether it says so or not.
          const state = g === null && n.kind === 'name' ? keptProcessState(n) : null;
          if (state === 'elsewhere') continue;
          if (g === null && state === null) return fail(diag('PrimeNotVariable', n.span, 'this expression'));
          const [key, now]: [string, IR.Expr] = g !== null ? [globalKey(g), { k: 'global', index: g }] : [state!.key, state!.now];
          const already = kept.get(key);
          if (already) tests.push({ k: 'await', cond: { k: 'bin', op: '=', left: already, right: now, span: n.span }, span: n.span });
          else kept.set(key, now);
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

  /**
   * `pc`, `stack` or a process variable in UNCHANGED: its key and its value now when it is the
   * running process's to keep, 'elsewhere' when not (an action over globals leaves them all as they
   * are), null when the name is none of them.
   */
  const keptProcessState = (n: A.NameExpr): { key: string; now: IR.Expr } | 'elsewhere' | null => {
    if (scope.locals.has(n.name)) return null;
    const own = site?.vars.get(n.name);
    if (site && n.name === 'pc') return { key: 'pc', now: { k: 'lit', value: site.label.name } };
    if (own !== undefined) return { key: varKey(own), now: { k: 'pvar', index: own } };
    return n.name === 'pc' || n.name === 'stack' || env.processVarsNamed(n.name).length > 0 ? 'elsewhere' : null;
  };

  /**
   * `pc' = [pc EXCEPT ![self] = "lbl"]` or `w' = [w EXCEPT ![self] = e]` in a process's action:
   * the running process's pc or variable w, given a value once on the path.
   */
  const processWrite = (name: A.NameExpr, e: A.BinaryExpr, sc: Scope, primed: Primed, then: (items: Pending[], p: Primed) => IR.Stmt[]): IR.Stmt[] => {
    const where = site as ProcessSite;
    const own = where.vars.get(name.name);
    if (name.name !== 'pc' && own === undefined) {
      if (name.name === 'stack') return fail(diag('ProcessActionWrite', name.span, where.process, 'sets stack', 'UNCHANGED stack (an action cannot call or return)'));
      return fail(diag('PrimeNotVariable', name.span, `"${name.name}"`));
    }
    const expected = `${name.name}' = [${name.name} EXCEPT ![self] = ${name.name === 'pc' ? '"label"' : 'e'}]`;
    const update = e.op === '=' && e.right.kind === 'except' && e.right.fn.kind === 'name' && e.right.fn.name === name.name && e.right.updates.length === 1 ? e.right.updates[0] : null;
    const selector = update?.path.length === 1 ? update.path[0] : null;
    const selfIndexed = selector?.kind === 'index' && selector.args.length === 1 && lower(selector.args[0], sc, primed).k === 'self';
    if (!update || !selfIndexed) return fail(diag('ProcessActionWrite', e.span, where.process, `sets ${name.name}' otherwise than at its own process`, expected));
    const key = own === undefined ? 'pc' : varKey(own);
    if (primed.has(key)) return fail(diag('ProcessActionWrite', e.span, where.process, `sets ${name.name}' twice`, 'one value for it on each way through the action'));
    if (own === undefined) {
      if (update.value.kind !== 'str') return fail(diag('ProcessActionWrite', update.value.span, where.process, 'moves its pc to a label computed at run time', expected));
      const target = update.value.value;
      if (target !== 'Done' && !where.labels.has(target)) return fail(diag('ProcessActionLabel', update.value.span, target));
      return then([], new Map(primed).set(key, { k: 'lit', value: target }));
    }
    // `@` is the variable's value now.
    const at = env.freshBound();
    const value: IR.Expr = { k: 'letIn', bound: at, value: { k: 'pvar', index: own }, body: lower(update.value, { ...sc, at }, primed) };
    const bound = env.freshBound();
    return [{ k: 'let', bound, value, body: then([], new Map(primed).set(key, { k: 'bound', id: bound, name: `${name.name}'` })), span: e.span }];
  };

  /** The end of a path: every variable (but hidden ones) said, the writes at once, then the goto. */
  const finish = (primed: Primed): IR.Stmt[] => {
    // A kernel primitive's hidden bookkeeping cannot be named: an action leaves it as it is.
    const unsaid = env.globals.filter((v, g) => !v.hidden && !primed.has(globalKey(g))).map((v) => v.name);
    if (site) {
      if (!primed.has('pc')) unsaid.push('pc');
      for (const [name, v] of site.vars) if (!primed.has(varKey(v))) unsaid.push(name);
    }
    if (unsaid.length > 0) return fail(diag('ActionLeavesUnset', decl.name.span, decl.name.name, unsaid.join(', ')));
    const writes: [IR.VarRef, IR.Expr][] = [];
    env.globals.forEach((_, g) => {
      const v = primed.get(globalKey(g));
      if (v && !(v.k === 'global' && v.index === g)) writes.push([{ kind: 'global', index: g }, v]);
    });
    for (const v of site?.vars.values() ?? []) {
      const value = primed.get(varKey(v))!;
      if (!(value.k === 'pvar' && value.index === v)) writes.push([{ kind: 'pvar', index: v }, value]);
    }
    const pc = primed.get('pc');
    const to = site && pc?.k === 'lit' && pc.value !== site.label.name ? (pc.value as string) : null;
    const jump: IR.Stmt = to === 'Done' ? { k: 'done', span: decl.span } : { k: 'goto', label: to === null ? label : site!.labels.get(to)!, span: decl.span };
    if (writes.length === 0) return [jump];
    return [{ k: 'assign', targets: writes.map(([ref]) => ({ ref, path: [] })), values: writes.map(([, v]) => v), span: decl.span }, jump];
  };

  const paths = path([{ expr: body, scope }], new Map());
  return env.diagnostics.length > before ? [] : paths;
}
