// The type pass: before any search, find what is certainly wrong with a lowered program's values
// (arithmetic on a string, `\in` on an integer, a non-boolean condition, a variable given an integer
// and then a string) and report it located, as Quint's type checker does and TLC cannot.
//
// A type over-approximates the values an expression may take: a set of kinds (boolean, integer,
// string, model value, set, function) with the element type of its sets and the domain and range
// types of its functions (records, tuples and sequences are functions). TOP is "unknown". An operand
// is reported only when none of its possible kinds is one the operator accepts, so a report means
// "this fails whenever it is evaluated". Variable types are the join of their initial values and of
// every value written to them, computed to a fixpoint before anything is checked. The assignment
// rule (a variable keeps the one kind of its initial values; model values join with anything) is
// documented in docs/language.md, "Types".
import type { Span } from '../diagnostics/span.js';
import { diag, type Diagnostic } from '../diagnostics/diagnostics.js';
import { forEachExpr } from './ir-walk.js';
import { assertNever, isKernelStmt, kernelKindReached, type Expr, type Program, type Stmt, type Target, type VarRef } from './ir.js';
import { isFn, isSet, ModelValue, showValue, type Value } from './values.js';

// ------------------------------------------------------------------ types

const BOOL = 1;
const INT = 2;
const STR = 4;
const MV = 8;
const SET = 16;
const FN = 32;
const ALL = 63;
const KIND_NAMES: [number, string][] = [
  [BOOL, 'a boolean'], [INT, 'an integer'], [STR, 'a string'], [MV, 'a model value'], [SET, 'a set'], [FN, 'a function'],
];

/** Kinds `k`; `elem` is set when k has SET, `dom` and `rng` when k has FN. */
interface Ty {
  readonly k: number;
  readonly elem: Ty | null;
  readonly dom: Ty | null;
  readonly rng: Ty | null;
  /** Nesting depth, bounded so that the fixpoint ends (deeper types widen to TOP). */
  readonly depth: number;
}

const TOP: Ty = { k: ALL, elem: null, dom: null, rng: null, depth: 0 };
/** The type of no value: the elements of `{}`. */
const NONE: Ty = { k: 0, elem: null, dom: null, rng: null, depth: 0 };
const MAX_DEPTH = 5;

const scalar = (k: number): Ty => ({ k, elem: null, dom: null, rng: null, depth: 0 });
const T_BOOL = scalar(BOOL);
const T_INT = scalar(INT);
const T_STR = scalar(STR);
const T_MV = scalar(MV);

function setOf(elem: Ty): Ty {
  const depth = 1 + elem.depth;
  return elem === TOP || depth > MAX_DEPTH ? TOP : { k: SET, elem, dom: null, rng: null, depth };
}

function fnOf(dom: Ty, rng: Ty): Ty {
  const depth = 1 + Math.max(dom.depth, rng.depth);
  return depth > MAX_DEPTH ? TOP : { k: FN, elem: null, dom, rng, depth };
}

function joinPart(a: Ty | null, b: Ty | null): Ty | null {
  return a === null ? b : b === null ? a : join(a, b);
}

function join(a: Ty, b: Ty): Ty {
  if (a === TOP || b === TOP) return TOP;
  if (a.k === 0) return b;
  if (b.k === 0 || a === b) return a;
  const elem = joinPart(a.elem, b.elem);
  const dom = joinPart(a.dom, b.dom);
  const rng = joinPart(a.rng, b.rng);
  if (elem === TOP && dom === TOP && rng === TOP) return TOP;
  const depth = Math.max(elem?.depth ?? 0, dom?.depth ?? 0, rng?.depth ?? 0) + (elem || dom ? 1 : 0);
  return depth > MAX_DEPTH ? TOP : { k: a.k | b.k, elem, dom, rng, depth };
}

const joinAll = (ts: Ty[]): Ty => ts.reduce(join, NONE);

