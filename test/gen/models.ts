// Random well-formed lockspec models for differential and metamorphic testing (and as seeds for
// the fuzzer). A model is generated as a small structure (GenModel) and rendered to source text;
// every reference inside it (a variable of some type, a label, a procedure, a macro) is an abstract
// index that the renderer resolves modulo what exists in scope, falling back to a literal. So any
// structure fast-check generates or shrinks to renders to a model that loads, and a failing case
// shrinks to a small readable .lspec text. Values stay small (ints are stored `% K`, sets are cut to
// 0..3, sequences to three elements), so each model has a small state space.
import fc from 'fast-check';

// ------------------------------------------------------------------ the structure

/**
 * Value types: int, bool, set of ints, function 0..1 -> int, sequence, record [a, b], function
 * 0..1 -> record, string ("a", "b" or "c").
 */
export type Ty = 'i' | 'b' | 's' | 'f' | 'q' | 'r' | 'fr' | 't';
const TYPES: Ty[] = ['i', 'b', 's', 'f', 'q', 'r', 'fr', 't'];

/** Statements. Expressions are text with placeholders «<ty><k>», «self», «pc<k>» resolved at render time. */
export type S =
  | { s: 'raw'; text: string } // skip, await, assert, print
  /** One or more simultaneous assignments; each template has «T» where the target's name goes. */
  | { s: 'assign'; parts: { ty: Ty; k: number; tmpl: string }[] }
  | { s: 'if'; cond: string; then: Seq; else: Seq | null }
  | { s: 'either'; branches: Seq[] }
  | { s: 'with'; binds: { nb: number; op: '\\in' | '='; e: string }[]; body: Seq }
  | { s: 'macro'; k: number; arg: string }
  /** A kernel operation on the model's lock, lock array, refcount or sequence count, RCU or interrupts (when it has them). */
  | { s: 'kernel'; op: number; k: number };

/** A call may be followed by a goto (`then`: the label, an index like goto's) or by `return` (PlusCal's tail call). */
export type Term = { t: 'goto'; k: number } | { t: 'ret' } | { t: 'call'; k: number; args: string[]; then: number | 'ret' | null };

export interface Seq {
  stmts: S[];
  term: Term | null;
}

export interface LabelDeco {
  cost: number | null;
  desc: boolean;
}

/** A branch of a labeled `if`: statements of the enclosing step, then labeled blocks. */
export interface Branch {
  stmts: S[];
  blocks: Block[];
}

export type Block =
  | { b: 'plain'; deco: LabelDeco; body: Seq }
  | { b: 'while'; deco: LabelDeco; cond: string; head: S[]; body: Block[] }
  /** A label, statements, then an `if` whose branches hold labels (the else may be absent). */
  | { b: 'if'; deco: LabelDeco; head: S[]; cond: string; then: Branch; else: Branch | null };

export interface GenProcess {
  set: boolean;
  fair: boolean;
  locals: { ty: Ty; init: number }[];
  body: Block[];
}

export interface GenProcedure {
  params: number;
  locals: number[];
  body: Block[];
}

export interface GenModel {
  globals: { ty: Ty; init: number }[];
  processes: GenProcess[];
  procedures: GenProcedure[];
  macros: S[][];
  invariants: string[];
  finals: string[];
  deadlock: boolean;
  /** Declare a spinlock L0, a lock array LA, a refcount rc and a sequence count sq for the kernel operations. */
  kernel: boolean;
  /** With the kernel declarations and two processes or more: the last is an interrupt handler of process 0's CPU. */
  interrupt: boolean;
}

// ------------------------------------------------------------------ expressions

const MAXNB = 4;
const memo = new Map<string, fc.Arbitrary<string>>();

type W = { arbitrary: fc.Arbitrary<string>; weight: number };
const w = (weight: number, arbitrary: fc.Arbitrary<string>): W => ({ arbitrary, weight: Math.round(weight * 10) });
const k7 = fc.nat(7);

/**
 * Arrays of minLength..maxLength elements, mostly near minLength (small models parse and explore
 * fast); they shrink by dropping elements.
 */
function arr<T>(arb: fc.Arbitrary<T>, minLength: number, maxLength: number): fc.Arbitrary<T[]> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.array(arb, { minLength, maxLength, size: 'xsmall' }) },
    { weight: 1, arbitrary: fc.array(arb, { minLength, maxLength }) },
  );
}
const small = fc.integer({ min: 0, max: 3 });

/** An expression of type `ty`, at most `d` deep, with bound ints b0..b{nb-1} in scope. */
export function ex(ty: Ty, d: number, nb: number): fc.Arbitrary<string> {
  nb = Math.min(nb, MAXNB);
  const key = `${ty}:${d}:${nb}`;
  let arb = memo.get(key);
  if (!arb) {
    arb = build(ty, d, nb);
    memo.set(key, arb);
  }
  return arb;
}

/** Mostly a name or a literal or one operation, sometimes deeper: the expressions of statements. */
export function exm(ty: Ty, nb: number): fc.Arbitrary<string> {
  return fc.oneof({ weight: 4, arbitrary: ex(ty, 0, nb) }, { weight: 4, arbitrary: ex(ty, 1, nb) }, { weight: 1, arbitrary: ex(ty, 2, nb) });
}

function leaves(ty: Ty, nb: number): W[] {
  const bound = nb > 0 ? [w(3, fc.nat(nb - 1).map((j) => `b${j}`))] : [];
  switch (ty) {
    case 'i':
      return [w(3, small.map(String)), w(4, k7.map((k) => `«i${k}»`)), ...bound, w(1, fc.constant('«self»'))];
    case 'b':
      return [
        w(2, fc.constantFrom('TRUE', 'FALSE')),
        w(3, k7.map((k) => `«b${k}»`)),
        w(1, fc.nat(30).map((k) => `«pc${k}»`)),
        w(0.5, k7.map((k) => `«pf${k}»`)),
      ];
    case 's':
      return [w(1, fc.constant('{}')), w(3, k7.map((k) => `«s${k}»`)), w(1, small.map((n) => `(0..${n})`)), w(1, fc.tuple(small, small).map(([a, b]) => `{${a}, ${b}}`))];
    case 'f':
      return [w(3, k7.map((k) => `«f${k}»`)), w(1, small.map((n) => `[b${nb} \\in 0..1 |-> ${n}]`))];
    case 'q':
      return [w(3, k7.map((k) => `«q${k}»`)), w(1, fc.constant('<<>>')), w(1, small.map((n) => `<<${n}>>`))];
    case 'r':
      return [w(3, k7.map((k) => `«r${k}»`)), w(1, fc.tuple(small, fc.constantFrom('TRUE', 'FALSE')).map(([a, b]) => `[a |-> ${a}, b |-> ${b}]`))];
    case 'fr':
      return [w(1, k7.map((k) => `«fr${k}»`))];
    case 't':
      return [w(2, fc.constantFrom('"a"', '"b"', '"c"')), w(3, k7.map((k) => `«t${k}»`))];
  }
}

