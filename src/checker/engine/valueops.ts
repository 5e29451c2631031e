// The operations of the value model (TLA+'s set, function, record and sequence operators) over
// immutable values. The reference evaluator is built on these, and the compiled engine falls back
// to them for structured values, so both engines share one definition of every operator.
import { Map as IMap, Set as ISet } from '../../lang/immutable.js';
import { diag, type DiagnosticKind } from '../../diagnostics/diagnostics.js';
import type { InfiniteSet, Shape } from '../../lang/ir.js';
import type { FnValue, SetValue, Value } from '../../lang/values.js';
import { isFn, isSet, mkFn, mkSet, mkTuple, ModelValue, seqElems, showValue, sortedElems, sortedEntries, typeName, valueEquals } from '../../lang/values.js';

/**
 * A runtime error in the model: a function applied outside its domain, a type mismatch... Its
 * kind is a runtime entry of the Diagnostics table (LS6xxx), which gives its code and message.
 */
export class ModelError extends Error {
  readonly code: number;

  constructor(
    readonly kind: DiagnosticKind,
    ...args: (string | number)[]
  ) {
    const d = diag(kind, null, ...args);
    super(d.message);
    this.code = d.code;
  }
}

/** Throws the runtime error `kind` with its message's arguments. */
export function fail(kind: DiagnosticKind, ...args: (string | number)[]): never {
  throw new ModelError(kind, ...args);
}

/**
 * A recursive function's call that ran out of JS stack becomes the runtime error naming it; any
 * other error passes through. The innermost call that can still build the error converts it.
 */
export function recursionError(e: unknown, name: string): unknown {
  return e instanceof RangeError && /call stack/i.test(e.message) ? new ModelError('RecursionTooDeep', name) : e;
}

const wrongType = (what: string, expected: string, v: Value): never => fail('WrongType', what, expected, `${typeName(v)} ${showValue(v)}`);

export function asInt(v: Value, what: string): number {
  if (typeof v !== 'number') wrongType(what, 'an integer', v);
  return v as number;
}

export function asBool(v: Value, what: string): boolean {
  if (typeof v !== 'boolean') wrongType(what, 'a boolean', v);
  return v as boolean;
}

export function asSet(v: Value, what: string): SetValue {
  if (!isSet(v)) wrongType(what, 'a set', v);
  return v as SetValue;
}

export function asFn(v: Value, what: string): FnValue {
  if (!isFn(v)) wrongType(what, 'a function', v);
  return v as FnValue;
}

export const INT_MIN = -(2 ** 28);
export const INT_MAX = 2 ** 28 - 1;

/** Integers live in -2^28 .. 2^28-1 so that every engine encodes them the same way. */
export function checkInt(n: number): number {
  if (n < INT_MIN || n > INT_MAX) fail('IntegerOutOfRange', n);
  return n;
}

export function arith(op: '+' | '-' | '*' | 'div' | '%' | '^' | 'negpow', a: number, b: number): number {
  switch (op) {
    case '+':
      return checkInt(a + b);
    case '-':
      return checkInt(a - b);
    case '*':
      return checkInt(a * b);
    case 'div':
      if (b === 0) fail('DivisionByZero');
      return Math.floor(a / b);
    case '%':
      if (b <= 0) fail('NonPositiveDivisor', a, b);
      return ((a % b) + b) % b;
    case '^':
    case 'negpow': {
      if (b < 0 || (a === 0 && b === 0)) fail('UndefinedPower', a, b);
      // Exact while within 2^53; a larger power is out of range all the same.
      const power = a ** b;
      return checkInt(op === '^' ? power : -power);
    }
  }
}

/**
 * The most elements a set or function that is built may have (TLC's bound on the sets it
 * enumerates): more is the runtime error `SetTooLarge`, never an exhausted heap.
 */
export const BUILD_BOUND = 1_000_000;

/** A set's elements in canonical order, by position: an array, or a range that is never built. */
export interface Elements<T> extends Iterable<T> {
  readonly length: number;
  at(i: number): T | undefined;
}

