// The one generic walk over the IR: which expressions and statement bodies a node holds, as a map
// that rebuilds the node from mapped parts. Every pass that visits or rewrites the IR (the kernel
// pass, the TLA+ export, lock facts) goes through it instead of its own recursion.
import { assertNever, type Expr, type Program, type Stmt, type Target } from './ir.js';

/** `e` with each direct subexpression replaced by `f` of it (a new node; `e` is not changed). */
export function mapExprChildren(e: Expr, f: (child: Expr) => Expr): Expr {
  switch (e.k) {
    case 'lit': case 'global': case 'pvar': case 'pvarFn': case 'self': case 'pcFn': case 'bound': case 'recFnValue': case 'infSet':
      return e;
    case 'pvarOf': case 'pcOf':
      return { ...e, proc: f(e.proc) };
    case 'not': case 'neg':
      return { ...e, arg: f(e.arg) };
    case 'and': case 'or': case 'builtin':
      return { ...e, args: e.args.map(f) };
    case 'implies': case 'bin':
      return { ...e, left: f(e.left), right: f(e.right) };
    case 'apply':
      return { ...e, fn: f(e.fn), arg: f(e.arg) };
    case 'setEnum': case 'tuple':
      return { ...e, elems: e.elems.map(f) };
    case 'record':
      return { ...e, values: e.values.map(f) };
    case 'recordSet':
      return { ...e, sets: e.sets.map(f) };
    case 'fnSet':
      return { ...e, domain: f(e.domain), range: f(e.range) };
    case 'fnCons': case 'setMap': case 'quant':
      return { ...e, sets: e.sets.map(f), body: f(e.body) };
    case 'setFilter': case 'choose':
      return { ...e, set: f(e.set), cond: f(e.cond) };
    case 'seqSet':
      return { ...e, elems: f(e.elems) };
    case 'selectSeq':
      return { ...e, seq: f(e.seq), cond: f(e.cond) };
    case 'except':
      return { ...e, fn: f(e.fn), updates: e.updates.map((u) => ({ ...u, path: u.path.map(f), value: f(u.value) })) };
    case 'ite':
      return { ...e, cond: f(e.cond), then: f(e.then), else: f(e.else) };
    case 'case':
      return { ...e, arms: e.arms.map((a) => ({ cond: f(a.cond), value: f(a.value) })), other: e.other && f(e.other) };
    case 'letIn':
      return { ...e, value: f(e.value), body: f(e.body) };
    case 'recCall':
      return { ...e, arg: f(e.arg) };
    case 'checked':
      return { ...e, cond: f(e.cond), value: f(e.value) };
    case 'objectRead':
      return { ...e, key: f(e.key), value: f(e.value) };
    default:
      return assertNever(e);
  }
}

/** The direct subexpressions of an expression. */
export function exprChildren(e: Expr): Expr[] {
  const out: Expr[] = [];
  mapExprChildren(e, (c) => (out.push(c), c));
  return out;
}

/** Every expression under `e`, `e` included, bottom-up rewritten by `f`. */
export function mapExpr(e: Expr, f: (e: Expr) => Expr): Expr {
  return f(mapExprChildren(e, (c) => mapExpr(c, f)));
}

/** Whether `test` holds for `e` or any expression under it. */
export function someExpr(e: Expr, test: (e: Expr) => boolean): boolean {
  return test(e) || exprChildren(e).some((c) => someExpr(c, test));
}

/** The parts of a statement a pass maps: its own expressions, and its nested statement bodies. */
export interface StmtMapper {
  expr: (e: Expr) => Expr;
  body: (ss: Stmt[]) => Stmt[];
}

function mapTarget(t: Target, f: (e: Expr) => Expr): Target {
  return { ref: t.ref, path: t.path.map(f) };
}

