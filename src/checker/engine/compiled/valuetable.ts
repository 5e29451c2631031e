// The compiled engine's value encoding: every value is an int32 code. Integers are their own code;
// every other value is interned here with a code from 2^28 up, so value equality is code equality
// and a state is a row of int32s. Per-code caches (canonical element order, membership, function
// application) let compiled code walk sets and functions without rebuilding immutable values.
import { hash, is } from '../../../lang/immutable.js';
import type { SetValue, Value } from '../../../lang/values.js';
import { kindRank, ModelValue, sortedEntries } from '../../../lang/values.js';
import { apply, asSet, checkInt, elemsOf, INT_MAX, memberOf } from '../valueops.js';

/** The first code that is not an integer. */
export const BASE = INT_MAX + 1;
export const FALSE = BASE;
export const TRUE = BASE + 1;

export class ValueTable {
  private values: Value[] = [false, true];
  /** Per code from BASE, its value's kindRank. */
  private ranks: number[] = [0, 0];
  /** By hash: the first code interned with it, and any further ones (rare: no array per value). */
  private byHash = new Map<number, number>();
  private sameHash = new Map<number, number[]>();
  private elemsCache: (Int32Array | undefined)[] = [];
  private memberCache: (Set<number> | undefined)[] = [];
  /** Per set: whether its elements are integers and model values (which every integer compares with). */
  private intsCache: (boolean | undefined)[] = [];
  private applyCache: (Map<number, number> | undefined)[] = [];
  private entriesCache: ([Int32Array, Int32Array] | undefined)[] = [];
  private knownSets: (true | undefined)[] = [];
  /** Per set code: the codes not in it already found comparable with all its elements. */
  private absentChecked: (Set<number> | undefined)[] = [];

  intern(v: Value): number {
    if (typeof v === 'number') return checkInt(v);
    if (typeof v === 'boolean') return v ? TRUE : FALSE;
    const h = hash(v);
    const first = this.byHash.get(h);
    const more = first === undefined ? undefined : this.sameHash.get(h);
    if (first !== undefined) {
      if (is(this.values[first - BASE], v)) return first;
      if (more) for (const c of more) if (is(this.values[c - BASE], v)) return c;
    }
    const code = BASE + this.values.length;
    this.values.push(v);
    this.ranks.push(kindRank(v));
    if (first === undefined) this.byHash.set(h, code);
    else if (more) more.push(code);
    else this.sameHash.set(h, [code]);
    return code;
  }

  /** How many values are interned (the parallel search compares tables by it). */
  get size(): number {
    return this.values.length;
  }

  value(code: number): Value {
    return code < BASE ? code : this.values[code - BASE];
  }

  /** The kindRank of a code's value, decoding nothing. */
  rankOf(code: number): number {
    return code < BASE ? 1 : this.ranks[code - BASE];
  }

  /** A set's elements in canonical order (an error naming `what` if it is no set). */
  elems(code: number, what: string): Int32Array {
    const cached = code >= BASE ? this.elemsCache[code - BASE] : undefined;
    if (cached) return cached;
    const out = Int32Array.from(elemsOf(this.value(code), what), (x) => this.intern(x));
    this.elemsCache[code - BASE] = out;
    return out;
  }

  /** `x \in s` for a set code `s` (an error naming `what` if it is no set), with valueops' comparisons. */
  has(s: number, x: number, what: string): boolean {
    const elems = this.elems(s, what);
    if (elems.length <= 16) {
      for (let i = 0; i < elems.length; i++) if (elems[i] === x) return true;
      return this.absent(s, x);
    }
    let set = this.memberCache[s - BASE];
    if (!set) this.memberCache[s - BASE] = set = new Set(elems);
    return set.has(x) || this.absent(s, x);
  }

  /**
   * FALSE for a code not in set `s` that TLC can compare with every element (else memberOf's error):
   * an integer against a set of integers and model values is decided without decoding anything.
   */
  absent(s: number, x: number): false {
    if (x < BASE) {
      let ints = this.intsCache[s - BASE];
      if (ints === undefined) this.intsCache[s - BASE] = ints = this.elems(s, '').every((c) => c < BASE || this.values[c - BASE] instanceof ModelValue);
      if (ints) return false;
    }
    // Codes are values: a code found comparable with every element of `s` stays so.
    let seen = this.absentChecked[s - BASE];
    if (seen?.has(x)) return false;
    memberOf(this.values[s - BASE] as SetValue, this.value(x));
    if (!seen) this.absentChecked[s - BASE] = seen = new Set();
    seen.add(x);
    return false;
  }

  /** `f[k]` with valueops' errors. */
  apply(f: number, k: number): number {
    let cache = f >= BASE ? this.applyCache[f - BASE] : undefined;
    const hit = cache?.get(k);
    if (hit !== undefined) return hit;
    const out = this.intern(apply(this.value(f), this.value(k)));
    if (!cache) this.applyCache[f - BASE] = cache = new Map();
    cache.set(k, out);
    return out;
  }

  /** A function's keys and values, keys in canonical order. */
  entries(f: number): [Int32Array, Int32Array] {
    let cached = this.entriesCache[f - BASE];
    if (!cached) {
      const es = sortedEntries(this.values[f - BASE] as never);
      cached = [Int32Array.from(es, ([k]) => this.intern(k)), Int32Array.from(es, ([, v]) => this.intern(v))];
      this.entriesCache[f - BASE] = cached;
    }
    return cached;
  }

  /** Checks that `code` is a set, with valueops' message. */
  asSet(code: number, what: string): void {
    if (code >= BASE && this.knownSets[code - BASE]) return;
    asSet(this.value(code), what);
    this.knownSets[code - BASE] = true;
  }
}

/**
 * Maps the codes of a fixed domain to positions 0..n-1: a dense table over the span of the codes
 * when it is compact (integer ranges, model values interned together), else a Map.
 */
export class KeyIndex {
  private readonly min: number;
  private readonly table: Int32Array | null;
  private readonly map: Map<number, number> | null;

  constructor(readonly keys: Int32Array) {
    let min = 0;
    let max = -1;
    if (keys.length > 0) {
      min = keys.reduce((a, b) => Math.min(a, b));
      max = keys.reduce((a, b) => Math.max(a, b));
    }
    this.min = min;
    if (max - min < 4 * keys.length + 64) {
      this.table = new Int32Array(max - min + 1).fill(-1);
      keys.forEach((k, i) => (this.table![k - min] = i));
      this.map = null;
    } else {
      this.table = null;
      this.map = new Map(Array.from(keys, (k, i) => [k, i] as [number, number]));
    }
  }

  /** The position of key code `k`, or -1 when it is not in the domain. */
  get(k: number): number {
    if (this.table !== null) {
      const j = k - this.min;
      return j >= 0 && j < this.table.length ? this.table[j] : -1;
    }
    return this.map!.get(k) ?? -1;
  }
}