/** `lo..hi` counted out without being built: how ranges are enumerated and counted. */
export class IntRange implements Elements<number> {
  constructor(
    readonly lo: number,
    readonly hi: number,
  ) {}

  get length(): number {
    return this.hi < this.lo ? 0 : this.hi - this.lo + 1;
  }

  at(i: number): number {
    return this.lo + i;
  }

  *[Symbol.iterator](): Iterator<number> {
    for (let i = this.lo; i <= this.hi; i++) yield i;
  }
}

/** `lo..hi` as a set value: built, so at most BUILD_BOUND elements. */
export function range(lo: number, hi: number): SetValue {
  const r = new IntRange(lo, hi);
  if (r.length > BUILD_BOUND) fail('SetTooLarge', `${lo}..${hi}`, BUILD_BOUND);
  return mkSet(r);
}

/** The set of the elements `fill` adds, failing as soon as it has more than BUILD_BOUND (`what` names it). */
export function buildSet(what: string, fill: (add: (x: Value) => void) => void): SetValue {
  return ISet<Value>().withMutations((s) =>
    fill((x) => {
      if (s.add(x).size > BUILD_BOUND) fail('SetTooLarge', what, BUILD_BOUND);
    }),
  );
}

/** The function of the pairs `fill` adds, failing as soon as it has more than BUILD_BOUND (`what` names it). */
export function buildFn(what: string, fill: (add: (k: Value, v: Value) => void) => void): FnValue {
  return IMap<Value, Value>().withMutations((f) =>
    fill((k, v) => {
      if (f.set(k, v).size > BUILD_BOUND) fail('SetTooLarge', what, BUILD_BOUND);
    }),
  );
}

export function apply(f: Value, arg: Value): Value {
  const fn = asFn(f, 'the applied value');
  const v = fn.get(arg);
  if (v === undefined) fail('NotInDomain', showValue(arg), showValue(f));
  return v as Value;
}

/** `[f EXCEPT ![k1][k2]... = v]` with `update` computing the new value from the old one. */
export function exceptAt(f: Value, path: Value[], update: (old: Value) => Value): Value {
  if (path.length === 0) return update(f);
  const fn = asFn(f, 'the updated value');
  const key = path[0];
  const old = fn.get(key);
  if (old === undefined) fail('NotInDomain', showValue(key), showValue(f));
  return fn.set(key, exceptAt(old as Value, path.slice(1), update));
}

/** `a = b` as TLC decides it: equal values, or unequal ones TLC can compare (else `Incomparable`). */
export function equalValues(a: Value, b: Value): boolean {
  if (valueEquals(a, b)) return true;
  assertComparable(a, b);
  return false;
}

/**
 * For unequal `a` and `b`: fails unless TLC can tell them apart. A model value compares with
 * anything; otherwise both must be of one kind, and sets (functions) of one size are compared
 * element by element in canonical order up to the first unequal pair, which must be comparable.
 */
export function assertComparable(a: Value, b: Value): void {
  if (a instanceof ModelValue || b instanceof ModelValue) return;
  if (typeName(a) !== typeName(b)) fail('Incomparable', `${typeName(a)} ${showValue(a)}`, `${typeName(b)} ${showValue(b)}`);
  if (isSet(a) && isSet(b) && a.size === b.size) {
    const xs = sortedElems(a);
    const ys = sortedElems(b);
    const i = xs.findIndex((x, j) => !valueEquals(x, ys[j]));
    if (i >= 0) assertComparable(xs[i], ys[i]);
  }
  if (isFn(a) && isFn(b) && a.size === b.size) {
    const xs = sortedEntries(a);
    const ys = sortedEntries(b);
    for (let i = 0; i < xs.length; i++) {
      if (!valueEquals(xs[i][0], ys[i][0])) return assertComparable(xs[i][0], ys[i][0]);
      if (!valueEquals(xs[i][1], ys[i][1])) return assertComparable(xs[i][1], ys[i][1]);
    }
  }
}

