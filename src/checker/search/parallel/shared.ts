// The memory every thread of a parallel search shares: the states (rows bit-packed by packing.ts
// over dictionaries of global value codes, codes.ts), one open-addressing hash table of their ids
// that every thread inserts into with compare-and-swap, the breadth-first levels in their canonical order, and per state the key
// that orders it: the rank of the first parent that reached it in its level and the successor's
// position among that parent's successors. That key is the order a single-threaded search stores
// states in, so sorting each level by it gives every state the id one thread gives it (explore.ts).
//
// Buffers are reserved for a capacity of states up front and committed by the OS only as they are
// touched. The table grows by doubling, and rows are packed again when a slot outgrows its bits,
// while every other thread is parked: a thread that must do either raises GROW and waits until the
// others have parked (each checks GROW before it probes the table, and a thread waiting for
// anything counts as parked).
import { hashAt, slotsWithBits } from '../../engine/compiled/store.js';
import type { CodeMap } from './codes.js';
import { allocatePacking, DICTIONARY_FULL, Packer, packingBytes, relayout, type PackingBuffers } from './packing.js';

// Header words. COUNT and CURSOR, written by every thread as it takes ids and runs of states,
// have a cache line each, apart from the words read on every state.
const COUNT = 0;
export const CURSOR = 16;
const MASK = 32;
const GROW = 33;
/** The least parent rank at which a failure was found in this level (no rank above it is expanded). */
export const CUTOFF = 34;
/** Set when the search must stop (a limit, or the store is full). */
export const STOP = 35;
export const CHUNK = 36;
/** The level's first position in canonical order, and its number of states. */
export const LEVEL_START = 37;
export const LEVEL_SIZE = 38;
/** Ids at or above it belong to the level being built. */
export const NEXT_BASE = 39;
/** Why the store took no more states: STORE_ROOM or DICTIONARY_ROOM (0: it has room). */
export const FULL = 40;
export const STORE_ROOM = 1;
export const DICTIONARY_ROOM = 2;
/** 1 while helpers may join the current level. */
export const OPEN = 41;
/** The value table size every thread must have once warmed (codes.ts). */
export const SHARED_SIZE = 42;
const PARKED = 48;
/** Bumped as each level opens, and once more to quit. */
export const GEN = 49;
/** Helpers working in the current level. */
export const ACTIVE = 50;
export const QUIT = 51;
/** Incremented, and notified, after every message a helper posts. */
export const POSTED = 52;
/** Per thread, the generation of the last level it joined (0: none yet). */
export const JOINED = 64;
/** Most threads a search may use. */
export const MAX_THREADS = 64;
const HEADER_WORDS = JOINED + MAX_THREADS;

/**
 * Ids are taken from COUNT in blocks, one thread's states together (no two threads write one cache
 * line of rows). A block's ids are holes (marked in parentRank) until they are used; the unused
 * rest of a block at the end of a level stays a hole.
 */
const ID_BLOCK = 64;
export const HOLE = 0x7fffffff;

/** A table entry being filled: the thread that claimed it is writing the row. */
const BUSY = -1;
const INITIAL_TABLE = 1 << 22;

/** The buffers; they go to worker threads as they are. */
export interface SpaceBuffers {
  threads: number;
  width: number;
  capacity: number;
  header: SharedArrayBuffer;
  rows: SharedArrayBuffer;
  table: SharedArrayBuffer;
  /** order[position] = id: the states in canonical order (position = the id one thread gives). */
  order: SharedArrayBuffer;
  /** position[id] */
  position: SharedArrayBuffer;
  /** Per id: its first parent's rank in the level before (HOLE: no state). */
  parentRank: SharedArrayBuffer;
  /** Per state of the level being built, by id - NEXT_BASE: its place among its first parent's successors. */
  successorIndex: SharedArrayBuffer;
  /** Per state of the level being built, by id - NEXT_BASE: the label of the step from its first parent (the step credited with it as new). */
  successorLabel: SharedArrayBuffer;
  /** Per state of the level being expanded, by rank, once expanded: its successor count, FINISHED if every process had finished. */
  expanded: SharedArrayBuffer;
  /** Per thread: successors generated and states stored, as of its last run of states. */
  stats: SharedArrayBuffer;
  /** Per label: 1 once some thread has taken a step of it. */
  executed: SharedArrayBuffer;
  /** Per thread, per label: steps taken in the level being expanded (each thread's row a cache line apart from the next). */
  taken: SharedArrayBuffer;
  /** The slot dictionaries and layout rows are packed with. */
  packing: PackingBuffers;
}

export const FINISHED = 1 << 30;

/** Bytes per stored state besides the row: the table (at most half full) and six int32 columns (three of them per level, reserved for the worst case). */
const STATE_OVERHEAD = 8 * 2 + 6 * 4;