function sameTy(a: Ty | null, b: Ty | null): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === TOP || b === TOP || a.k !== b.k) return false;
  return sameTy(a.elem, b.elem) && sameTy(a.dom, b.dom) && sameTy(a.rng, b.rng);
}

/** The element type of a set type (TOP if unknown, NONE if it cannot be a set). */
const elemOf = (t: Ty): Ty => (t === TOP ? TOP : t.elem ?? NONE);
const domOf = (t: Ty): Ty => (t === TOP ? TOP : t.dom ?? NONE);
const rngOf = (t: Ty): Ty => (t === TOP ? TOP : t.rng ?? NONE);

/** The type at `n` keys into a function type. */
function rngAt(t: Ty, n: number): Ty {
  return n === 0 ? t : rngAt(rngOf(t), n - 1);
}

/** `t` with the value `n` keys deep replaced by one of type `v` (functions keep their domain). */
function updateAt(t: Ty, n: number, v: Ty): Ty {
  if (n === 0) return v;
  if (t === TOP || !(t.k & FN)) return t;
  return join(t, fnOf(t.dom!, join(t.rng!, updateAt(t.rng!, n - 1, v))));
}

/** The kinds other than model values: model values are TLA+'s null, compatible with anything. */
const dataKinds = (t: Ty): number => (t === TOP ? ALL : t.k & ~MV);
const singleKind = (k: number): boolean => k !== 0 && (k & (k - 1)) === 0;

function describe(k: number): string {
  return KIND_NAMES.filter(([bit]) => k & bit).map(([, name]) => name).join(' or ');
}

const valueTypes = new WeakMap<object, Ty>();

function valueTy(v: Value): Ty {
  if (typeof v === 'boolean') return T_BOOL;
  if (typeof v === 'number') return T_INT;
  if (typeof v === 'string') return T_STR;
  if (v instanceof ModelValue) return T_MV;
  const known = valueTypes.get(v);
  if (known) return known;
  let t: Ty;
  if (isSet(v)) {
    let elem = NONE;
    for (const x of v) elem = join(elem, valueTy(x));
    t = setOf(elem);
  } else if (isFn(v)) {
    let dom = NONE;
    let rng = NONE;
    for (const [key, x] of v) {
      dom = join(dom, valueTy(key));
      rng = join(rng, valueTy(x));
    }
    t = fnOf(dom, rng);
  } else {
    return assertNever(v);
  }
  valueTypes.set(v, t);
  return t;
}

// ------------------------------------------------------------------ the pass

/**
 * The type errors of a program (after the kernel pass): operands that can never be of a kind their
 * operator accepts, and assignments that change a variable's kind. `locate` shows a span as
 * file:line:column, for messages that point at another place.
 */
export function typecheck(program: Program, locate: (span: Span) => string): Diagnostic[] {
  return new TypeChecker(program, locate).run();
}

/** A write of a value of data kinds `kinds`, `depth` keys into a variable, shown as `shown`. */
interface Write {
  ref: VarRef;
  depth: number;
  shown: string;
  kinds: number;
  at: Span;
}

class TypeChecker {
  private globals: Ty[];
  private pvars: Ty[];
  /** Types of bound names, by their program-wide unique id (unknown: TOP). */
  private bound = new Map<number, Ty>();
  private selfTy: Ty;
  private changed = false;
  /** Null while the variable types are being computed; the diagnostics once they are fixed. */
  private diagnostics: Diagnostic[] | null = null;
  private reported = new Set<string>();
  /** Every write of the program, collected once the types are fixed, for the assignment rule. */
  private writes: Write[] = [];
  /** Every global's then every process variable's type before any write. */
  private initial: Ty[] = [];

  constructor(
    private program: Program,
    private locate: (span: Span) => string,
  ) {
    this.globals = program.globals.map((g) => joinAll(g.inits.map(valueTy)));
    this.selfTy = joinAll(program.instances.map((i) => valueTy(i.id)));
    this.pvars = program.processVars.map(() => NONE);
  }