export function cardinality(s: Value): number {
  return asSet(s, 'the argument of Cardinality').size;
}

/** The FiniteSets module's IsFiniteSet: every set value is finite (Nat and Int are never values). */
export function isFiniteSet(s: Value): boolean {
  asSet(s, 'the argument of IsFiniteSet');
  return true;
}

export function powerset(s: Value): SetValue {
  const elems = powersetElements(s);
  if (elems.base.length > 20) fail('PowersetTooLarge', elems.base.length);
  return mkSet(elems);
}

/** C(n, k) for the small n of SUBSET (exact below 2^53). */
function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

/**
 * `SUBSET S` in canonical order without building it (smaller sets first, then by their sorted
 * elements): the i-th subset is unranked directly, so enumerating is linear in what is produced.
 */
export class PowersetElements implements Elements<Value> {
  readonly base: Value[];
  readonly length: number;

  constructor(s: Value) {
    this.base = elemsOf(s, 'the argument of SUBSET');
    if (this.base.length > 52) fail('PowersetTooLarge', this.base.length);
    this.length = 2 ** this.base.length;
  }

  at(i: number): Value {
    const at = new Int32Array(this.base.length);
    const k = this.positions(i, at);
    return mkSet(Array.from(at.subarray(0, k), (x) => this.base[x]));
  }

  /** The positions in S of the i-th subset's elements, ascending, written into `into`; their count. */
  positions(i: number, into: Int32Array): number {
    const n = this.base.length;
    let k = 0;
    for (let c = binomial(n, 0); i >= c; c = binomial(n, ++k)) i -= c;
    // The i-th k-element subset in lexicographic order of positions.
    let m = 0;
    for (let x = 0; x < n && m < k; x++) {
      const c = binomial(n - x - 1, k - m - 1);
      if (i < c) into[m++] = x;
      else i -= c;
    }
    return k;
  }

  *[Symbol.iterator](): Iterator<Value> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }
}

export function powersetElements(s: Value): PowersetElements {
  return new PowersetElements(s);
}

export function bigUnion(s: Value): SetValue {
  let out = ISet<Value>();
  for (const x of asSet(s, 'the argument of UNION')) out = out.union(asSet(x, 'an element of UNION\'s argument'));
  return out;
}

/** Every tuple of the cartesian product of `sets` in canonical order (the last varies fastest), one at a time. */
export function* tuplesOf<T>(sets: Elements<T>[]): Generator<T[]> {
  if (sets.some((s) => s.length === 0)) return;
  const idx = sets.map(() => 0);
  for (;;) {
    yield sets.map((s, i) => s.at(idx[i]) as T);
    let k = sets.length - 1;
    while (k >= 0 && ++idx[k] === sets[k].length) idx[k--] = 0;
    if (k < 0) return;
  }
}

/** Every tuple of the cartesian product, built: at most BUILD_BOUND of them (`what` names the set). */
export function product(sets: Value[][], what: string): Value[][] {
  if (sets.reduce((n, s) => n * s.length, 1) > BUILD_BOUND) fail('SetTooLarge', what, BUILD_BOUND);
  return [...tuplesOf(sets)];
}

export function cross(a: Value, b: Value): SetValue {
  const xs = sortedElems(asSet(a, 'the left of \\X'));
  const ys = sortedElems(asSet(b, 'the right of \\X'));
  return mkSet(product([xs, ys], 'S \\X T').map(mkTuple));
}

/** `[S -> T]`: every function from S to T. */
export function fnSet(dom: Value, rng: Value): SetValue {
  const elems = new FnSetElements(dom, rng);
  if (elems.length > 1e6) fail('FunctionSetTooLarge', elems.range.length, elems.domain.length);
  return mkSet(elems);
}

/**
 * `[S -> T]` in canonical order without building it (the last key's value varies fastest): the
 * i-th function is read off i's digits, so enumerating is linear in what is produced.
 */