function build(ty: Ty, d: number, nb: number): fc.Arbitrary<string> {
  const ls = leaves(ty, nb);
  if (d <= 0) return fc.oneof(...ls);
  const I = ex('i', d - 1, nb);
  const B = ex('b', d - 1, nb);
  const St = ex('s', d - 1, nb);
  const F = ex('f', d - 1, nb);
  const Q = ex('q', d - 1, nb);
  const R = ex('r', d - 1, nb);
  const T = ex('t', d - 1, nb);
  const I1 = ex('i', d - 1, nb + 1);
  const B1 = ex('b', d - 1, nb + 1);
  const x = `b${nb}`;
  const t = fc.tuple;
  /** A bound name of an enclosing `with` or quantifier, when there is one, else any int. */
  const boundOr = nb > 0 ? fc.oneof(fc.nat(nb - 1).map((j) => `b${j}`), I) : I;
  // The names bound by CHOOSE over strings and records and by a LET's recursive function carry
  // the depth: the expressions inside them are shallower, so they never bind the same name again.
  let comp: W[];
  switch (ty) {
    case 'i':
      comp = [
        w(3, t(I, fc.constantFrom('+', '-', '*'), I).map(([a, op, b]) => `(${a} ${op} ${b})`)),
        w(2, t(I, fc.constantFrom('%', '\\div'), fc.integer({ min: 1, max: 4 })).map(([a, op, n]) => `(${a} ${op} ${n})`)),
        w(1, I.map((a) => `(-${a})`)),
        w(1, t(I, fc.integer({ min: 1, max: 3 })).map(([a, n]) => `(${a} ^ ${n})`)),
        w(1, St.map((s) => `Cardinality(${s})`)),
        w(1, Q.map((q) => `Len(${q})`)),
        w(1, t(Q, I).map(([q, a]) => `(IF ${q} = <<>> THEN ${a} ELSE Head(${q}))`)),
        w(2, t(F, I).map(([f, a]) => `${f}[(${a}) % 2]`)),
        w(1, t(fc.nat(7), I).map(([k, a]) => `«fr${k}»[(${a}) % 2].a`)),
        w(1, R.map((r) => `${r}.a`)),
        w(2, t(B, I, I).map(([c, a, b]) => `(IF ${c} THEN ${a} ELSE ${b})`)),
        w(1, t(B, I, B, I, I).map(([c, a, c2, b, o]) => `(CASE ${c} -> ${a} [] ${c2} -> ${b} [] OTHER -> ${o})`)),
        w(1, t(I, I1).map(([a, body]) => `(LET ${x} == ${a} IN ${body})`)),
        w(1, t(St, B1, small).map(([s, c, n]) => `(CHOOSE ${x} \\in (${s}) \\cup {${n}} : (${c}) \\/ ${x} = ${n})`)),
        w(1, I.map((a) => `Dbl(${a})`)),
        // Operators whose LETs define (recursive) functions over the operator's parameters,
        // applied to bound names; and a recursive function in a LET that captures bound names.
        w(1, boundOr.map((a) => `RecSum(${a})`)),
        w(1, t(boundOr, I).map(([a, b]) => `Mix(${a}, ${b})`)),
        w(1, t(fc.nat(3), I).map(([k, a]) => `RSum(${k}, ${a})`)),
        w(1, t(I, I).map(([a, b]) => `Twice(LAMBDA lz${d} : (lz${d} + ${a}) % 5, ${b})`)),
        w(1, t(I, I).map(([a, b]) => `(${a} ++ ${b})`)),
        w(
          1,
          t(I1, I1, fc.nat(2)).map(
            ([base, step, n]) => `(LET rf${d}[${x} \\in 0..2] == IF ${x} = 0 THEN ${base} ELSE (rf${d}[${x} - 1] + ${step}) % 5 IN rf${d}[${n}])`,
          ),
        ),
        w(0.5, t(T, T).map(([a, b]) => `Cardinality({${a}, ${b}, "a"})`)),
        w(0.5, t(I, B).map(([a, p]) => `(CHOOSE tr${d} \\in [a : 0..2, b : {TRUE, FALSE}] : tr${d}.a # ${a} /\\ tr${d}.b = ${p}).a`)),
        w(1, I.map((a) => `Fact[(${a}) % 4]`)),
        w(1, St.map((s) => `SumS[(${s}) \\cap (0..3)]`)),
        w(1, t(St, I1).map(([s, e]) => `Cardinality({${e} : ${x} \\in ${s}})`)),
        w(1, St.map((s) => `Cardinality(SUBSET ((${s}) \\cap (0..2)))`)),
        w(1, t(ex('i', d - 1, nb + 2), I, I).map(([e, a, b]) => `[${x}, b${nb + 1} \\in 0..1 |-> ${e}][(${a}) % 2, (${b}) % 2]`)),
        // Partial operations: these may fail at run time, which the engines must report alike.
        w(0.3, Q.map((q) => `Head(${q})`)),
        w(0.3, t(F, I).map(([f, a]) => `${f}[${a}]`)),
        w(0.2, t(B, I).map(([c, a]) => `(CASE ${c} -> ${a})`)),
        w(0.2, t(St, B1).map(([s, c]) => `(CHOOSE ${x} \\in ${s} : ${c})`)),
        w(0.2, t(I, I).map(([a, b]) => `(${a} % ${b})`)),
      ];
      break;
    case 'b':
      comp = [
        w(4, t(I, fc.constantFrom('=', '#', '<', '<=', '>', '>=', '/=', '\\leq'), I).map(([a, op, b]) => `(${a} ${op} ${b})`)),
        w(2, t(I, fc.constantFrom('\\in', '\\notin'), St).map(([a, op, s]) => `(${a} ${op} ${s})`)),
        w(1, t(Q, fc.constantFrom('0..2', 'Nat', '{0, 1}')).map(([q, s]) => `(${q} \\in Seq(${s}))`)),
        w(1, t(St, fc.constantFrom('\\subseteq', '=', '#'), St).map(([a, op, b]) => `(${a} ${op} ${b})`)),
        w(2, B.map((p) => `(~${p})`)),
        w(3, t(B, fc.constantFrom('/\\', '\\/', '=>', '<=>'), B).map(([p, op, q]) => `(${p} ${op} ${q})`)),
        w(2, t(fc.constantFrom('\\A', '\\E'), St, B1).map(([q, s, p]) => `(${q} ${x} \\in ${s} : ${p})`)),
        w(1, t(St, I).map(([s, a]) => `(\\E ss${nb} \\in SUBSET ((${s}) \\cap (0..2)) : Cardinality(ss${nb}) = ${a})`)),
        w(1, t(St, I).map(([s, a]) => `({${a}} \\in SUBSET (${s}))`)),
        w(1, t(St, I, I).map(([s, a, b]) => `(\\E ff${nb} \\in [0..1 -> (${s}) \\cap (0..2)] : ff${nb}[(${a}) % 2] = ${b})`)),
        w(1, t(St, I, I).map(([s, a, b]) => `(\\E ss${nb} \\in SUBSET ((${s}) \\cap (0..2)) : ${a} \\in ss${nb} /\\ Cardinality(ss${nb}) = ${b})`)),
        w(1, Q.map((q) => `(${q} = <<>>)`)),
        w(1, t(F, F).map(([f, g]) => `(${f} = ${g})`)),
        w(1, t(F, St).map(([f, s]) => `(${f} \\in [0..1 -> ${s}])`)),
        w(1, t(R, St).map(([r, s]) => `(${r} \\in [a : ${s}, b : {TRUE, FALSE}])`)),
        w(1, t(I, I, St, St).map(([a, b, s, u]) => `(<<${a}, ${b}>> \\in ${s} \\X ${u})`)),
        w(1, R.map((r) => `${r}.b`)),
        w(1, t(fc.nat(7), I).map(([k, a]) => `«fr${k}»[(${a}) % 2].b`)),
        w(1, I.map((a) => `Small(${a})`)),
        w(1, boundOr.map((a) => `Pick(${a})`)),
        w(1, t(T, T).map(([a, b]) => `(${a} = ${b})`)),
        w(0.5, T.map((a) => `(${a} \\in {"a", "b"})`)),
        w(0.5, t(T, T).map(([a, b]) => `(\\E ts${d} \\in {${a}, "c"} : ts${d} = ${b})`)),
        w(1, t(B, B, B).map(([c, p, q]) => `(IF ${c} THEN ${p} ELSE ${q})`)),
      ];
      break;
    case 's':
      comp = [
        w(3, t(St, fc.constantFrom('\\cup', '\\cap', '\\'), St).map(([a, op, b]) => `(${a} ${op} ${b})`)),
        w(1, t(I, I).map(([a, b]) => `{${a}, ${b}}`)),
        w(1, I.map((a) => `(0..((${a}) % 4))`)),
        w(2, t(St, B1).map(([s, p]) => `{${x} \\in ${s} : ${p}}`)),
        w(2, t(I1, St).map(([e, s]) => `{${e} : ${x} \\in ${s}}`)),
        w(1, F.map((f) => `(DOMAIN ${f})`)),
        w(1, Q.map((q) => `(DOMAIN ${q})`)),
        w(1, t(St, St).map(([a, b]) => `(UNION {${a}, ${b}})`)),
        w(1, St.map((s) => `(UNION (SUBSET ((${s}) \\cap (0..2))))`)),
        w(1, t(B, St, St).map(([c, a, b]) => `(IF ${c} THEN ${a} ELSE ${b})`)),
      ];
      break;
    case 'f':
      comp = [
        w(2, I1.map((e) => `[${x} \\in 0..1 |-> ${e}]`)),
        w(2, t(F, I, I).map(([f, a, b]) => `[${f} EXCEPT ![(${a}) % 2] = ${b}]`)),
        w(1, t(F, I).map(([f, b]) => `[${f} EXCEPT ![0] = @ + ${b}, ![1] = @ * 2]`)),
        w(1, t(B, F, F).map(([c, f, g]) => `(IF ${c} THEN ${f} ELSE ${g})`)),
      ];
      break;
    case 'q':
      comp = [
        w(1, t(I, I).map(([a, b]) => `<<${a}, ${b}>>`)),
        w(2, t(Q, I).map(([q, a]) => `Append(${q}, ${a})`)),
        w(1, t(Q, Q).map(([q, r]) => `(${q} \\o ${r})`)),
        w(1, Q.map((q) => `(IF ${q} = <<>> THEN ${q} ELSE Tail(${q}))`)),
        w(1, Q.map((q) => `SubSeq(${q}, 1, Len(${q}) \\div 2)`)),
        w(0.3, Q.map((q) => `Tail(${q})`)),
        w(1, Q.map((q) => `SelectSeq(${q}, Small)`)),
      ];
      break;
    case 'r':
      comp = [
        w(1, t(I, B).map(([a, p]) => `[a |-> ${a}, b |-> ${p}]`)),
        w(1, t(R, I).map(([r, a]) => `[${r} EXCEPT !.a = ${a}]`)),
        w(1, R.map((r) => `[${r} EXCEPT !.b = ~@]`)),
        // CHOOSE over records: a set of records, and an enumeration (always with a witness).
        w(1, t(I, B).map(([a, p]) => `(CHOOSE tr${d} \\in [a : 0..2, b : {TRUE, FALSE}] : tr${d}.a # ${a} /\\ tr${d}.b = ${p})`)),
        w(1, t(R, R).map(([r1, r2]) => `(CHOOSE tr${d} \\in {${r1}, ${r2}, [a |-> 1, b |-> TRUE]} : tr${d}.b)`)),
      ];
      break;
    case 'fr':
      comp = [];
      break;
    case 't':
      comp = [
        // CHOOSE over strings: {a, "b", "c"} always has an element other than b.
        w(3, t(T, T, B).map(([a, b, p]) => `(CHOOSE ts${d} \\in {${a}, "b", "c"} : ts${d} # ${b} \\/ ${p})`)),
        w(1, t(B, T, T).map(([c, a, b]) => `(IF ${c} THEN ${a} ELSE ${b})`)),
      ];
      break;
  }
  return fc.oneof({ depthSize: 'small' }, ...ls, ...comp);
}

