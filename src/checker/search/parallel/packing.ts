// Bit-packed rows for the shared store (shared.ts), packed as the one-thread store packs them
// (../compiled/store.ts): each slot has a dictionary numbering the global codes it has held, and
// a row is stored as those numbers in placeSlots' layout. The dictionaries and the layout live in
// shared memory, in global codes. An entry is added under a lock and read without one (its key
// word is written last). The layout changes only while every other thread is parked, when a slot
// has outgrown its bits (shared.ts then repacks every row); each thread keeps a copy of it,
// refreshed when its generation moves. As in the one-thread store, the layouts of the first PAGE
// states give every slot EARLY_HEADROOM bits of room (most slots see their first few values
// there), and the rows are repacked tight once PAGE states are stored (shared.ts). Since a repack
// rewrites every stored row, one made late (a large store) gives each slot that has grown since
// the layout before room to grow fourfold, so that a slot growing steadily late in a search costs
// one repack, not one per bit. As in the one-thread store, a successor is packed by patching the
// packed words of its parent (the row last unpacked) in the slots that differ.
import { dictHash, PAGE, placeSlots, SlotCodeIndex, slotsWithBits, type SlotPlacement } from '../../engine/compiled/store.js';
import type { CodeMap } from './codes.js';
import { lock, unlock } from './sync.js';

/** Most values one slot may hold, and dictionary entries over all slots (buffers are reserved, not committed). */
const SLOT_VALUES = 1 << 20;
const DICT_ENTRIES = 1 << 22;
/**
 * A repack of at least this many states widens each slot that has grown since the last layout by
 * LATE_HEADROOM bits more than its values need (below it, repacks are cheap: placeSlots' spare bits).
 */
export const LATE_REPACK = 1 << 16;
const LATE_HEADROOM = 2;
/** What a search that reached those limits reports. */
export const SLOT_VALUES_TEXT = 'a variable taking more than 1,048,576 values (the most the shared store of --workers packs per slot; one worker has no such limit)';

// Words of the layout buffer before the per-slot arrays.
const LOCK = 0;
const GENERATION = 1;
const WORDS = 2;
const ENTRIES = 3;
/** 1 while the layout is an early one (placeSlots' `early`: fewer than PAGE states stored when it was made). */
const EARLY = 4;
const LAYOUT_HEAD = 5;

export interface PackingBuffers {
  /** Open-addressing table of entries (slot + 1, global code, dense index), 3 words each. */
  dict: SharedArrayBuffer;
  /** Per slot, its codes by dense index, at slot * SLOT_VALUES + index. */
  codes: SharedArrayBuffer;
  /** Per slot, how many codes it has. */
  sizes: SharedArrayBuffer;
  /** The lock, the generation, words per row, entries in use, whether the layout is early; then alloc, wordOf, shift, slotMask per slot, and the slot's size when the layout was made. */
  layout: SharedArrayBuffer;
}

export function allocatePacking(width: number): PackingBuffers {
  const b: PackingBuffers = {
    dict: new SharedArrayBuffer(DICT_ENTRIES * 3 * 4),
    codes: new SharedArrayBuffer(Math.max(1, width) * SLOT_VALUES * 4),
    sizes: new SharedArrayBuffer(Math.max(1, width) * 4),
    layout: new SharedArrayBuffer((LAYOUT_HEAD + 5 * width) * 4),
  };
  const layout = new Int32Array(b.layout);
  layout[WORDS] = placeSlots(new Int32Array(width), sharedPlacement(layout, width), true);
  layout[EARLY] = 1;
  return b;
}

/** Per-slot array `i` of a layout buffer: 0-3 the placement's, 4 the sizes it was made for. */
function perSlot(layout: Int32Array, width: number, i: number): Int32Array {
  return layout.subarray(LAYOUT_HEAD + i * width, LAYOUT_HEAD + (i + 1) * width);
}

/** The per-slot arrays of a layout buffer, as a placement. */
function sharedPlacement(layout: Int32Array, width: number): SlotPlacement {
  return { alloc: perSlot(layout, width, 0), wordOf: perSlot(layout, width, 1), shift: perSlot(layout, width, 2), slotMask: perSlot(layout, width, 3) };
}

/** Thrown when a dictionary is full: the search stops as incomplete (shared.ts, explore.ts). */
export const DICTIONARY_FULL = new Error('a slot dictionary of the shared store is full');

/**
 * One thread's packer: the shared dictionaries, a copy of the layout, its parent row. Rows come in
 * and go out in this thread's own value codes (codes.ts); the dictionaries hold global codes, and
 * this thread keeps both directions of what it has met (slot and own code -> index, slot and
 * index -> own code), so a code is translated once per slot, not per row.
 */