export class FnSetElements implements Elements<Value> {
  readonly domain: Value[];
  readonly range: Value[];
  readonly length: number;

  constructor(dom: Value, rng: Value) {
    this.domain = elemsOf(dom, 'the domain of [S -> T]');
    this.range = elemsOf(rng, 'the range of [S -> T]');
    this.length = Math.pow(this.range.length, this.domain.length);
  }

  at(i: number): Value {
    const r = this.range.length;
    const vals: Value[] = new Array(this.domain.length);
    for (let j = this.domain.length - 1; j >= 0; j--) {
      vals[j] = this.range[i % r];
      i = Math.floor(i / r);
    }
    return mkFn(this.domain.map((d, j) => [d, vals[j]] as [Value, Value]));
  }

  *[Symbol.iterator](): Iterator<Value> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }
}

/** `[a : S, b : T]`: every record with those fields. */
export function recordSet(names: string[], sets: Value[]): SetValue {
  const elems = sets.map((s) => sortedElems(asSet(s, 'a field set of [a : S]')));
  return mkSet(product(elems, '[a : S, ...]').map((vals) => mkFn(names.map((n, i) => [n, vals[i]] as [Value, Value]))));
}

/**
 * `x \in s` as TLC decides it: TRUE for an element; FALSE for a value TLC can compare with every
 * element (a model value compares with anything), else the error `Incomparable` (TLC: `2 \in {1,
 * "a"}` is "Attempted to check equality of string "a" with non-string: 2").
 */
export function memberOf(s: SetValue, x: Value): boolean {
  if (s.has(x)) return true;
  if (x instanceof ModelValue) return false;
  for (const y of s) assertComparable(x, y);
  return false;
}

/** What membership gives for a value of the wrong kind for a set: FALSE for a model value, else `Incomparable` (as TLC). */
export function notAnElement(v: Value, elements: string): false {
  if (v instanceof ModelValue) return false;
  return fail('Incomparable', `${typeName(v)} ${showValue(v)}`, elements);
}

/** `v \in lo..hi`: TLC fails for a value that is neither an integer nor a model value. */
export function inInterval(v: Value, lo: number, hi: number): boolean {
  if (typeof v === 'number') return lo <= v && v <= hi;
  return notAnElement(v, `the integers of ${lo}..${hi}`);
}

/** `x \in [S -> T]` without building the set. */
export function inFnSet(f: Value, dom: Value, rng: Value): boolean {
  const r = asSet(rng, 'the range of [S -> T]');
  return inFnSetWith(f, dom, (v) => r.has(v));
}

/** `v \in Nat` or `v \in Int`: an integer test; a model value is in neither, anything else is an error (as in TLC). */
export function inInfiniteSet(name: InfiniteSet, v: Value): boolean {
  if (typeof v === 'number') return name === 'Int' || v >= 0;
  return notAnElement(v, `the integers of ${name}`);
}

/** `v \in Seq(S)` without building the set: a sequence whose elements pass `inElems`; anything else fails as in TLC (a model value is in none). */
export function inSeqSetWith(v: Value, inElems: (x: Value) => boolean): boolean {
  const s = seqElems(v);
  if (s === null) return notAnElement(v, 'the sequences of Seq(S)');
  return s.every(inElems);
}

export function seqOf(v: Value, what: string): Value[] {
  const s = seqElems(v);
  if (s === null) fail('NotASequence', what, showValue(v));
  return s as Value[];
}

export function seqBuiltin(op: 'Len' | 'Append' | 'Head' | 'Tail' | 'SubSeq', args: Value[]): Value {
  const s = seqOf(args[0], `the argument of ${op}`);
  switch (op) {
    case 'Len':
      return s.length;
    case 'Append':
      return mkTuple([...s, args[1]]);
    case 'Head':
      if (s.length === 0) fail('EmptySequence', 'Head');
      return s[0];
    case 'Tail':
      if (s.length === 0) fail('EmptySequence', 'Tail');
      return mkTuple(s.slice(1));
    case 'SubSeq': {
      const m = asInt(args[1], 'SubSeq\'s start');
      const n = asInt(args[2], 'SubSeq\'s end');
      if (m > n) return mkTuple([]);
      if (m < 1 || n > s.length) fail('SubSeqOutOfRange', m, n, s.length);
      return mkTuple(s.slice(m - 1, n));
    }
  }
}

