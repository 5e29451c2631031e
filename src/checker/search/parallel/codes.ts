// Value codes every thread of a parallel search agrees on. Each thread's compiled engine interns
// values in its own table; the codes below `limit` (the values interned while warming the engine
// and computing the initial states, which every thread does in the same order) mean the same in
// all of them. A value a thread builds while searching gets a global code from the dictionary
// here, shared by all threads: the value is written as a canonical int32 token string into a
// shared arena under a lock, and the same value, built by any thread, finds the same code. Rows in
// the shared store hold global codes; each thread maps them to and from its own codes through two
// caches, so the lock is taken once per value and thread, never per state.
import { ModelValue, isSet, mkFn, mkSet, sortedElems, sortedEntries, type FnValue, type SetValue, type Value } from '../../../lang/values.js';
import { hashAt } from '../../engine/compiled/store.js';
import { lock, unlock } from './sync.js';
import type { ValueTable } from '../../engine/compiled/valuetable.js';

const LOCK = 0;
const COUNT = 1;
const ARENA_USED = 2;
const HEADER = 4;

/** Token tags of the serialized value forms. */
const enum Tag {
  False,
  True,
  Int,
  Str,
  Model,
  Set,
  Fn,
}

/** The buffers of the shared dictionary; passed to worker threads as they are. */
export interface SharedValueBuffers {
  header: SharedArrayBuffer;
  /** Open-addressing table of value index + 1, by token hash. */
  dict: SharedArrayBuffer;
  /** Per value index, where its tokens start in the arena (its length is the first token). */
  offsets: SharedArrayBuffer;
  arena: SharedArrayBuffer;
}

/** Most values built at run time, and int32 tokens for them all (buffers are reserved, not committed). */
const MAX_VALUES = 1 << 22;
const ARENA_TOKENS = 1 << 26;

export function allocateValueBuffers(): SharedValueBuffers {
  return {
    header: new SharedArrayBuffer(HEADER * 4),
    dict: new SharedArrayBuffer(MAX_VALUES * 2 * 4),
    offsets: new SharedArrayBuffer(MAX_VALUES * 4),
    arena: new SharedArrayBuffer(ARENA_TOKENS * 4),
  };
}

/** Bytes the dictionary holds now. */
export function valueBytes(b: SharedValueBuffers): number {
  const header = new Int32Array(b.header);
  return Atomics.load(header, COUNT) * 12 + Atomics.load(header, ARENA_USED) * 4;
}

/** One thread's view of the shared codes, over its own value table. */
export class CodeMap {
  private readonly header: Int32Array;
  private readonly dict: Int32Array;
  private readonly offsets: Int32Array;
  private readonly arena: Int32Array;
  /** local code - limit -> global code (0: not yet known) */
  private toGlobal: Int32Array = new Int32Array(64);
  /** global code - limit -> local code (0: not yet known) */
  private toLocal: Int32Array = new Int32Array(64);
  private tokens: Int32Array = new Int32Array(64);
  private length = 0;

  constructor(
    buffers: SharedValueBuffers,
    private readonly table: ValueTable,
    /** The first code that is not the same in every thread. */
    readonly limit: number,
  ) {
    this.header = new Int32Array(buffers.header);
    this.dict = new Int32Array(buffers.dict);
    this.offsets = new Int32Array(buffers.offsets);
    this.arena = new Int32Array(buffers.arena);
  }

  /** The global code of this thread's code `c`. */
  global(c: number): number {
    if (c < this.limit) return c;
    const i = c - this.limit;
    if (i < this.toGlobal.length && this.toGlobal[i] !== 0) return this.toGlobal[i];
    const g = this.limit + this.indexOf(this.table.value(c));
    this.remember(c, g);
    return g;
  }

  /** This thread's code for global code `g`. */
  local(g: number): number {
    if (g < this.limit) return g;
    const i = g - this.limit;
    if (i < this.toLocal.length && this.toLocal[i] !== 0) return this.toLocal[i];
    const c = this.table.intern(this.decode(i));
    this.remember(c, g);
    return c;
  }