export class Packer {
  readonly width: number;
  words = 1;
  /** The row last packed. */
  packed = new Int32Array(1);
  private readonly dict: Int32Array;
  private readonly codes: Int32Array;
  private readonly sizes: Int32Array;
  private readonly layout: Int32Array;
  private readonly shared: SlotPlacement;
  private readonly local: SlotPlacement;
  private generation = -1;
  /** Whether this thread's copy of the layout is an early one. */
  private early = true;
  /** The row last unpacked (this thread's codes) and its packed words. */
  private readonly ref: Int32Array;
  private refPacked = new Int32Array(1);
  private refValid = false;
  /** The slots with bits in this thread's layout; each other slot holds index 0 in every row. */
  private packedSlots: Int32Array = new Int32Array(0);
  /** Per slot, this thread's code of index 0 (filled at the first unpack: dictionary entries never change). */
  private readonly firstOwn: Int32Array;
  private firstOwnValid = false;
  /** (slot, own code) -> index, for the codes met so far: a table that fits in cache. */
  private readonly known = new SlotCodeIndex();
  /** Per slot, index -> own code, for the indices met so far (dictionary entries never change). */
  private readonly ownCodes: Int32Array[];
  private translate: CodeMap | null = null;

  constructor(buffers: PackingBuffers, width: number) {
    this.width = width;
    this.dict = new Int32Array(buffers.dict);
    this.codes = new Int32Array(buffers.codes);
    this.sizes = new Int32Array(buffers.sizes);
    this.layout = new Int32Array(buffers.layout);
    this.shared = sharedPlacement(this.layout, width);
    this.local = { alloc: new Int32Array(width), wordOf: new Int32Array(width), shift: new Int32Array(width), slotMask: new Int32Array(width) };
    this.ref = new Int32Array(width);
    this.firstOwn = new Int32Array(width);
    this.ownCodes = Array.from({ length: width }, () => new Int32Array(0));
    this.refresh();
  }

  /** The thread's code map: rows are in its codes from now on. */
  useCodes(codes: CodeMap): void {
    this.translate = codes;
  }

  /** Whether the layout is an early one, due to be made tight now that state `id` is stored. */
  tightenDue(id: number): boolean {
    return this.early && id >= PAGE - 1;
  }

  /** Takes the layout again if it has changed (only while this thread was parked). */
  refresh(): void {
    const generation = Atomics.load(this.layout, GENERATION);
    if (generation === this.generation) return;
    this.generation = generation;
    // The parent's indices, read from its words in the layout they were packed with.
    const { wordOf, shift, slotMask } = this.local;
    const refIndex = this.refValid ? Int32Array.from({ length: this.width }, (_, k) => (this.refPacked[wordOf[k]] >>> shift[k]) & slotMask[k]) : null;
    this.words = this.layout[WORDS];
    this.early = this.layout[EARLY] === 1;
    for (const key of ['alloc', 'wordOf', 'shift', 'slotMask'] as const) this.local[key].set(this.shared[key]);
    this.packedSlots = slotsWithBits(this.local.alloc);
    this.packed = new Int32Array(this.words);
    this.refPacked = new Int32Array(this.words);
    if (refIndex) this.packInto(refIndex, this.refPacked);
  }

  /**
   * Packs `row` into `packed`, adding its codes to the dictionaries; false when some slot needs
   * more bits than it has (the layout must grow first). `written`: the sorted slots where `row` may
   * differ from the row last unpacked (its parent); only those are compared with it.
   */
  pack(row: Int32Array, written: Int32Array | null = null): boolean {
    const { packed, ref } = this;
    const { wordOf, shift, slotMask } = this.local;
    const patch = this.refValid;
    if (patch) packed.set(this.refPacked);
    else packed.fill(0);
    const only = patch ? written : null;
    for (let j = 0, n = only ? only.length : this.width; j < n; j++) {
      const k = only ? only[j] : j;
      const c = row[k];
      if (patch && c === ref[k]) continue;
      let i = this.known.get(k, c);
      if (i < 0) {
        const g = this.translate!.global(c);
        i = this.indexOf(k, g);
        if (i < 0) i = this.add(k, g);
        this.known.set(k, c, i);
      }
      if ((i & ~slotMask[k]) !== 0) return false;
      const w = wordOf[k];
      packed[w] = (packed[w] & ~(slotMask[k] << shift[k])) | (i << shift[k]);
    }
    return true;
  }

  /** Packs `row` into `packed` without adding codes; false if a code is in no dictionary (no stored row holds it). */
  packKnown(row: Int32Array): boolean {
    const { wordOf, shift } = this.local;
    this.packed.fill(0);
    for (let k = 0; k < this.width; k++) {
      const i = this.indexOf(k, this.translate!.global(row[k]));
      if (i < 0) return false;
      this.packed[wordOf[k]] |= i << shift[k];
    }
    return true;
  }