/** Labels in a thread's row of SpaceBuffers.taken: the labels, rounded up to a 64-byte line. */
export function takenStride(labels: number): number {
  return Math.ceil(Math.max(1, labels) / 8) * 8;
}

/** The most bytes a state can take (a row packed at 32 bits a slot), for the capacity reserved. */
export function bytesPerState(width: number): number {
  return width * 4 + STATE_OVERHEAD;
}

export function allocateSpace(threads: number, width: number, capacity: number, labels: number, initialTable = INITIAL_TABLE): SpaceBuffers {
  const ints = (n: number): SharedArrayBuffer => new SharedArrayBuffer(Math.max(1, n) * 4);
  let tableSize = initialTable;
  while (tableSize < capacity * 2) tableSize *= 2;
  const b: SpaceBuffers = {
    threads,
    width,
    capacity,
    header: ints(HEADER_WORDS),
    rows: ints(capacity * width),
    table: ints(tableSize),
    order: ints(capacity),
    position: ints(capacity),
    parentRank: ints(capacity),
    successorIndex: ints(capacity),
    successorLabel: ints(capacity),
    expanded: ints(capacity),
    stats: new SharedArrayBuffer(threads * 2 * 8),
    executed: new SharedArrayBuffer(Math.max(1, labels)),
    taken: new SharedArrayBuffer(threads * takenStride(labels) * 8),
    packing: allocatePacking(width),
  };
  new Int32Array(b.header)[MASK] = initialTable - 1;
  new Int32Array(b.header)[PARKED] = threads - 1;
  return b;
}

/** Thrown by insert when the store holds `capacity` states. */
export const STORE_FULL = new Error('the shared store is full');

/** One thread's handle on the shared space. */
export class SharedSpace {
  readonly header: Int32Array;
  readonly order: Int32Array;
  readonly position: Int32Array;
  readonly parentRank: Int32Array;
  private readonly successorIndex: Int32Array;
  private readonly successorLabel: Int32Array;
  readonly expanded: Int32Array;
  readonly stats: Float64Array;
  readonly executed: Uint8Array;
  /** SpaceBuffers.taken: thread t's count of label l at t * takenStride(labels) + l. */
  readonly taken: Float64Array;
  readonly width: number;
  readonly capacity: number;
  readonly packer: Packer;
  private readonly rows: Int32Array;
  private readonly table: Int32Array;
  /** States this thread has stored. */
  stored = 0;
  /** This thread's ids not yet used: [blockNext, blockEnd). */
  private blockNext = 0;
  private blockEnd = 0;

  constructor(readonly buffers: SpaceBuffers) {
    this.header = new Int32Array(buffers.header);
    this.rows = new Int32Array(buffers.rows);
    this.table = new Int32Array(buffers.table);
    this.order = new Int32Array(buffers.order);
    this.position = new Int32Array(buffers.position);
    this.parentRank = new Int32Array(buffers.parentRank);
    this.successorIndex = new Int32Array(buffers.successorIndex);
    this.successorLabel = new Int32Array(buffers.successorLabel);
    this.expanded = new Int32Array(buffers.expanded);
    this.stats = new Float64Array(buffers.stats);
    this.executed = new Uint8Array(buffers.executed);
    this.taken = new Float64Array(buffers.taken);
    this.width = buffers.width;
    this.capacity = buffers.capacity;
    this.packer = new Packer(buffers.packing, buffers.width);
  }

  /** Ids taken: states stored, and holes. */
  count(): number {
    return Math.min(Atomics.load(this.header, COUNT), this.capacity);
  }

  /** Bytes the stored states take, all in but the per-level columns (see ParallelSearch.finish). */
  bytes(): number {
    return this.count() * (this.packer.words * 4 + 3 * 4) + (Atomics.load(this.header, MASK) + 1) * 4 + packingBytes(this.buffers.packing);
  }