export function concat(a: Value, b: Value): Value {
  return mkTuple([...seqOf(a, 'the left of \\o'), ...seqOf(b, 'the right of \\o')]);
}

export function domainOf(f: Value): SetValue {
  return mkSet(asFn(f, 'the argument of DOMAIN').keys());
}

/** Set elements in the canonical order (how `with`, quantifiers and CHOOSE enumerate). */
export function elemsOf(s: Value, what: string): Value[] {
  return sortedElems(asSet(s, what));
}

/** Whether `v` fits `shape`: every fixed domain is exactly the declared one. */
export function fitsShape(v: Value, shape: Shape): boolean {
  if (shape.kind === 'leaf') return true;
  if (!isFn(v) || v.size !== shape.domain.length) return false;
  for (const d of shape.domain) {
    const x = v.get(d);
    if (x === undefined || !fitsShape(x, shape.elem)) return false;
  }
  return true;
}

export function setOps(op: 'cup' | 'cap' | 'minus', a: Value, b: Value): SetValue {
  const x = asSet(a, `the left of ${op}`);
  const y = asSet(b, `the right of ${op}`);
  // TLC compares the elements of the two sets (`{1} \cup {"a"}` is an error, as `1 \in {"a"}`).
  for (const e of x) memberOf(y, e);
  return op === 'cup' ? x.union(y) : op === 'cap' ? x.intersect(y) : x.subtract(y);
}

export function lessThan(op: '<' | '<=' | '>' | '>=', a: Value, b: Value): boolean {
  const x = asInt(a, `the left of ${op}`);
  const y = asInt(b, `the right of ${op}`);
  return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
}

// Membership in the sets that are never built: each takes a test for membership in the inner set,
// so that nested forms (`[S -> SUBSET T]`) are decided without building anything either.

/** `f \in [S -> T]`, with membership in T given as a test. */
export function inFnSetWith(f: Value, dom: Value, inRange: (v: Value) => boolean): boolean {
  const d = asSet(dom, 'the domain of [S -> T]');
  if (!isFn(f)) return notAnElement(f, 'the functions of [S -> T]');
  if (f.size !== d.size) return false;
  for (const [k, v] of f) if (!memberOf(d, k) || !inRange(v)) return false;
  return true;
}

/** `s \in SUBSET S`, with membership in S given as a test. */
export function inPowersetWith(s: Value, inBase: (v: Value) => boolean): boolean {
  if (!isSet(s)) return notAnElement(s, 'the sets of SUBSET S');
  return s.every((x) => inBase(x));
}

/** `r \in [a : S, b : T]`, with membership in each field's set given as a test. */
export function inRecordSetWith(r: Value, names: string[], inField: ((v: Value) => boolean)[]): boolean {
  if (!isFn(r)) return notAnElement(r, 'the records of [a : S]');
  return r.size === names.length && names.every((n, i) => r.has(n) && inField[i](r.get(n) as Value));
}

/** `t \in S1 \X S2 \X ...`, with membership in each component's set given as a test. */
export function inProductWith(t: Value, inComponent: ((v: Value) => boolean)[]): boolean {
  if (!isFn(t)) return notAnElement(t, 'the tuples of S \\X T');
  const elems = seqElems(t);
  if (elems === null) {
    // TLC: a function with integer keys that is no tuple is no element; any other is not comparable.
    if (t.keySeq().every((k) => typeof k === 'number')) return false;
    return notAnElement(t, 'the tuples of S \\X T');
  }
  return elems.length === inComponent.length && elems.every((x, i) => inComponent[i](x));
}