// ------------------------------------------------------------------ statements

/** Assignment templates per target type: every stored value stays small. */
function assignPart(nb: number): fc.Arbitrary<{ ty: Ty; k: number; tmpl: string }> {
  const I = exm('i', nb);
  const B = exm('b', nb);
  const St = exm('s', nb);
  const F = exm('f', nb);
  const T = exm('t', nb);
  const x = `b${nb}`;
  const mod = fc.integer({ min: 2, max: 4 });
  const part = (ty: Ty, tmpl: fc.Arbitrary<string>, weight: number) => ({ weight: Math.round(weight * 10), arbitrary: fc.tuple(k7, tmpl).map(([k, tm]) => ({ ty, k, tmpl: tm })) });
  return fc.oneof(
    part('i', fc.tuple(I, mod).map(([a, m]) => `«T» := (${a}) % ${m}`), 6),
    part('b', B.map((p) => `«T» := ${p}`), 3),
    part('s', St.map((s) => `«T» := (${s}) \\cap (0..3)`), 2),
    part('f', fc.tuple(I, I).map(([a, b]) => `«T»[(${a}) % 2] := (${b}) % 3`), 2),
    part('f', fc.tuple(I, I).map(([a, b]) => `«T» := [«T» EXCEPT ![(${a}) % 2] = (@ + ${b}) % 3]`), 1),
    part('f', F.map((f) => `«T» := [${x} \\in 0..1 |-> (${f}[${x}]) % 3]`), 1),
    part('q', I.map((a) => `«T» := IF Len(«T») >= 3 THEN Tail(Append(«T», (${a}) % 3)) ELSE Append(«T», (${a}) % 3)`), 2),
    part('q', fc.constantFrom('«T» := <<>>', '«T» := IF «T» = <<>> THEN «T» ELSE Tail(«T»)'), 1),
    part('r', I.map((a) => `«T».a := (${a}) % 3`), 1),
    part('r', B.map((p) => `«T».b := ${p}`), 1),
    part('r', fc.tuple(I, B).map(([a, p]) => `«T» := [a |-> (${a}) % 3, b |-> ${p}]`), 1),
    part('r', I.map((a) => `«T» := [«T» EXCEPT !.a = (@ + ${a}) % 3]`), 1),
    part('r', B.map((p) => `«T» := CHOOSE tr9 \\in [a : 0..2, b : {TRUE, FALSE}] : tr9.a # «T».a /\\ tr9.b = ${p}`), 1),
    part('fr', fc.tuple(I, I).map(([a, b]) => `«T»[(${a}) % 2].a := (${b}) % 3`), 1),
    part('fr', fc.tuple(I, B).map(([a, p]) => `«T»[(${a}) % 2].b := ${p}`), 1),
    part('fr', I.map((a) => `«T» := [«T» EXCEPT ![(${a}) % 2].b = ~@]`), 1),
    part('t', T.map((a) => `«T» := ${a}`), 2),
    part('t', fc.constant('«T» := CHOOSE ts9 \\in {"a", "b", "c"} \\ {«T»} : TRUE'), 1),
    // A value with another domain: a runtime error the engines must both report.
    part('f', fc.constant(`«T» := [${x} \\in 0..2 |-> 0]`), 0.1),
  );
}