  /**
   * The id of `row`, storing it with key (rank, index) and the label of that step if it is new;
   * ~id if it was stored already. Throws STORE_FULL when there is no room.
   */
  insert(row: Int32Array, rank: number, index: number, label: number, written: Int32Array | null = null): number {
    const { header, table, rows, packer } = this;
    for (;;) {
      if (Atomics.load(header, GROW) !== 0) {
        this.park();
        this.unpark();
        continue;
      }
      if (!this.packOrStop(row, written)) {
        this.exclusive(() => this.repack());
        continue;
      }
      const { packed, words } = packer;
      const h = hashAt(packed, 0, words);
      const mask = Atomics.load(header, MASK);
      const tag = h & ~mask;
      let p = h & mask;
      for (;;) {
        let e = Atomics.load(table, p);
        if (e === 0) {
          e = Atomics.compareExchange(table, p, 0, BUSY);
          if (e === 0) {
            const id = this.newId();
            if (id < 0) {
              Atomics.store(table, p, 0);
              Atomics.store(header, FULL, STORE_ROOM);
              throw STORE_FULL;
            }
            this.stored++;
            rows.set(packed, id * words);
            this.parentRank[id] = rank;
            this.successorIndex[id - header[NEXT_BASE]] = index;
            this.successorLabel[id - header[NEXT_BASE]] = label;
            Atomics.store(table, p, tag | (id + 1));
            if ((id + 1) * 4 > (mask + 1) * 3 && (mask + 1) * 2 <= table.length) this.exclusive(() => this.rehash((mask + 1) * 2));
            // The first page's layouts leave every slot room to grow: once it is stored, the rows are packed tight.
            else if (packer.tightenDue(id)) this.exclusive(() => this.repack());
            return id;
          }
        }
        while (e === BUSY) e = Atomics.load(table, p);
        if ((e & ~mask) === tag) {
          const id = (e & mask) - 1;
          const base = id * words;
          let k = 0;
          while (k < words && rows[base + k] === packed[k]) k++;
          if (k === words) return ~id;
        }
        p = (p + 1) & mask;
      }
    }
  }

  /** Packs `row`; false if the layout must grow first. A full dictionary stops the search as a full store does. */
  private packOrStop(row: Int32Array, written: Int32Array | null): boolean {
    try {
      return this.packer.pack(row, written);
    } catch (e) {
      if (e !== DICTIONARY_FULL) throw e;
      Atomics.store(this.header, FULL, DICTIONARY_ROOM);
      throw STORE_FULL;
    }
  }

  /** Rows in and out are in this thread's value codes, translated through `codes`. */
  useCodes(codes: CodeMap): void {
    this.packer.useCodes(codes);
  }

  /** State `id` into `out`; successors are packed against it next. */
  read(id: number, out: Int32Array): void {
    this.packer.unpack(this.rows, id * this.packer.words, out);
  }

  /** Slot `k` of state `id`. */
  slot(id: number, k: number): number {
    return this.packer.slot(this.rows, id * this.packer.words, k);
  }

  /** The next id of this thread's block, taking a new block when it is used up; -1 when the store is full. */
  private newId(): number {
    if (this.blockNext === this.blockEnd) {
      const first = Atomics.add(this.header, COUNT, ID_BLOCK);
      if (first >= this.capacity) return -1;
      this.blockNext = first;
      this.blockEnd = Math.min(first + ID_BLOCK, this.capacity);
      this.parentRank.fill(HOLE, first, this.blockEnd);
    }
    return this.blockNext++;
  }

  /** Leaves the rest of this thread's block as holes: the level is over. */
  releaseIds(): void {
    this.blockNext = this.blockEnd = 0;
  }

  /** The id of `row`, or -1: a lookup for a search that has ended. */
  find(row: Int32Array): number {
    const { table, rows, packer } = this;
    packer.refresh();
    if (!packer.packKnown(row)) return -1;
    const { packed, words } = packer;
    const mask = this.header[MASK];
    const h = hashAt(packed, 0, words);
    for (let p = h & mask; ; p = (p + 1) & mask) {
      const e = table[p];
      if (e === 0) return -1;
      if ((e & ~mask) !== (h & ~mask)) continue;
      const id = (e & mask) - 1;
      let k = 0;
      while (k < words && rows[id * words + k] === packed[k]) k++;
      if (k === words) return id;
    }
  }

  /** The successor index of state `id` of the level being built (ids from NEXT_BASE up). */
  successorIndexOf(id: number): number {
    return this.successorIndex[id - this.header[NEXT_BASE]];
  }

  /** The label of the step that state `id` of the level being built was first reached by (its key's step). */
  successorLabelOf(id: number): number {
    return this.successorLabel[id - this.header[NEXT_BASE]];
  }

  /** Lowers the key of state `id` of the level being built to (rank, index), reached by a step of `label`, if that is less; the rank word doubles as a lock. */
  lowerKey(id: number, rank: number, index: number, label: number): void {
    const ranks = this.parentRank;
    const at = id - this.header[NEXT_BASE];
    for (;;) {
      const current = Atomics.load(ranks, id);
      if (current < 0) continue;
      if (current < rank || (current === rank && this.successorIndex[at] <= index)) return;
      if (Atomics.compareExchange(ranks, id, current, ~rank) !== current) continue;
      this.successorIndex[at] = index;
      this.successorLabel[at] = label;
      Atomics.store(ranks, id, rank);
      return;
    }
  }