  run(): Diagnostic[] {
    this.initialTypes();
    const initial = [...this.globals, ...this.pvars];
    // Writes widen variable types until nothing changes. Types are bounded (MAX_DEPTH), so this
    // ends; a variable still growing after 8 rounds becomes unknown, which bounds the rounds.
    for (let round = 0; ; round++) {
      const before = [...this.globals, ...this.pvars];
      this.changed = false;
      this.walkProgram();
      if (!this.changed) break;
      if (round >= 8) {
        [...this.globals, ...this.pvars].forEach((t, i) => {
          if (sameTy(t, before[i])) return;
          if (i < this.globals.length) this.globals[i] = TOP;
          else this.pvars[i - this.globals.length] = TOP;
        });
      }
    }
    this.initial = initial;
    this.diagnostics = [];
    this.walkProgram();
    this.judgeWrites();
    return this.diagnostics;
  }

  /**
   * Each process variable's type before any write, from its init. A procedure's parameter has none:
   * its body runs only after a call gave it a value (defaultInitValue is seen from outside, `outside`).
   */
  private initialTypes(): void {
    this.program.processVars.forEach((v, i) => {
      if (v.init !== null) {
        const t = this.expr(v.init, v.span);
        this.pvars[i] = v.initKind === '=' ? t : elemOf(t);
      }
    });
  }

  private walkProgram(): void {
    const p = this.program;
    p.processVars.forEach((v, i) => {
      if (v.init === null) return;
      const t = this.expr(v.init, v.span);
      if (v.initKind === '\\in') this.want(t, SET, `the initial set of ${v.name}`, v.span);
      this.write({ kind: 'pvar', index: i }, v.name, 0, v.initKind === '=' ? t : elemOf(t), null);
    });
    for (const l of p.labels) this.stmts(l.body);
    for (const prop of [...p.invariants, ...p.finals]) {
      this.want(this.expr(prop.body, prop.span), BOOL, `invariant ${prop.name}`, prop.span);
    }
    // A recursive function's body is checked where it is first used (it has no span of its own).
    const firstUse = new Map<number, Span>();
    forEachExpr(p, (e) => {
      if ((e.k === 'recCall' || e.k === 'recFnValue') && !firstUse.has(e.fn)) firstUse.set(e.fn, e.span);
    });
    p.recFns.forEach((f, i) => {
      const at = firstUse.get(i) ?? null;
      this.bound.set(f.param, f.domain ? elemOf(this.want(this.memberSet(f.domain, at), SET, `the domain of ${f.name}`, at)) : TOP);
      this.expr(f.body, at);
    });
  }

  /** A process variable read from a definition: a parameter may still hold defaultInitValue. */
  private outside(v: number): Ty {
    return this.program.processVars[v].init === null ? join(T_MV, this.pvars[v]) : this.pvars[v];
  }

  // ---------------------------------------------------------------- reporting

  /** Reports `what` when `t` can be none of `kinds`; gives `t` back. */
  private want(t: Ty, kinds: number, what: string, at: Span | null): Ty {
    if (t !== TOP && t.k !== 0 && (t.k & kinds) === 0) this.report(diag('TypeMismatch', at, what, describe(kinds), describe(t.k)));
    return t;
  }