/**
 * Conditions on a bound name b{j} of an enclosing `with`: an operator whose LET defines a
 * function over its parameter, and a recursive function in a LET that captures the name.
 */
function captured(nb: number): fc.Arbitrary<string> {
  const bj = fc.nat(nb - 1).map((j) => `b${j}`);
  const n = fc.integer({ min: 0, max: 4 });
  return fc.oneof(
    bj.map((b) => `Pick(${b})`),
    fc.tuple(bj, n).map(([b, k]) => `RecSum(${b}) # ${k}`),
    fc.tuple(bj, exm('i', nb), n).map(([b, step, k]) => `(LET rf9[n9 \\in 0..2] == IF n9 = 0 THEN ${b} ELSE (rf9[n9 - 1] + ${step}) % 5 IN rf9[2]) # ${k}`),
  );
}

const stmtMemo = new Map<string, fc.Arbitrary<S>>();

export function stmt(d: number, nb: number): fc.Arbitrary<S> {
  nb = Math.min(nb, MAXNB);
  const key = `${d}:${nb}`;
  let arb = stmtMemo.get(key);
  if (arb) return arb;
  const simple: { weight: number; arbitrary: fc.Arbitrary<S> }[] = [
    { weight: 10, arbitrary: fc.constant<S>({ s: 'raw', text: 'skip;' }) },
    { weight: 60, arbitrary: fc.array(assignPart(nb), { minLength: 1, maxLength: 2 }).map((parts): S => ({ s: 'assign', parts })) },
    { weight: 20, arbitrary: exm('b', nb).map((c): S => ({ s: 'raw', text: `await ${c};` })) },
    { weight: 5, arbitrary: exm('b', nb).map((c): S => ({ s: 'raw', text: `assert ${c};` })) },
    { weight: 2, arbitrary: ex('i', 1, nb).map((c): S => ({ s: 'raw', text: `print ${c};` })) },
    { weight: 10, arbitrary: fc.tuple(k7, ex('i', 1, nb)).map(([k, arg]): S => ({ s: 'macro', k, arg })) },
    { weight: 10, arbitrary: fc.tuple(fc.nat(13), k7).map(([op, k]): S => ({ s: 'kernel', op, k })) },
    ...(nb > 0 ? [{ weight: 25, arbitrary: captured(nb).map((c): S => ({ s: 'raw', text: `await ${c};` })) }] : []),
  ];
  if (d <= 0) {
    arb = fc.oneof(...simple);
  } else {
    const sub = seq(d - 1, nb, true);
    const sub1 = seq(d - 1, nb + 1, true);
    const bind1 = fc.oneof(
      ex('s', 1, nb).map((se) => ({ nb, op: '\\in' as const, e: se })),
      ex('i', 1, nb).map((ie) => ({ nb, op: '=' as const, e: ie })),
    );
    arb = fc.oneof(
      ...simple,
      { weight: 20, arbitrary: fc.tuple(exm('b', nb), sub, fc.option(sub)).map(([cond, then, els]): S => ({ s: 'if', cond, then, else: els })) },
      { weight: 10, arbitrary: fc.array(sub, { minLength: 2, maxLength: 3 }).map((branches): S => ({ s: 'either', branches })) },
      { weight: 10, arbitrary: fc.tuple(bind1, sub1).map(([b, body]): S => ({ s: 'with', binds: [b], body })) },
      {
        weight: 3,
        arbitrary: fc
          .tuple(ex('s', 1, nb), ex('i', 1, nb + 1), seq(d - 1, nb + 2, true))
          .map(([se, ie, body]): S => ({ s: 'with', binds: [{ nb, op: '\\in', e: se }, { nb: nb + 1, op: '=', e: ie }], body })),
      },
    );
  }
  stmtMemo.set(key, arb);
  return arb;
}

const termArb: fc.Arbitrary<Term | null> = fc.oneof(
  { weight: 6, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: k7.map((k): Term => ({ t: 'goto', k })) },
  { weight: 1, arbitrary: fc.constant<Term>({ t: 'ret' }) },
);

function seq(d: number, nb: number, inline: boolean): fc.Arbitrary<Seq> {
  const term: fc.Arbitrary<Term | null> = inline
    ? termArb
    : fc.oneof(
        { weight: 6, arbitrary: termArb },
        {
          weight: 2,
          arbitrary: fc
            .tuple(k7, fc.array(ex('i', 1, nb), { minLength: 2, maxLength: 2 }), fc.option(k7, { freq: 2 }))
            .map(([k, args, then]): Term => ({ t: 'call', k, args, then })),
        },
      );
  return fc.record({ stmts: arr(stmt(d, nb), 1, 2), term });
}

const decoArb: fc.Arbitrary<LabelDeco> = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ cost: null, desc: false }) },
  { weight: 1, arbitrary: fc.record({ cost: fc.option(fc.integer({ min: 1, max: 5 })), desc: fc.boolean() }) },
);

const plainBlock: fc.Arbitrary<Block> = fc.record({ deco: decoArb, body: seq(1, 0, false) }).map((r): Block => ({ b: 'plain', ...r }));

const whileBlock: fc.Arbitrary<Block> = fc
  .record({ deco: decoArb, cond: ex('b', 1, 0), head: arr(stmt(0, 0), 0, 2), body: arr(plainBlock, 0, 2) })
  .map((r): Block => ({ b: 'while', ...r }));

/** Blocks, with labeled `if`s nested up to `d` deep (labels in then and else branches, with or without else). */
function blockAt(d: number): fc.Arbitrary<Block> {
  const flat = [
    { weight: 4, arbitrary: plainBlock },
    { weight: 1, arbitrary: whileBlock },
  ];
  if (d <= 0) return fc.oneof(...flat);
  const branch: fc.Arbitrary<Branch> = fc.record({ stmts: arr(stmt(0, 0), 0, 1), blocks: arr(blockAt(d - 1), 1, 2) });
  const ifBlock = fc
    .record({ deco: decoArb, head: arr(stmt(0, 0), 0, 1), cond: ex('b', 1, 0), then: branch, else: fc.option(branch, { freq: 2 }) })
    .map((r): Block => ({ b: 'if', ...r }));
  return fc.oneof(...flat, { weight: 2, arbitrary: ifBlock });
}