  /**
   * Runs `work` once every other thread has parked; if another thread is already doing such work,
   * returns at once (the caller parks at its next probe).
   */
  private exclusive(work: () => void): void {
    const header = this.header;
    if (Atomics.compareExchange(header, GROW, 0, 1) !== 0) return;
    const others = this.buffers.threads - 1;
    for (let parked = Atomics.load(header, PARKED); parked !== others; parked = Atomics.load(header, PARKED)) Atomics.wait(header, PARKED, parked, 20);
    try {
      work();
    } finally {
      Atomics.store(header, GROW, 0);
      Atomics.notify(header, GROW);
    }
  }

  /** The table at `size` entries, every stored id placed again by the hash of its packed row. */
  private rehash(size: number, cleared = false): void {
    const { table, rows, header } = this;
    const words = this.packer.words;
    const mask = size - 1;
    if (!cleared) table.fill(0, 0, size);
    // By id, reading rows in order; unused ids of the blocks threads hold are holes already.
    const n = this.count();
    for (let id = 0; id < n; id++) {
      if (this.parentRank[id] === HOLE) continue;
      const h = hashAt(rows, id * words, words);
      let p = h & mask;
      while (table[p] !== 0) p = (p + 1) & mask;
      table[p] = (h & ~mask) | (id + 1);
    }
    Atomics.store(header, MASK, mask);
  }

  /** A slot outgrew its bits, or the first page's roomy layout is due to be tight: a new layout, every row packed again in place, the table rebuilt. */
  private repack(): void {
    const { rows, width } = this;
    const { old, oldWords, next, words } = relayout(this.buffers.packing, width, this.count());
    // A slot without bits holds index 0 in every row: only the others move.
    const moved = slotsWithBits(old.alloc);
    const plan = new Int32Array(5 * moved.length);
    moved.forEach((k, j) => plan.set([old.wordOf[k], old.shift[k], old.slotMask[k], next.wordOf[k], next.shift[k]], 5 * j));
    const indices = new Int32Array(moved.length);
    const move = (id: number): void => moveRowInPlace(rows, id * oldWords, id * words, words, plan, indices);
    // Rows move up when they grow, down when they shrink: take them in the order that never
    // overwrites a row not yet moved.
    const n = this.count();
    const size = Atomics.load(this.header, MASK) + 1;
    // The first repacks come after a few states: their entries are cleared one by one, since
    // clearing the whole table would first touch every page of it (16 MiB: about 60 ms of page
    // faults, on the path to the first level's end).
    const few = n * 64 < size;
    if (few) for (let id = 0; id < n; id++) if (this.parentRank[id] !== HOLE) this.clearEntry(id, oldWords);
    if (words >= oldWords) for (let id = n - 1; id >= 0; id--) move(id);
    else for (let id = 0; id < n; id++) move(id);
    this.packer.refresh();
    this.rehash(size, few);
  }

  /**
   * Clears state `id`'s table entry, found by the hash of its row packed in `words` words. Entries
   * cleared before it may lie on its probe path: the probe goes past empty entries to its own.
   */
  private clearEntry(id: number, words: number): void {
    const { table } = this;
    const mask = Atomics.load(this.header, MASK);
    let p = hashAt(this.rows, id * words, words) & mask;
    while (table[p] === 0 || (table[p] & mask) - 1 !== id) p = (p + 1) & mask;
    table[p] = 0;
  }

  /** This thread stops touching the table (it waits, or has finished its level). */
  park(): void {
    Atomics.add(this.header, PARKED, 1);
    Atomics.notify(this.header, PARKED);
  }

  /** This thread may touch the table again, once no growth is under way. */
  unpark(): void {
    const header = this.header;
    for (;;) {
      while (Atomics.load(header, GROW) !== 0) Atomics.wait(header, GROW, 1, 20);
      Atomics.sub(header, PARKED, 1);
      if (Atomics.load(header, GROW) === 0) {
        // The layout changes only while this thread is parked (or by its own repack).
        this.packer.refresh();
        return;
      }
      this.park();
    }
  }
}

/**
 * Moves a packed row from `rows[from..]` to `rows[to..]` (`words` words), the ranges possibly
 * overlapping: per moved slot, `plan` holds its old word, shift and mask and its new word and
 * shift; `indices` is scratch for the slots' indices, read before any word is written.
 */
function moveRowInPlace(rows: Int32Array, from: number, to: number, words: number, plan: Int32Array, indices: Int32Array): void {
  const n = indices.length;
  for (let j = 0, q = 0; j < n; j++, q += 5) indices[j] = (rows[from + plan[q]] >>> plan[q + 1]) & plan[q + 2];
  for (let w = 0; w < words; w++) rows[to + w] = 0;
  for (let j = 0, q = 0; j < n; j++, q += 5) rows[to + plan[q + 3]] |= indices[j] << plan[q + 4];
}