/** `s` with its own expressions (targets' keys included) and nested bodies mapped. */
export function mapStmtParts(s: Stmt, m: StmtMapper): Stmt {
  switch (s.k) {
    case 'assign':
      return { ...s, targets: s.targets.map((t) => mapTarget(t, m.expr)), values: s.values.map(m.expr) };
    case 'await':
      return { ...s, cond: m.expr(s.cond), ...(s.waitsFor ? { waitsFor: { global: s.waitsFor.global, key: s.waitsFor.key && m.expr(s.waitsFor.key) } } : {}) };
    case 'check':
      return { ...s, cond: m.expr(s.cond) };
    case 'print':
      return { ...s, value: m.expr(s.value) };
    case 'if':
      return { ...s, cond: m.expr(s.cond), then: m.body(s.then), else: m.body(s.else) };
    case 'either':
      return { ...s, branches: s.branches.map(m.body) };
    case 'with':
      return { ...s, set: m.expr(s.set), body: m.body(s.body) };
    case 'let':
      return { ...s, value: m.expr(s.value), body: m.body(s.body) };
    case 'call':
    case 'tailcall':
      return { ...s, args: s.args.map(m.expr) };
    case 'goto': case 'done': case 'return': case 'mightSleep': case 'rcu': case 'waitQueue': case 'schedule': case 'completion':
      return s;
    case 'waitEvent':
      return { ...s, cond: m.expr(s.cond) };
    case 'irq':
      return { ...s, flags: s.flags && { target: mapTarget(s.flags.target, m.expr), read: m.expr(s.flags.read) } };
    case 'seqWrite':
      return { ...s, counter: mapTarget(s.counter, m.expr), read: m.expr(s.read), lock: s.lock && { ...s.lock, key: s.lock.key && m.expr(s.lock.key) } };
    case 'kernel':
      return { ...s, operand: { ...s.operand, key: s.operand.key && m.expr(s.operand.key) } };
    case 'alloc':
      return { ...s, operand: { ...s.operand, key: s.operand.key && m.expr(s.operand.key) }, init: m.expr(s.init) };
    case 'trylock':
      return { ...s, operand: { ...s.operand, key: s.operand.key && m.expr(s.operand.key) }, result: mapTarget(s.result, m.expr) };
    default:
      return assertNever(s);
  }
}

/** Calls `onExpr` on `e` and every expression under it. */
export function forEachSubExpr(e: Expr, onExpr: (e: Expr) => void): void {
  onExpr(e);
  for (const c of exprChildren(e)) forEachSubExpr(c, onExpr);
}

/** Calls `onExpr` on every expression of a statement list, nested bodies and subexpressions included. */
export function forEachExprOfStmts(ss: Stmt[], onExpr: (e: Expr) => void): void {
  const expr = (e: Expr): Expr => (forEachSubExpr(e, onExpr), e);
  const body = (inner: Stmt[]): Stmt[] => {
    inner.forEach((s) => mapStmtParts(s, { expr, body }));
    return inner;
  };
  body(ss);
}

/** Calls `onStmt` on every statement of the list and of its nested bodies, outer first. */
export function forEachStmt(ss: Stmt[], onStmt: (s: Stmt) => void): void {
  const body = (inner: Stmt[]): Stmt[] => {
    for (const s of inner) {
      onStmt(s);
      mapStmtParts(s, { expr: (e) => e, body });
    }
    return inner;
  };
  body(ss);
}

/** Whether `test` holds for some statement of the list or of its nested bodies. */
export function someStmt(ss: Stmt[], test: (s: Stmt) => boolean): boolean {
  let found = false;
  forEachStmt(ss, (s) => void (found ||= test(s)));
  return found;
}

/** Calls `onExpr` on every expression of the program: bodies, initial values, recursive functions, properties. */
export function forEachExpr(p: Program, onExpr: (e: Expr) => void): void {
  const expr = (e: Expr): void => forEachSubExpr(e, onExpr);
  p.processVars.forEach((v) => v.init && expr(v.init));
  p.labels.forEach((l) => forEachExprOfStmts(l.body, onExpr));
  p.recFns.forEach((f) => {
    if (f.domain) expr(f.domain);
    expr(f.body);
  });
  [...p.invariants, ...p.finals].forEach((prop) => expr(prop.body));
}