const blockArb = blockAt(2);

const bodyArb = arr(blockArb, 1, 3);

/** Invariants: mostly of the kind that holds (a type check), sometimes any condition. */
const invariantArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 1, arbitrary: ex('b', 1, 0) },
  { weight: 2, arbitrary: fc.tuple(k7, fc.integer({ min: 1, max: 4 })).map(([k, n]) => `«i${k}» \\in 0..${n}`) },
  { weight: 1, arbitrary: fc.tuple(k7, fc.integer({ min: 1, max: 4 })).map(([k, n]) => `Cardinality(«s${k}») <= ${n}`) },
  { weight: 1, arbitrary: fc.tuple(k7, k7).map(([k, j]) => `~(«pc${k}» /\\ «pc${j}»)`) },
  // Nested LETs, one of them an operator with a parameter.
  {
    weight: 1,
    arbitrary: fc.tuple(k7, ex('b', 1, 0), fc.integer({ min: 1, max: 4 })).map(([k, p, n]) => `LET lv == «i${k}» IN LET lw(z) == z + lv IN lw(0) <= ${n} \\/ ${p}`),
  },
);

export const modelArb: fc.Arbitrary<GenModel> = fc.record({
  globals: arr(fc.record({ ty: fc.oneof({ weight: 4, arbitrary: fc.constant<Ty>('i') }, { weight: 5, arbitrary: fc.constantFrom(...TYPES) }), init: fc.nat(3) }), 1, 3),
  processes: arr(
    fc.record({
      set: fc.boolean(),
      fair: fc.boolean(),
      locals: arr(fc.record({ ty: fc.oneof({ weight: 3, arbitrary: fc.constantFrom<Ty>('i', 'b') }, { weight: 1, arbitrary: fc.constantFrom(...TYPES) }), init: fc.nat(3) }), 0, 2),
      body: bodyArb,
    }),
    1, 3,
  ),
  procedures: arr(fc.record({ params: fc.nat(2), locals: arr(fc.nat(3), 0, 1), body: arr(blockArb, 1, 2) }), 0, 2),
  macros: arr(arr(stmt(0, 0), 1, 2), 0, 1),
  invariants: arr(invariantArb, 0, 2),
  finals: arr(ex('b', 1, 0), 0, 1),
  deadlock: fc.boolean(),
  kernel: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  interrupt: fc.boolean(),
});

// ------------------------------------------------------------------ rendering

export interface RenderOptions {
  /** Rename every variable consistently (a bijection that also changes their order by name). */
  rename?: boolean;
  /** Declare the globals in this order (a permutation of their indices), each in its own `variables`. */
  globalOrder?: number[];
  /** End process 0's body with `goto` to its first label (a loop), so a label after it is dead. */
  loopFirst?: boolean;
  /** With loopFirst: add the unreachable label `dead` after that goto. */
  deadLabel?: boolean;
  /** Temporal and reachable properties over the same state predicates as the invariants. */
  progress?: GenProgress;
}

/** Temporal properties (a shape of TEMPORAL_SHAPES and two predicates) and reachable predicates. */
export interface GenProgress {
  temporal: { shape: number; a: string; b: string }[];
  reachable: string[];
}

/** The supported temporal shapes, over state predicates A and B. */
const TEMPORAL_SHAPES: ((a: string, b: string) => string)[] = [
  (a, b) => `${a} ~> ${b}`,
  (a) => `[]<>(${a})`,
  (a) => `<>[](${a})`,
  (a) => `<>(${a})`,
  (a, b) => `[](${a} => <>(${b}))`,
];

export const progressArb: fc.Arbitrary<GenProgress> = fc.record({
  temporal: arr(fc.record({ shape: fc.nat(TEMPORAL_SHAPES.length - 1), a: ex('b', 1, 0), b: ex('b', 1, 0) }), 1, 2),
  reachable: arr(ex('b', 1, 0), 0, 1),
});

const INIT: Record<Ty, string[]> = {
  i: ['= 0', '\\in 0..2', '= 1', '\\in {0, 3}'],
  b: ['= FALSE', '\\in {TRUE, FALSE}', '= TRUE', '= (1 > 0)'],
  s: ['= {}', '= {1}', '\\in {{}, {0, 2}}', '= 0..1'],
  f: ['= [z \\in 0..1 |-> 0]', '= [z \\in 0..1 |-> z]', '\\in {[z \\in 0..1 |-> 0], [z \\in 0..1 |-> 1]}', '= [z \\in 0..1 |-> 2]'],
  q: ['= <<>>', '= <<1>>', '\\in {<<>>, <<0, 2>>}', '= <<2, 2>>'],
  r: ['= [a |-> 0, b |-> FALSE]', '= [a |-> 1, b |-> TRUE]', '= [a |-> 2, b |-> FALSE]', '= [a |-> 0, b |-> TRUE]'],
  fr: ['= [z \\in 0..1 |-> [a |-> 0, b |-> FALSE]]', '= [z \\in 0..1 |-> [a |-> z, b |-> TRUE]]', '= [z \\in 0..1 |-> [a |-> 1, b |-> FALSE]]', '= [z \\in 0..1 |-> [a |-> 0, b |-> z = 1]]'],
  t: ['= "a"', '\\in {"a", "b"}', '= "c"', '= CHOOSE z \\in {"c", "b"} : TRUE'],
};

const LOCAL_INIT: Record<Ty, string[]> = {
  i: ['= 0', '\\in 0..1', '= self % 2', '= 2'],
  b: ['= FALSE', '\\in {TRUE, FALSE}', '= (self % 2 = 0)', '= TRUE'],
  s: ['= {}', '= {self % 3}', '\\in {{}, {1}}', '= 0..1'],
  f: ['= [z \\in 0..1 |-> self % 3]', '= [z \\in 0..1 |-> 0]', '\\in {[z \\in 0..1 |-> 0], [z \\in 0..1 |-> 1]}', '= [z \\in 0..1 |-> z]'],
  q: ['= <<>>', '= <<self % 3>>', '\\in {<<>>, <<1>>}', '= <<0, 1>>'],
  r: ['= [a |-> self % 3, b |-> FALSE]', '= [a |-> 0, b |-> TRUE]', '\\in {[a |-> 0, b |-> TRUE], [a |-> 1, b |-> FALSE]}', '= [a |-> 2, b |-> FALSE]'],
  fr: ['= [z \\in 0..1 |-> [a |-> self % 3, b |-> FALSE]]', '= [z \\in 0..1 |-> [a |-> z, b |-> TRUE]]', '= [z \\in 0..1 |-> [a |-> 0, b |-> FALSE]]', '= [z \\in 0..1 |-> [a |-> 1, b |-> z = 0]]'],
  t: ['= "b"', '= IF self % 2 = 0 THEN "a" ELSE "c"', '\\in {"b", "c"}', '= CHOOSE z \\in {"a", "b"} : z # "a"'],
};