  /** Unpacks the row at `rows[base..]` into `out`; it becomes the parent successors are patched from. */
  unpack(rows: Int32Array, base: number, out: Int32Array): void {
    const { wordOf, shift, slotMask } = this.local;
    const { packedSlots, firstOwn } = this;
    // A row is stored, so every slot's dictionary has its index 0 by now.
    if (!this.firstOwnValid) for (let k = 0; k < this.width; k++) firstOwn[k] = this.ownCode(k, 0);
    this.firstOwnValid = true;
    out.set(firstOwn);
    for (let j = 0; j < packedSlots.length; j++) {
      const k = packedSlots[j];
      out[k] = this.ownCode(k, (rows[base + wordOf[k]] >>> shift[k]) & slotMask[k]);
    }
    this.ref.set(out);
    for (let w = 0; w < this.words; w++) this.refPacked[w] = rows[base + w];
    this.refValid = true;
  }

  /** Slot `k` of the row at `rows[base..]`. */
  slot(rows: Int32Array, base: number, k: number): number {
    const { wordOf, shift, slotMask } = this.local;
    return this.ownCode(k, (rows[base + wordOf[k]] >>> shift[k]) & slotMask[k]);
  }

  /** This thread's code for index `i` of slot `k`, translating the entries not met yet. */
  private ownCode(k: number, i: number): number {
    let own = this.ownCodes[k];
    if (i >= own.length) {
      const size = Math.max(Atomics.load(this.sizes, k), i + 1);
      const grown = new Int32Array(size);
      grown.set(own);
      for (let j = own.length; j < size; j++) grown[j] = this.translate!.local(this.codes[k * SLOT_VALUES + j]);
      this.ownCodes[k] = own = grown;
    }
    return own[i];
  }

  /** Packs dense indices into `out` with this thread's layout. */
  private packInto(indices: Int32Array, out: Int32Array): void {
    const { wordOf, shift } = this.local;
    out.fill(0);
    for (let k = 0; k < this.width; k++) out[wordOf[k]] |= indices[k] << shift[k];
  }

  /** The dense index of global code `g` in slot `k`'s dictionary, or -1 (no lock: an entry's key word is written last). */
  private indexOf(k: number, g: number): number {
    const dict = this.dict;
    const mask = DICT_ENTRIES - 1;
    for (let p = dictHash(k, g) & mask; ; p = (p + 1) & mask) {
      const key = Atomics.load(dict, 3 * p);
      if (key === 0) return -1;
      if (key === k + 1 && dict[3 * p + 1] === g) return dict[3 * p + 2];
    }
  }

  /** Adds global code `g` to slot `k`'s dictionary, unless another thread just has; its dense index. */
  private add(k: number, g: number): number {
    const { dict, layout } = this;
    lock(layout, LOCK);
    try {
      const mask = DICT_ENTRIES - 1;
      let p = dictHash(k, g) & mask;
      for (; dict[3 * p] !== 0; p = (p + 1) & mask) if (dict[3 * p] === k + 1 && dict[3 * p + 1] === g) return dict[3 * p + 2];
      const i = this.sizes[k];
      if (i === SLOT_VALUES || layout[ENTRIES] * 2 >= DICT_ENTRIES) throw DICTIONARY_FULL;
      this.codes[k * SLOT_VALUES + i] = g;
      Atomics.store(this.sizes, k, i + 1);
      layout[ENTRIES]++;
      dict[3 * p + 1] = g;
      dict[3 * p + 2] = i;
      Atomics.store(dict, 3 * p, k + 1);
      return i;
    } finally {
      unlock(layout, LOCK);
    }
  }
}

/**
 * A layout for the dictionaries as they are now, made while every other thread is parked, for a
 * store of `stored` states (an early one below PAGE); the placement rows were packed with until
 * now, and its words per row.
 */
export function relayout(buffers: PackingBuffers, width: number, stored: number): { old: SlotPlacement; oldWords: number; next: SlotPlacement; words: number } {
  const layout = new Int32Array(buffers.layout);
  const next = sharedPlacement(layout, width);
  const old: SlotPlacement = { alloc: next.alloc.slice(), wordOf: next.wordOf.slice(), shift: next.shift.slice(), slotMask: next.slotMask.slice() };
  const oldWords = layout[WORDS];
  const sizes = new Int32Array(buffers.sizes).slice();
  const before = perSlot(layout, width, 4);
  // The sizes placed: a slot that has grown since the last layout counts as 2^LATE_HEADROOM times its size.
  const planned = sizes.slice();
  if (stored >= LATE_REPACK) for (let k = 0; k < width; k++) if (sizes[k] > before[k] && sizes[k] > 1) planned[k] = Math.min(SLOT_VALUES, sizes[k] << LATE_HEADROOM);
  before.set(sizes);
  const early = stored < PAGE;
  const words = placeSlots(planned, next, early);
  layout[WORDS] = words;
  layout[EARLY] = early ? 1 : 0;
  Atomics.add(layout, GENERATION, 1);
  return { old, oldWords, next, words };
}

/** Bytes the dictionaries hold now. */
export function packingBytes(buffers: PackingBuffers): number {
  const sizes = new Int32Array(buffers.sizes);
  let values = 0;
  for (let k = 0; k < sizes.length; k++) values += sizes[k];
  return values * 16;
}