  private remember(c: number, g: number): void {
    const i = c - this.limit;
    const j = g - this.limit;
    if (i >= this.toGlobal.length) this.toGlobal = grown(this.toGlobal, i);
    if (j >= this.toLocal.length) this.toLocal = grown(this.toLocal, j);
    this.toGlobal[i] = g;
    this.toLocal[j] = c;
  }

  /** The dictionary index of `v`, added if no thread has added it yet. */
  private indexOf(v: Value): number {
    this.length = 0;
    this.write(v);
    const { tokens, length, header, dict, offsets, arena } = this;
    const mask = dict.length - 1;
    const h = hashAt(tokens, 0, length);
    lock(header, LOCK);
    try {
      let p = h & mask;
      for (;;) {
        const e = dict[p];
        if (e === 0) break;
        const at = offsets[e - 1];
        if (arena[at] === length) {
          let k = 0;
          while (k < length && arena[at + 1 + k] === tokens[k]) k++;
          if (k === length) return e - 1;
        }
        p = (p + 1) & mask;
      }
      const index = header[COUNT];
      const at = header[ARENA_USED];
      if (index * 2 >= dict.length || at + length + 1 > arena.length) throw new Error('parallel search: too many values built at run time for the shared value dictionary');
      arena[at] = length;
      arena.set(tokens.subarray(0, length), at + 1);
      offsets[index] = at;
      header[ARENA_USED] = at + length + 1;
      header[COUNT] = index + 1;
      dict[p] = index + 1;
      return index;
    } finally {
      unlock(header, LOCK);
    }
  }

  /** Appends the canonical tokens of `v`. */
  private write(v: Value): void {
    if (typeof v === 'boolean') return this.push(v ? Tag.True : Tag.False);
    if (typeof v === 'number') {
      this.push(Tag.Int);
      return this.push(v);
    }
    if (typeof v === 'string' || v instanceof ModelValue) {
      const s = typeof v === 'string' ? v : v.name;
      this.push(typeof v === 'string' ? Tag.Str : Tag.Model);
      this.push(s.length);
      for (let i = 0; i < s.length; i++) this.push(s.charCodeAt(i));
      return;
    }
    if (isSet(v)) {
      const elems = sortedElems(v as SetValue);
      this.push(Tag.Set);
      this.push(elems.length);
      for (const e of elems) this.write(e);
      return;
    }
    const entries = sortedEntries(v as FnValue);
    this.push(Tag.Fn);
    this.push(entries.length);
    for (const [k, x] of entries) {
      this.write(k);
      this.write(x);
    }
  }

  private push(t: number): void {
    if (this.length === this.tokens.length) this.tokens = grown(this.tokens, this.length);
    this.tokens[this.length++] = t;
  }

  /** The value of dictionary entry `index`. */
  private decode(index: number): Value {
    const arena = this.arena;
    let at = this.offsets[index] + 1;
    const read = (): Value => {
      const tag = arena[at++];
      switch (tag) {
        case Tag.False:
          return false;
        case Tag.True:
          return true;
        case Tag.Int:
          return arena[at++];
        case Tag.Str:
        case Tag.Model: {
          const n = arena[at++];
          const s = String.fromCharCode(...arena.subarray(at, at + n));
          at += n;
          return tag === Tag.Str ? s : new ModelValue(s);
        }
        case Tag.Set: {
          const n = arena[at++];
          const elems: Value[] = [];
          for (let i = 0; i < n; i++) elems.push(read());
          return mkSet(elems);
        }
        default: {
          const n = arena[at++];
          const entries: [Value, Value][] = [];
          for (let i = 0; i < n; i++) {
            const k = read();
            entries.push([k, read()]);
          }
          return mkFn(entries);
        }
      }
    };
    return read();
  }
}

function grown(a: Int32Array, atLeast: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(Math.max(a.length * 2, atLeast + 1));
  next.set(a);
  return next;
}