const FALLBACK: Record<Ty, (k: number) => string> = {
  i: (k) => String(k % 4),
  b: (k) => (k % 2 === 0 ? 'TRUE' : 'FALSE'),
  s: (k) => (k % 2 === 0 ? '{}' : `{${k % 3}}`),
  f: () => '[z \\in 0..1 |-> 0]',
  q: (k) => (k % 2 === 0 ? '<<>>' : `<<${k % 3}>>`),
  r: () => '[a |-> 0, b |-> FALSE]',
  fr: () => '[z \\in 0..1 |-> [a |-> 0, b |-> FALSE]]',
  t: (k) => `"${'abc'[k % 3]}"`,
};

const DEFINE = {
  Dbl: 'Dbl(n) == (n * 2) % 5',
  Small: 'Small(n) == n \\in 0..2',
  Fact: 'Fact[n \\in 0..3] == IF n = 0 THEN 1 ELSE n * Fact[n - 1]',
  SumS: 'SumS[t \\in SUBSET (0..3)] == IF t = {} THEN 0 ELSE LET m == CHOOSE m \\in t : TRUE IN m + SumS[t \\ {m}]',
  // LETs in operators: recursive functions over the parameter (applied to bound names), nested LETs.
  RecSum: 'RecSum(v) == LET rs[n \\in 0..2] == IF n = 0 THEN v ELSE (rs[n - 1] + v * n) % 5 IN rs[2]',
  Pick: 'Pick(v) == LET sa[bb \\in {0, 1}] == v = 1 IN sa[0]',
  Mix: 'Mix(u, v) == LET s == u + v IN LET t(z) == (z + s) % 3 IN t(u) - t(v)',
  // A RECURSIVE operator of two arguments, an operator parameter (given a LAMBDA), an infix operator.
  RSum: 'RECURSIVE RSum(_, _)  RSum(k, v) == IF k = 0 THEN v ELSE (RSum(k - 1, v) + k) % 5',
  Twice: 'Twice(G(_), v) == G(G(v))',
  '++': 'u ++ v == (u + 2 * v) % 5',
};

/** What names mean where an expression or statement is rendered. */
interface Ctx {
  reads: Record<Ty, string[]>;
  writes: Record<Ty, string[]>;
  self: boolean;
  labels: string[];
  pcTests: string[];
  /** Conditions over whole process-variable functions and `pc` (pvarFn, pcFn). */
  fnTests: string[];
  /** Whether the kernel declarations exist (and kernel operations may be used here). */
  kernel: boolean;
  /** Procedures that can be called from here: name and number of parameters. */
  procs: { name: string; params: number }[];
  macros: string[];
  kind: 'process' | 'procedure' | 'macro' | 'property';
  /** Bound names are renamed by prefix in macros, so they never meet the call site's. */
  boundPrefix: string;
}

function emptyTyped(): Record<Ty, string[]> {
  return { i: [], b: [], s: [], f: [], q: [], r: [], fr: [], t: [] };
}

