// The value model shared by the front end (constants, initial values), the reference evaluator and
// the reports: immutable values with value equality, one canonical order, and TLA+ printing.
import type * as Immutable from 'immutable';
import { Map as IMap, Set as ISet, hash, is } from './immutable.js';

/** A model value: equal only to itself (TLC's model values). */
export class ModelValue {
  constructor(readonly name: string) {}
  equals(other: unknown): boolean {
    return other instanceof ModelValue && other.name === this.name;
  }
  hashCode(): number {
    return hash('\u0000mv:' + this.name);
  }
  toString(): string {
    return this.name;
  }
}

/** Functions (records are functions from strings; tuples and sequences from 1..n) and sets. */
export type FnValue = Immutable.Map<Value, Value>;
export type SetValue = Immutable.Set<Value>;
export type Value = boolean | number | string | ModelValue | SetValue | FnValue;

/** Murmur3's finaliser: spreads every bit of `h` over the whole word. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Immutable's own hash of an unordered collection adds up its elements' hashes (a set) or weakly
 * merged key and value hashes (a map), so sets and functions over small integers collide en masse
 * (the 78,125 functions in [1..7 -> 1..5] share 688 hashes), which makes building, interning and
 * storing many of them quadratic. Sets and functions hash instead as the sum of their elements'
 * (entries') hashes, each mixed: still independent of the order, and spread over all 32 bits.
 */
function hashUnordered(c: SetValue | FnValue & { __hash?: number }): number {
  const cached = (c as { __hash?: number }).__hash;
  if (cached !== undefined) return cached;
  let h = 0;
  if (ISet.isSet(c)) for (const x of c) h = (h + mix(hash(x) + 0x7f4a7c15)) | 0;
  else for (const [k, v] of c as FnValue) h = (h + mix(Math.imul(hash(k), 0x9e3779b1) ^ mix(hash(v) + 0x7f4a7c15))) | 0;
  const out = mix(h ^ c.size) & 0x3fffffff;
  (c as { __hash?: number }).__hash = out;
  return out;
}
for (const proto of [IMap.prototype, ISet.prototype] as { hashCode(): number }[]) {
  proto.hashCode = function (this: SetValue | FnValue) {
    return hashUnordered(this);
  };
}

export const isSet = (v: Value): v is SetValue => ISet.isSet(v);
export const isFn = (v: Value): v is FnValue => IMap.isMap(v);
export const valueEquals = (a: Value, b: Value): boolean => is(a, b);

export function mkSet(elems: Iterable<Value>): SetValue {
  return ISet<Value>(elems);
}

export function mkFn(entries: Iterable<[Value, Value]>): FnValue {
  return IMap<Value, Value>(entries);
}

/** `<<a, b, c>>`: the function 1 :> a @@ 2 :> b @@ 3 :> c. */
export function mkTuple(elems: Value[]): FnValue {
  return IMap<Value, Value>(elems.map((e, i) => [i + 1, e] as [Value, Value]));
}

export function mkRecord(fields: Record<string, Value>): FnValue {
  return IMap<Value, Value>(Object.entries(fields));
}

/** The elements of a sequence (a function with domain 1..n), or null if it is not one. */
export function seqElems(v: Value): Value[] | null {
  if (!isFn(v)) return null;
  const out: Value[] = new Array(v.size);
  for (let i = 1; i <= v.size; i++) {
    if (!v.has(i)) return null;
    out[i - 1] = v.get(i)!;
  }
  return out;
}

/** kindRank of a model value: the atoms (booleans, integers, strings) rank below it. */
export const MODEL_VALUE_RANK = 3;

/** A value's kind, in the order kinds compare: boolean, integer, string, model value (MODEL_VALUE_RANK), set, function. */
export const kindRank = (v: Value): number =>
  typeof v === 'boolean' ? 0 : typeof v === 'number' ? 1 : typeof v === 'string' ? 2 : v instanceof ModelValue ? 3 : isSet(v) ? 4 : 5;

/** The canonical total order on values: how sets are enumerated, in both engines. */
export function compareValues(a: Value, b: Value): number {
  const ra = kindRank(a);
  const rb = kindRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
      return Number(a) - Number(b);
    case 1:
      return (a as number) - (b as number);
    case 2:
      return a < b ? -1 : a > b ? 1 : 0;
    case 3: {
      const x = (a as ModelValue).name;
      const y = (b as ModelValue).name;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 4: {
      const x = sortedElems(a as SetValue);
      const y = sortedElems(b as SetValue);
      if (x.length !== y.length) return x.length - y.length;
      for (let i = 0; i < x.length; i++) {
        const c = compareValues(x[i], y[i]);
        if (c !== 0) return c;
      }
      return 0;
    }
    default: {
      const x = sortedEntries(a as FnValue);
      const y = sortedEntries(b as FnValue);
      if (x.length !== y.length) return x.length - y.length;
      for (let i = 0; i < x.length; i++) {
        const c = compareValues(x[i][0], y[i][0]) || compareValues(x[i][1], y[i][1]);
        if (c !== 0) return c;
      }
      return 0;
    }
  }
}

export function sortedElems(s: SetValue): Value[] {
  return s.toArray().sort(compareValues);
}

export function sortedEntries(f: FnValue): [Value, Value][] {
  return f.entrySeq().toArray().sort((p, q) => compareValues(p[0], q[0]));
}

/** TLA+ notation, as TLC prints values. */
export function showValue(v: Value): string {
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof ModelValue) return v.name;
  if (isSet(v)) return '{' + sortedElems(v).map(showValue).join(', ') + '}';
  if (v.size === 0) return '<<>>';
  const seq = seqElems(v);
  if (seq) return '<<' + seq.map(showValue).join(', ') + '>>';
  const entries = sortedEntries(v);
  if (entries.every(([k]) => typeof k === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(k))) {
    return '[' + entries.map(([k, x]) => `${k} |-> ${showValue(x)}`).join(', ') + ']';
  }
  return '(' + entries.map(([k, x]) => `${showValue(k)} :> ${showValue(x)}`).join(' @@ ') + ')';
}

/** A plain JSON form (for `--format json`): sets as {"#set": [...]}, functions as arrays/objects. */
export function valueToJson(v: Value): unknown {
  if (typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  if (v instanceof ModelValue) return { '#mv': v.name };
  if (isSet(v)) return { '#set': sortedElems(v).map(valueToJson) };
  const seq = seqElems(v);
  if (seq && seq.length > 0) return seq.map(valueToJson);
  const entries = sortedEntries(v);
  if (entries.every(([k]) => typeof k === 'string')) {
    return Object.fromEntries(entries.map(([k, x]) => [k as string, valueToJson(x)]));
  }
  return { '#map': entries.map(([k, x]) => [valueToJson(k), valueToJson(x)]) };
}

/** A short type name for messages. */
export function typeName(v: Value): string {
  const names = ['a boolean', 'an integer', 'a string', 'a model value', 'a set', 'a function'];
  return names[kindRank(v)];
}