  private report(d: Diagnostic): void {
    if (!this.diagnostics) return;
    // A definition expanded in several places is reported once.
    const key = `${d.code}:${d.span?.file}:${d.span?.start}:${d.message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.diagnostics.push(d);
  }

  // ---------------------------------------------------------------- writes

  private varTy(ref: VarRef): Ty {
    return ref.kind === 'global' ? this.globals[ref.index] : this.pvars[ref.index];
  }

  /** A target's first `depth` keys as the source shows them: `r.count`, `x[1]`, `x[...]`. */
  private targetName(t: Target, depth: number): string {
    const ref = t.ref;
    const name = ref.kind === 'global' ? this.program.globals[ref.index].name : this.program.processVars[ref.index].name;
    const key = (k: Expr): string => {
      if (k.k !== 'lit') return '[...]';
      return typeof k.value === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(k.value) ? `.${k.value}` : `[${showValue(k.value)}]`;
    };
    return name + t.path.slice(0, depth).map(key).join('');
  }

  /**
   * A value of type `v` written `depth` keys into a variable (shown as `shown`; `at` null: its initial
   * value): while computing types, the variable's type grows; once they are fixed, the write is kept
   * for the assignment rule.
   */
  private write(ref: VarRef, shown: string, depth: number, v: Ty, at: Span | null): void {
    const vars = ref.kind === 'global' ? this.globals : this.pvars;
    if (!this.diagnostics) {
      const next = join(vars[ref.index], updateAt(vars[ref.index], depth, v));
      if (!sameTy(next, vars[ref.index])) {
        vars[ref.index] = next;
        this.changed = true;
      }
    } else if (at !== null) {
      this.writes.push({ ref, depth, shown, kinds: dataKinds(v), at });
    }
  }

  /**
   * The assignment rule (docs/language.md, "Types"): the value `depth` keys into a variable keeps the
   * one kind its initial values give it, or else the first write's. Initial values or a write of
   * several kinds (or of an unknown one) mix kinds deliberately: that place is not checked.
   */
  private judgeWrites(): void {
    const places = new Map<string, Write[]>();
    for (const w of this.writes) {
      const key = `${w.ref.kind}:${w.ref.index}:${w.depth}`;
      places.set(key, [...(places.get(key) ?? []), w]);
    }
    for (const ws of places.values()) {
      const { ref, depth } = ws[0];
      const initial = dataKinds(rngAt(this.initial[ref.kind === 'global' ? ref.index : this.globals.length + ref.index], depth));
      if ((initial !== 0 && !singleKind(initial)) || ws.some((w) => w.kinds !== 0 && !singleKind(w.kinds))) continue;
      const first = initial === 0 ? ws.find((w) => w.kinds !== 0) : undefined;
      const kinds = first?.kinds ?? initial;
      const from = first ? `the write at ${this.locate(first.at)}` : 'its initial value';
      for (const w of ws) {
        if (w.kinds !== 0 && w.kinds !== kinds) this.report(diag('AssignTypeConflict', w.at, w.shown, describe(kinds), from, describe(w.kinds)));
      }
    }
  }

  // ---------------------------------------------------------------- statements

  private stmts(ss: Stmt[]): void {
    for (const s of ss) this.stmt(s);
  }

  private stmt(s: Stmt): void {
    if (isKernelStmt(s)) return kernelKindReached(s);
    switch (s.k) {
      case 'assign': {
        const paths = s.targets.map((t) => t.path.map((key) => this.expr(key, s.span)));
        const values = s.values.map((v) => this.expr(v, s.span));
        s.targets.forEach((t, j) => {
          let at = this.varTy(t.ref);
          for (let d = 0; d < t.path.length; d++) {
            this.want(at, FN, `${this.targetName(t, d)}, assigned by key,`, s.span);
            this.inDomain(at, paths[j][d], this.targetName(t, d), s.span);
            at = rngOf(at);
          }
          this.write(t.ref, this.targetName(t, t.path.length), t.path.length, values[j], s.span);
        });
        return;
      }
      case 'await':
        this.want(this.expr(s.cond, s.span), BOOL, 'the condition of await', s.span);
        return;
      case 'if':
        this.want(this.expr(s.cond, s.span), BOOL, 'the condition of if', s.span);
        this.stmts(s.then);
        this.stmts(s.else);
        return;
      case 'either':
        s.branches.forEach((b) => this.stmts(b));
        return;
      case 'with':
        this.bound.set(s.bound, elemOf(this.want(this.expr(s.set, s.span), SET, 'the set of with', s.span)));
        this.stmts(s.body);
        return;
      case 'let':
        this.bound.set(s.bound, this.expr(s.value, s.span));
        this.stmts(s.body);
        return;
      case 'check':
        this.want(this.expr(s.cond, s.span), BOOL, `the condition of ${s.property}`, s.span);
        return;
      case 'print':
        this.expr(s.value, s.span);
        return;
      case 'call':
      case 'tailcall': {
        const proc = this.program.procedures[s.procedure];
        s.args.forEach((a, j) => {
          const v = proc.params[j];
          this.write({ kind: 'pvar', index: v }, this.program.processVars[v].name, 0, this.expr(a, s.span), s.span);
        });
        return;
      }
      case 'goto':
      case 'done':
      case 'return':
        return;
      default:
        return assertNever(s);
    }
  }

  // ---------------------------------------------------------------- expressions

  /** Reports a key that can never be in the domain of a function of type `fn`. */
  private inDomain(fn: Ty, key: Ty, what: string, at: Span | null): void {
    const dom = domOf(fn);
    if (dom === TOP || key === TOP || dom.k === 0 || key.k === 0 || !(fn.k & FN)) return;
    if ((dom.k & key.k) === 0) this.report(diag('NeverInDomain', at, describe(key.k), what, describe(dom.k)));
  }

  private bindAll(bounds: number[], sets: Expr[], what: string, at: Span | null): Ty[] {
    return bounds.map((b, i) => {
      const elem = elemOf(this.want(this.expr(sets[i], at), SET, what, at));
      this.bound.set(b, elem);
      return elem;
    });
  }

  /** The type of `e`, its operands checked; `at` is the nearest enclosing span. */
  private expr(e: Expr, at: Span | null): Ty {
    const here = 'span' in e ? e.span : at;
    const sub = (x: Expr): Ty => this.expr(x, here);
    const bool = (x: Expr, what: string): Ty => this.want(sub(x), BOOL, what, here);
    const int = (x: Expr, what: string): Ty => this.want(sub(x), INT, what, here);
    const set = (x: Expr, what: string): Ty => this.want(sub(x), SET, what, here);
    const fn = (x: Expr, what: string): Ty => this.want(sub(x), FN, what, here);
    switch (e.k) {
      case 'lit':
        return valueTy(e.value);
      case 'global':
        return this.globals[e.index];
      case 'pvar':
        return this.pvars[e.index];
      case 'pvarOf':
        sub(e.proc);
        return this.outside(e.index);
      case 'pvarFn':
        return fnOf(this.selfTy, this.outside(e.index));
      case 'self':
        return this.selfTy;
      case 'pcOf':
        sub(e.proc);
        return T_STR;
      case 'pcFn':
        return fnOf(this.selfTy, T_STR);
      case 'bound':
        return this.bound.get(e.id) ?? TOP;
      case 'not':
        bool(e.arg, 'the argument of ~');
        return T_BOOL;
      case 'and':
        e.args.forEach((a) => bool(a, 'an operand of /\\'));
        return T_BOOL;
      case 'or':
        e.args.forEach((a) => bool(a, 'an operand of \\/'));
        return T_BOOL;
      case 'implies':
        bool(e.left, 'the left of =>');
        bool(e.right, 'the right of =>');
        return T_BOOL;
      case 'bin':
        return this.binary(e, e.span);
      case 'neg':
        int(e.arg, 'the argument of unary -');
        return T_INT;
      case 'builtin': {
        const op = e.op;
        switch (op) {
          case 'DOMAIN':
            return setOf(domOf(fn(e.args[0], 'the argument of DOMAIN')));
          case 'SUBSET':
            return setOf(set(e.args[0], 'the argument of SUBSET'));
          case 'UNION': {
            const inner = elemOf(set(e.args[0], 'the argument of UNION'));
            return setOf(elemOf(this.want(inner, SET, "an element of UNION's argument", here)));
          }
          case 'Cardinality':
            set(e.args[0], 'the argument of Cardinality');
            return T_INT;
          case 'IsFiniteSet':
            set(e.args[0], 'the argument of IsFiniteSet');
            return T_BOOL;
          case 'Len':
            fn(e.args[0], 'the argument of Len');
            return T_INT;
          case 'Head':
            return rngOf(fn(e.args[0], 'the argument of Head'));
          case 'Tail':
            return fnOf(T_INT, rngOf(fn(e.args[0], 'the argument of Tail')));
          case 'Append': {
            const s = fn(e.args[0], 'the argument of Append');
            return fnOf(T_INT, join(rngOf(s), sub(e.args[1])));
          }
          case 'SubSeq': {
            const s = fn(e.args[0], 'the argument of SubSeq');
            int(e.args[1], "SubSeq's start");
            int(e.args[2], "SubSeq's end");
            return fnOf(T_INT, rngOf(s));
          }
          default:
            return assertNever(op);
        }
      }
      case 'apply': {
        const f = fn(e.fn, 'the applied value');
        const arg = sub(e.arg);
        this.inDomain(f, arg, 'the applied function', here);
        return rngOf(f);
      }
      case 'setEnum':
        return setOf(joinAll(e.elems.map(sub)));
      case 'tuple':
        return fnOf(e.elems.length > 0 ? T_INT : NONE, joinAll(e.elems.map(sub)));
      case 'record':
        return fnOf(e.names.length > 0 ? T_STR : NONE, joinAll(e.values.map(sub)));
      case 'recordSet':
        return setOf(fnOf(T_STR, joinAll(e.sets.map((s) => elemOf(set(s, 'a field set of [a : S]'))))));
      case 'fnSet': {
        const dom = elemOf(set(e.domain, 'the domain of [S -> T]'));
        return setOf(fnOf(dom, elemOf(set(e.range, 'the range of [S -> T]'))));
      }
      case 'infSet':
        this.report(diag('InfiniteSetEnumerated', e.span, e.name));
        return setOf(T_INT);
      case 'seqSet':
        this.report(diag('InfiniteSetEnumerated', e.span, 'Seq(S)'));
        return this.memberSet(e, here);
      case 'selectSeq': {
        const s = this.want(sub(e.seq), FN, 'the sequence of SelectSeq', here);
        this.bound.set(e.bound, rngOf(s));
        bool(e.cond, 'the test of SelectSeq');
        return s;
      }
      case 'fnCons': {
        const elems = this.bindAll(e.bounds, e.sets, 'a domain of [x \\in S |-> e]', here);
        return fnOf(elems.length === 1 ? elems[0] : fnOf(T_INT, joinAll(elems)), sub(e.body));
      }
      case 'setFilter': {
        const s = set(e.set, 'the set of {x \\in S : p}');
        this.bound.set(e.bound, elemOf(s));
        bool(e.cond, 'the condition of {x \\in S : p}');
        return s;
      }
      case 'setMap':
        this.bindAll(e.bounds, e.sets, 'a set of {e : x \\in S}', here);
        return setOf(sub(e.body));
      case 'except': {
        let f = sub(e.fn);
        for (const u of e.updates) {
          let inner = this.want(f, FN, 'the updated value', here);
          for (const key of u.path) {
            const k = sub(key);
            this.want(inner, FN, 'the updated value', here);
            this.inDomain(inner, k, 'the updated function', here);
            inner = rngOf(inner);
          }
          this.bound.set(u.at, rngAt(f, u.path.length));
          f = join(f, updateAt(f, u.path.length, sub(u.value)));
        }
        return f;
      }
      case 'ite':
        bool(e.cond, 'the condition of IF');
        return join(sub(e.then), sub(e.else));
      case 'case':
        return joinAll([
          ...e.arms.map((a) => (bool(a.cond, 'a CASE condition'), sub(a.value))),
          ...(e.other ? [sub(e.other)] : []),
        ]);
      case 'quant':
        this.bindAll(e.bounds, e.sets, 'a set of a quantifier', here);
        bool(e.body, e.forall ? 'the body of \\A' : 'the body of \\E');
        return T_BOOL;
      case 'choose': {
        const elem = elemOf(set(e.set, 'the set of CHOOSE'));
        this.bound.set(e.bound, elem);
        bool(e.cond, 'the condition of CHOOSE');
        return elem;
      }
      case 'letIn':
        this.bound.set(e.bound, sub(e.value));
        return sub(e.body);
      case 'recCall':
        sub(e.arg);
        return TOP;
      case 'recFnValue':
        return fnOf(this.bound.get(this.program.recFns[e.fn].param) ?? TOP, TOP);
      case 'checked':
        bool(e.cond, `the condition of ${e.property}`);
        return sub(e.value);
      case 'objectRead':
        return kernelKindReached(e);
      default:
        return assertNever(e);
    }
  }

  /**
   * The type of a set only tested for membership (the right of `\in`, `\notin`, `\subseteq`, a
   * recursive function's domain): as the engines' membership tests, `Nat` and `Int` there, and
   * within `[S -> T]`'s range, `SUBSET S` and `[a : S]`, are never enumerated.
   */
  private memberSet(e: Expr, at: Span | null): Ty {
    switch (e.k) {
      case 'infSet':
        return setOf(T_INT);
      case 'seqSet':
        return setOf(fnOf(T_INT, elemOf(this.want(this.memberSet(e.elems, e.span), SET, 'the argument of Seq', e.span))));
      case 'fnSet': {
        const dom = elemOf(this.want(this.expr(e.domain, e.span), SET, 'the domain of [S -> T]', e.span));
        const rng = elemOf(this.want(this.memberSet(e.range, e.span), SET, 'the range of [S -> T]', e.span));
        return setOf(fnOf(dom, rng));
      }
      case 'builtin':
        if (e.op !== 'SUBSET') return this.expr(e, at);
        return setOf(this.want(this.memberSet(e.args[0], e.span), SET, 'the argument of SUBSET', e.span));
      case 'recordSet':
        return setOf(fnOf(T_STR, joinAll(e.sets.map((s) => elemOf(this.want(this.memberSet(s, e.span), SET, 'a field set of [a : S]', e.span))))));
      default:
        return this.expr(e, at);
    }
  }

  private binary(e: Extract<Expr, { k: 'bin' }>, at: Span): Ty {
    const left = this.expr(e.left, at);
    const tested = e.op === 'in' || e.op === 'notin' || e.op === 'subseteq';
    const right = tested ? this.memberSet(e.right, at) : this.expr(e.right, at);
    const operands = (kinds: number, name: string): void => {
      this.want(left, kinds, `the left of ${name}`, at);
      this.want(right, kinds, `the right of ${name}`, at);
    };
    const op = e.op;
    switch (op) {
      case '=':
      case '#':
      case 'same':
        return T_BOOL;
      case 'in':
      case 'notin':
        this.want(right, SET, `the right of ${op === 'in' ? '\\in' : '\\notin'}`, at);
        return T_BOOL;
      case 'subseteq':
        operands(SET, '\\subseteq');
        return T_BOOL;
      case '<':
      case '<=':
      case '>':
      case '>=':
        operands(INT, op);
        return T_BOOL;
      case 'equiv':
        operands(BOOL, '<=>');
        return T_BOOL;
      case 'cup':
        operands(SET, '\\cup');
        return setOf(join(elemOf(left), elemOf(right)));
      case 'cap':
      case 'minus':
        operands(SET, op === 'cap' ? '\\cap' : '\\');
        return setOf(elemOf(left));
      case '+':
      case '-':
      case '*':
      case 'div':
      case '%':
      case '^':
        operands(INT, op === 'div' ? '\\div' : op);
        return T_INT;
      case 'negpow':
        operands(INT, '^');
        return T_INT;
      case '..':
        operands(INT, '..');
        return setOf(T_INT);
      case 'concat':
        operands(FN, '\\o');
        return fnOf(T_INT, join(rngOf(left), rngOf(right)));
      case 'cross':
        operands(SET, '\\X');
        return setOf(fnOf(T_INT, join(elemOf(left), elemOf(right))));
      default:
        return assertNever(op);
    }
  }
}