/** Renders a generated model to lockspec source text. */
export function renderModel(m: GenModel, opts: RenderOptions = {}): string {
  const nm = (base: string): string => (opts.rename ? `zz${base.split('').reverse().join('')}` : base);

  // Names and process ids.
  const globals = m.globals.map((g, i) => ({ ...g, name: nm(`g${i}`) }));
  const procs = m.procedures.map((p, j) => ({
    ...p,
    name: `proc${j}`,
    paramNames: Array.from({ length: p.params }, (_, i) => nm(`a${j}_${i}`)),
    localNames: p.locals.map((_, i) => nm(`c${j}_${i}`)),
  }));
  const processes = m.processes.map((p, t) => {
    const ids = p.set ? [10 * t + 1, 10 * t + 2] : [10 * t + 5];
    return { ...p, name: `P${t}`, ids, localNames: p.locals.map((_, i) => nm(`v${t}_${i}`)) };
  });

  // Labels: every block of every body, in order. A call that ends a procedure (its last block, or a
  // branch of its last `if`) becomes a tail call, `call p(); return;`; one that ends any other body
  // gets a block after it.
  const labelsOf = new Map<string, string[]>();
  const normalize = (blocks: Block[], inProcedure: boolean): Block[] => {
    const out: Block[] = [];
    blocks.forEach((b, i) => {
      const endsProcedure = inProcedure && i === blocks.length - 1;
      const branch = (br: Branch): Branch => ({ ...br, blocks: endsProcedure ? normalize(br.blocks, true) : br.blocks });
      const openCall = b.b === 'plain' && b.body.term?.t === 'call' && b.body.term.then === null && i === blocks.length - 1;
      if (openCall && endsProcedure && b.body.term?.t === 'call') out.push({ ...b, body: { ...b.body, term: { ...b.body.term, then: 'ret' } } });
      else out.push(b.b === 'while' ? { ...b, body: normalize(b.body, false) } : b.b === 'if' ? { ...b, then: branch(b.then), else: b.else && branch(b.else) } : b);
      if (openCall && !endsProcedure) {
        out.push({ b: 'plain', deco: { cost: null, desc: false }, body: { stmts: [{ s: 'raw', text: 'skip;' }], term: null } });
      }
    });
    return out;
  };
  const bodies = new Map<string, Block[]>();
  const collect = (owner: string, blocks: Block[]): void => {
    const names: string[] = [];
    const visit = (bs: Block[]): void => {
      for (const b of bs) {
        names.push(`${owner}_${names.length}`);
        if (b.b === 'while') visit(b.body);
        if (b.b === 'if') {
          visit(b.then.blocks);
          if (b.else) visit(b.else.blocks);
        }
      }
    };
    visit(blocks);
    labelsOf.set(owner, names);
  };
  // The interrupt handler's arrival is a step of its own (its first step must not take a lock).
  const handler = m.kernel && m.interrupt && processes.length > 1 ? processes.length - 1 : -1;
  const arrival: Block = { b: 'plain', deco: { cost: null, desc: false }, body: { stmts: [{ s: 'raw', text: 'skip;' }], term: null } };
  processes.forEach((p, t) => {
    const body = normalize(t === handler ? [arrival, ...p.body] : p.body, false);
    bodies.set(`l${t}`, body);
    collect(`l${t}`, body);
  });
  procs.forEach((p, j) => {
    const body = normalize(p.body, true);
    bodies.set(`q${j}`, body);
    collect(`q${j}`, body);
  });
  const allLabels = [...labelsOf.values()].flat();
  const ids = processes.flatMap((p) => p.ids);
  const pcTests: string[] = [];
  ids.forEach((id, n) => {
    for (let i = 0; i < 3; i++) {
      const lbl = i === 2 ? 'Done' : allLabels[(n * 2 + i) % allLabels.length];
      pcTests.push(`pc[${id}] = "${lbl}"`);
    }
  });
  const macroNames = m.macros.map((_, j) => `mac${j}`);

  const globalTyped = emptyTyped();
  for (const g of globals) globalTyped[g.ty].push(g.name);
  const withExtra = (base: Record<Ty, string[]>, extra: Partial<Record<Ty, string[]>>): Record<Ty, string[]> => {
    const out = emptyTyped();
    for (const ty of TYPES) out[ty] = [...base[ty], ...(extra[ty] ?? [])];
    return out;
  };

  const usedDefs = new Set<keyof typeof DEFINE>();
  const expr = (text: string, ctx: Ctx): string => {
    let out = text.replace(/«(self|pc\d+|[a-z]+\d+)»/g, (_, ph: string) => {
      if (ph === 'self') return ctx.self ? 'self' : '0';
      const mm = /^([a-z]+)(\d+)$/.exec(ph)!;
      const [kind, k] = [mm[1], Number(mm[2])];
      if (kind === 'pc') return ctx.pcTests.length ? `(${ctx.pcTests[k % ctx.pcTests.length]})` : 'TRUE';
      if (kind === 'pf') return `(${ctx.fnTests[k % ctx.fnTests.length]})`;
      const ty = kind as Ty;
      const names = ctx.reads[ty];
      return names.length ? names[k % names.length] : FALLBACK[ty](k);
    });
    for (const name of Object.keys(DEFINE) as (keyof typeof DEFINE)[]) if (out.includes(`${name}`)) usedDefs.add(name);
    if (ctx.boundPrefix) out = out.replace(/\b(b|ss|ts|tr|rf)(\d+)\b/g, `${ctx.boundPrefix}$1$2`);
    return out;
  };

  const term = (t: Term | null, ctx: Ctx, ind: string): string[] => {
    if (!t) return [];
    switch (t.t) {
      case 'goto':
        return ctx.kind === 'macro' || ctx.labels.length === 0 ? [] : [`${ind}goto ${ctx.labels[t.k % ctx.labels.length]};`];
      case 'ret':
        return ctx.kind === 'procedure' ? [`${ind}return;`] : ctx.kind === 'process' ? [`${ind}goto Done;`] : [];
      case 'call': {
        if (ctx.procs.length === 0) return [];
        const p = ctx.procs[t.k % ctx.procs.length];
        const call = `${ind}call ${p.name}(${t.args.slice(0, p.params).map((a) => expr(a, ctx)).join(', ')});`;
        if (t.then === null) return [call];
        // `call p(); return;` is a tail call in a procedure; a process has no frame to return from.
        if (t.then === 'ret') return [call, ctx.kind === 'procedure' ? `${ind}return;` : `${ind}goto Done;`];
        return [call, `${ind}goto ${ctx.labels[t.then % ctx.labels.length]};`];
      }
    }
  };

  const stmtLines = (s: S, ctx: Ctx, ind: string): string[] => {
    switch (s.s) {
      case 'raw':
        return [ind + expr(s.text, ctx)];
      case 'assign': {
        // Per target, whether it is assigned whole: a variable once, or parts of it (LS2019, as in PlusCal).
        const assignedWhole = new Map<string, boolean>();
        const parts = s.parts.flatMap((p) => {
          const names = ctx.writes[p.ty];
          if (names.length === 0) return [];
          const target = names[p.k % names.length];
          const whole = p.tmpl.startsWith('«T» :=');
          if (assignedWhole.has(target) && (whole || assignedWhole.get(target))) return [];
          assignedWhole.set(target, whole || assignedWhole.get(target) === true);
          return [expr(p.tmpl.split('«T»').join(target), ctx)];
        });
        return [ind + (parts.length ? parts.join(' || ') : 'skip') + ';'];
      }
      case 'if': {
        const out = [`${ind}if (${expr(s.cond, ctx)}) {`, ...seqLines(s.then, ctx, ind + '  ')];
        if (s.else) out.push(`${ind}} else {`, ...seqLines(s.else, ctx, ind + '  '));
        out.push(`${ind}}`);
        return out;
      }
      case 'either':
        return [
          ...s.branches.flatMap((b, i) => [`${ind}${i === 0 ? 'either' : '} or'} {`, ...seqLines(b, ctx, ind + '  ')]),
          `${ind}}`,
        ];
      case 'with': {
        const binds = s.binds.map((b) => `${expr(`b${b.nb}`, ctx)} ${b.op} ${expr(b.e, ctx)}`).join(', ');
        return [`${ind}with (${binds}) {`, ...seqLines(s.body, ctx, ind + '  '), `${ind}}`];
      }
      case 'kernel': {
        if (!ctx.kernel) return [`${ind}skip;`];
        const ops = [
          'lock(L0);', 'unlock(L0);', `lock(LA[${s.k % 2}]);`, `unlock(LA[${s.k % 2}]);`, 'get(rc);', 'put(rc);',
          'rcu_read_lock();', 'rcu_read_unlock();', 'refcount_inc(rc);', 'write_seqcount_begin(sq, L0);', 'write_seqcount_end(sq);',
          'local_irq_disable();', 'local_irq_enable();',
        ];
        if (s.op === 13 && ctx.writes.b.length > 0) return [`${ind}${ctx.writes.b[s.k % ctx.writes.b.length]} := trylock(L0);`];
        return [ind + ops[s.op % ops.length]];
      }
      case 'macro': {
        if (ctx.macros.length === 0 || ctx.kind === 'macro') return [`${ind}skip;`];
        return [`${ind}${ctx.macros[s.k % ctx.macros.length]}(${expr(s.arg, ctx)});`];
      }
    }
  };

  const seqLines = (q: Seq, ctx: Ctx, ind: string): string[] => [...q.stmts.flatMap((s) => stmtLines(s, ctx, ind)), ...term(q.term, ctx, ind)];

  const labelText = (name: string, deco: LabelDeco): string =>
    `${name}${deco.cost !== null ? ` [${deco.cost}]` : ''}${deco.desc ? ` "at ${name}"` : ''}:`;

  const blockLines = (blocks: Block[], ctx: Ctx, ind: string, names: string[], extraEnd: string[]): string[] => {
    const out: string[] = [];
    const visit = (bs: Block[], ind2: string, tail: string[]): void => {
      bs.forEach((b, i) => {
        const name = names.shift()!;
        const last = i === bs.length - 1;
        if (b.b === 'plain') {
          const lines = seqLines(b.body, ctx, ind2 + '  ');
          out.push(`${ind2}${labelText(name, b.deco)}`, ...lines);
        } else if (b.b === 'if') {
          const branch = (br: Branch): void => {
            out.push(...br.stmts.flatMap((s) => stmtLines(s, ctx, ind2 + '    ')));
            visit(br.blocks, ind2 + '    ', []);
          };
          out.push(`${ind2}${labelText(name, b.deco)}`, ...b.head.flatMap((s) => stmtLines(s, ctx, ind2 + '  ')), `${ind2}  if (${expr(b.cond, ctx)}) {`);
          branch(b.then);
          if (b.else) {
            out.push(`${ind2}  } else {`);
            branch(b.else);
          }
          out.push(`${ind2}  }`);
        } else {
          out.push(`${ind2}${labelText(name, b.deco)} while (${expr(b.cond, ctx)}) {`);
          out.push(...b.head.flatMap((s) => stmtLines(s, ctx, ind2 + '  ')));
          visit(b.body, ind2 + '  ', []);
          if (b.head.length === 0 && b.body.length === 0) out.push(`${ind2}  skip;`);
          out.push(`${ind2}}`);
        }
        if (last) out.push(...tail);
      });
    };
    visit(blocks, ind, extraEnd);
    return out;
  };

  const lines: string[] = [];
  const decls: string[] = [];

  // Globals.
  const order = opts.globalOrder ?? globals.map((_, i) => i);
  if (opts.globalOrder) for (const i of order) decls.push(`  variables ${globals[i].name} ${INIT[globals[i].ty][globals[i].init % 4]};`);
  else decls.push(`  variables ${globals.map((g) => `${g.name} ${INIT[g.ty][g.init % 4]}`).join(',\n            ')};`);

  // Macros.
  const macroCtx = (j: number): Ctx => ({
    reads: withExtra(globalTyped, { i: [`m${j}`] }),
    writes: globalTyped,
    self: true,
    labels: [],
    pcTests,
    fnTests: ['\\E p \\in DOMAIN pc : pc[p] = "Done"'],
    kernel: m.kernel,
    procs: [],
    macros: [],
    kind: 'macro',
    boundPrefix: 'm',
  });
  const macroText = m.macros.map((body, j) => {
    const ctx = macroCtx(j);
    return [`  macro ${macroNames[j]}(m${j}) {`, ...body.flatMap((s) => stmtLines(s, ctx, '    ')), '  }'].join('\n');
  });

  // Procedures.
  const procText = procs.map((p, j) => {
    const own = [...p.paramNames, ...p.localNames];
    const ctx: Ctx = {
      reads: withExtra(globalTyped, { i: own }),
      writes: withExtra(globalTyped, { i: own }),
      self: true,
      labels: labelsOf.get(`q${j}`)!,
      pcTests,
      fnTests: ['\\E p \\in DOMAIN pc : pc[p] = "Done"'],
      kernel: m.kernel,
      procs: procs.slice(0, j).map((x) => ({ name: x.name, params: x.params })),
      macros: macroNames,
      kind: 'procedure',
      boundPrefix: '',
    };
    const locals = p.locals.length ? ` variables ${p.localNames.map((n, i) => `${n} = ${p.locals[i] % 3}`).join(', ')};` : '';
    return [
      `  procedure ${p.name}(${p.paramNames.join(', ')})${locals} {`,
      ...blockLines(bodies.get(`q${j}`)!, ctx, '  ', [...labelsOf.get(`q${j}`)!], []),
      '  }',
    ].join('\n');
  });

  // Processes.
  const processText = processes.map((p, t) => {
    const localsTyped = emptyTyped();
    p.locals.forEach((l, i) => localsTyped[l.ty].push(p.localNames[i]));
    const ctx: Ctx = {
      reads: withExtra(globalTyped, localsTyped),
      writes: withExtra(globalTyped, localsTyped),
      self: true,
      labels: labelsOf.get(`l${t}`)!,
      pcTests,
      fnTests: ['\\E p \\in DOMAIN pc : pc[p] = "Done"'],
      kernel: m.kernel,
      procs: procs.map((x) => ({ name: x.name, params: x.params })),
      macros: macroNames,
      kind: 'process',
      boundPrefix: '',
    };
    const head = p.set ? `${p.name} \\in ${t === 0 ? '1..2' : `{${p.ids.join(', ')}}`}` : `${p.name} = ${p.ids[0]}`;
    const locals = p.locals.length ? `\n    variables ${p.locals.map((l, i) => `${p.localNames[i]} ${LOCAL_INIT[l.ty][l.init % 4]}`).join(', ')};` : '';
    const extra: string[] = [];
    if (t === 0 && opts.loopFirst) {
      const body = bodies.get('l0')!;
      const last = body[body.length - 1];
      const term = last.b === 'plain' ? last.body.term : null;
      const jumps = term?.t === 'goto' || term?.t === 'ret' || (term?.t === 'call' && term.then !== null && procs.length > 0);
      // A statement after an `if` that holds labels must be labeled.
      if (!jumps) extra.push(last.b === 'if' ? `  loop: goto ${labelsOf.get('l0')![0]};` : `    goto ${labelsOf.get('l0')![0]};`);
      if (opts.deadLabel) extra.push('  dead: skip;');
    }
    return [
      `  ${p.fair ? 'fair ' : ''}${t === handler ? 'interrupt ' : ''}process (${head})${t === handler ? ` preempts {${processes[0].ids.join(', ')}}` : ''}${locals} {`,
      ...blockLines(bodies.get(`l${t}`)!, ctx, '  ', [...labelsOf.get(`l${t}`)!], extra),
      '  }',
    ].join('\n');
  });

  // Properties: globals, and the process locals of every instance as `v[id]` (of a set of
  // processes) or `v` (of a single process: PlusCal makes it a plain variable).
  const propTyped = emptyTyped();
  processes.forEach((p) =>
    p.locals.forEach((l, i) => (p.set ? p.ids.forEach((id) => propTyped[l.ty].push(`${p.localNames[i]}[${id}]`)) : propTyped[l.ty].push(p.localNames[i]))),
  );
  const fnTests = ['\\E p \\in DOMAIN pc : pc[p] = "Done"', 'Cardinality(DOMAIN pc) > 1'];
  processes.forEach((p) =>
    p.locals.forEach((l, i) => {
      if (!p.set) return;
      const v = p.localNames[i];
      if (l.ty === 'i') fnTests.push(`\\A p \\in DOMAIN ${v} : ${v}[p] < 3`, `${v} = [p \\in DOMAIN ${v} |-> 0]`);
      else if (l.ty === 'b') fnTests.push(`\\E p \\in DOMAIN ${v} : ${v}[p]`);
      else fnTests.push(`Cardinality({${v}[p] : p \\in DOMAIN ${v}}) = 1`);
    }),
  );
  const propCtx: Ctx = {
    reads: withExtra(globalTyped, propTyped),
    writes: emptyTyped(),
    self: false,
    labels: [],
    pcTests,
    fnTests,
    kernel: false,
    procs: [],
    macros: [],
    kind: 'property',
    boundPrefix: '',
  };
  const props = [
    ...m.invariants.map((e, i) => `  invariant Inv${i} == ${expr(e, propCtx)};`),
    ...m.finals.map((e, i) => `  final Fin${i} == ${expr(e, propCtx)};`),
    ...(opts.progress?.temporal ?? []).map((t, i) => `  property Tmp${i} == ${TEMPORAL_SHAPES[t.shape](`(${expr(t.a, propCtx)})`, `(${expr(t.b, propCtx)})`)};`),
    ...(opts.progress?.reachable ?? []).map((e, i) => `  reachable Cov${i} == ${expr(e, propCtx)};`),
  ];

  lines.push('algorithm Gen {', ...decls);
  if (m.kernel) lines.push('  spinlock L0;', '  spinlock LA[z \\in 0..1];', '  refcount rc = 0;', '  variables sq = 0;');
  if (usedDefs.size > 0) lines.push(`  define {\n${[...usedDefs].sort().map((n) => `    ${DEFINE[n]}`).join('\n')}\n  }`);
  lines.push(...props, ...macroText, ...procText, ...processText, '}', '');
  // Parentheses around a single name or number are left out: the parser is slow enough.
  return lines.join('\n').replace(/(?<![\w)\]]|if |while )\((\w+)\)/g, '$1');
}

/** Source text of random models. */
export const modelTextArb: fc.Arbitrary<string> = modelArb.map((m) => renderModel(m));
