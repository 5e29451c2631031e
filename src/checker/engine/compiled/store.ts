// The compiled engine's exact state store: every distinct state once, bit-packed. Each slot of the
// int32 row has a dictionary that numbers its value codes densely in first-seen order, and a row
// is stored as those small numbers packed into 32-bit words, each slot ceil(log2(dictionary size))
// bits wide (a slot that has only ever held one value takes no bits). A word's spare bits are
// handed to its slots that have grown, as headroom. When a dictionary outgrows its slot's bits the
// slots are placed again and every stored row is repacked (rare: widths only grow, and most growth
// fits the headroom; a few dozen repacks in a search of millions, nearly all while it is small).
// Rows live in fixed-size pages, so growing copies nothing and wastes at most one page. The
// open-addressing hash table holds ids only, hashing and comparing the packed words; an entry's
// bits above the table's index bits (ids stay below the table size) hold the same bits of the
// row's hash, so most probes that miss touch no row. Ids are dense from 0 in insertion order (the
// explorer's queue). Nothing is allocated per state.

/** The store interface the engine needs; FingerprintStore (fingerprint.ts) is the other one. */
export interface RowStore {
  /** Whether the last `insert` stored a new state. */
  wasNew: boolean;
  /** The id of `row`, storing it if it is new (-1 for a known state a store cannot name). */
  insert(row: Int32Array): number;
  /** Copies state `id` into `out`. */
  read(id: number, out: Int32Array): void;
  /** Slot `k` of state `id`. */
  slot(id: number, k: number): number;
  size(): number;
  /** Bytes that grow with the number of states. */
  bytes(): number;
}

/** States per page: 2^PAGE_BITS. */
export const PAGE_BITS = 12;
export const PAGE = 1 << PAGE_BITS;
const PAGE_MASK = PAGE - 1;

/** Bits for a dictionary of `n` codes. */
const bitsFor = (n: number): number => (n <= 1 ? 0 : 32 - Math.clz32(n - 1));

export class PackedStore implements RowStore {
  private count = 0;
  wasNew = false;

  // Per-slot dictionaries: one table over (slot, code) -> dense index, and per slot the codes in
  // index order.
  private readonly dict = new SlotCodeIndex();
  private readonly codes: Int32Array[];
  private readonly sizes: Int32Array;

  // The packing: per slot the bits it has, its word, shift and mask; words per row.
  private readonly alloc: Int32Array;
  private readonly wordOf: Int32Array;
  private readonly shift: Int32Array;
  private readonly slotMask: Int32Array;
  private words = 1;

  private pages: Int32Array[] = [];
  private table: Int32Array;
  private mask: number;

  /** The row being inserted, packed. */
  private packed = new Int32Array(1);
  /**
   * The last row read (the state being expanded), its dense indices and its packed words: a
   * successor is packed by patching those words in the slots that differ from it.
   */
  private readonly ref: Int32Array;
  private readonly refIndex: Int32Array;
  private refPacked = new Int32Array(1);
  private refValid = false;

  constructor(readonly width: number) {
    this.codes = Array.from({ length: width }, () => new Int32Array(4));
    this.sizes = new Int32Array(width);
    this.alloc = new Int32Array(width);
    this.wordOf = new Int32Array(width);
    this.shift = new Int32Array(width);
    this.slotMask = new Int32Array(width);
    this.ref = new Int32Array(width);
    this.refIndex = new Int32Array(width).fill(-1);
    this.table = new Int32Array(1024);
    this.mask = 1023;
    this.assignWords();
  }

  size(): number {
    return this.count;
  }

  bytes(): number {
    const dict = this.dict.bytes() + this.codes.reduce((s, c) => s + c.byteLength, 0);
    return this.pages.length * PAGE * this.words * 4 + this.table.byteLength + dict;
  }

  read(id: number, out: Int32Array): void {
    const page = this.pages[id >>> PAGE_BITS];
    const base = (id & PAGE_MASK) * this.words;
    const { wordOf, shift, slotMask, codes, ref, refIndex, refPacked } = this;
    for (let k = 0; k < this.width; k++) {
      const i = (page[base + wordOf[k]] >>> shift[k]) & slotMask[k];
      const c = codes[k][i];
      out[k] = c;
      ref[k] = c;
      refIndex[k] = i;
    }
    for (let w = 0; w < this.words; w++) refPacked[w] = page[base + w];
    this.refValid = true;
  }

  slot(id: number, k: number): number {
    const page = this.pages[id >>> PAGE_BITS];
    return this.codes[k][(page[(id & PAGE_MASK) * this.words + this.wordOf[k]] >>> this.shift[k]) & this.slotMask[k]];
  }

  insert(row: Int32Array): number {
    while (!this.pack(row));
    const packed = this.packed;
    const words = this.words;
    const table = this.table;
    const pages = this.pages;
    const mask = this.mask;
    const h = hashAt(packed, 0, words);
    const tag = h & ~mask;
    let p = h & mask;
    for (;;) {
      const e = table[p];
      if (e === 0) break;
      if ((e & ~mask) === tag) {
        const id = (e & mask) - 1;
        const page = pages[id >>> PAGE_BITS];
        const base = (id & PAGE_MASK) * words;
        let j = 0;
        while (j < words && page[base + j] === packed[j]) j++;
        if (j === words) {
          this.wasNew = false;
          return id;
        }
      }
      p = (p + 1) & mask;
    }
    const id = this.count++;
    if ((id & PAGE_MASK) === 0) pages.push(new Int32Array(PAGE * words));
    pages[id >>> PAGE_BITS].set(packed, (id & PAGE_MASK) * words);
    table[p] = tag | (id + 1);
    if (this.count * 4 > (mask + 1) * 3) this.rebuildTable((mask + 1) * 2);
    this.wasNew = true;
    return id;
  }

  /** Packs `row` into `packed`; false when a slot had to widen (the layout changed: pack again). */
  private pack(row: Int32Array): boolean {
    const { packed, ref, refIndex, wordOf, shift, alloc } = this;
    if (this.refValid) {
      // Most slots of a successor hold what its parent's hold: patch the parent's words.
      const slotMask = this.slotMask;
      packed.set(this.refPacked);
      for (let k = 0; k < this.width; k++) {
        const c = row[k];
        if (c === ref[k]) continue;
        let i = this.dict.get(k, c);
        if (i < 0) {
          i = this.add(k, c);
          if (bitsFor(i + 1) > alloc[k]) {
            this.widen();
            return false;
          }
        }
        const w = wordOf[k];
        packed[w] = (packed[w] & ~(slotMask[k] << shift[k])) | (i << shift[k]);
      }
      return true;
    }
    packed.fill(0);
    for (let k = 0; k < this.width; k++) {
      const c = row[k];
      let i = c === ref[k] ? refIndex[k] : -1;
      if (i < 0) i = this.dict.get(k, c);
      if (i < 0) {
        i = this.add(k, c);
        if (bitsFor(i + 1) > alloc[k]) {
          this.widen();
          return false;
        }
      }
      packed[wordOf[k]] |= i << shift[k];
    }
    return true;
  }

  /** Adds code `c` to slot `k`'s dictionary; its index. */
  private add(k: number, c: number): number {
    const i = this.sizes[k]++;
    if (i === this.codes[k].length) {
      const grown = new Int32Array(i * 2);
      grown.set(this.codes[k]);
      this.codes[k] = grown;
    }
    this.codes[k][i] = c;
    this.dict.set(k, c, i);
    return i;
  }

  /** A new packing that fits every dictionary, every stored row repacked, the table rebuilt. */
  private widen(): void {
    const oldWords = this.words;
    const oldWordOf = this.wordOf.slice();
    const oldShift = this.shift.slice();
    const oldMask = this.slotMask.slice();
    this.assignWords();
    const { words, wordOf, shift, pages } = this;
    // Only slots that hold bits are moved (a slot of one value is index 0 wherever it lives).
    const moved = Int32Array.from({ length: this.width }, (_, k) => k).filter((k) => oldMask[k] !== 0);
    const n = moved.length;
    const fromWord = Int32Array.from(moved, (k) => oldWordOf[k]);
    const fromShift = Int32Array.from(moved, (k) => oldShift[k]);
    const fromMask = Int32Array.from(moved, (k) => oldMask[k]);
    const toWord = Int32Array.from(moved, (k) => wordOf[k]);
    const toShift = Int32Array.from(moved, (k) => shift[k]);
    for (let pg = 0; pg < pages.length; pg++) {
      const old = pages[pg];
      const next = new Int32Array(PAGE * words);
      const rows = Math.min(PAGE, this.count - pg * PAGE);
      for (let s = 0, from = 0, to = 0; s < rows; s++, from += oldWords, to += words) {
        for (let j = 0; j < n; j++) next[to + toWord[j]] |= ((old[from + fromWord[j]] >>> fromShift[j]) & fromMask[j]) << toShift[j];
      }
      pages[pg] = next;
    }
    this.rebuildTable(this.mask + 1);
    // The last row read, packed in the new layout.
    if (this.refValid) for (let k = 0; k < this.width; k++) this.refPacked[this.wordOf[k]] |= this.refIndex[k] << this.shift[k];
  }

  /** Places the slots for the dictionaries' sizes (placeSlots); a new packed-row buffer. */
  private assignWords(): void {
    const { alloc, wordOf, shift, slotMask } = this;
    this.words = placeSlots(this.sizes, { alloc, wordOf, shift, slotMask });
    this.packed = new Int32Array(this.words);
    this.refPacked = new Int32Array(this.words);
  }

  /** A table of `size` entries holding every stored id again, by the hash of its packed words. */
  private rebuildTable(size: number): void {
    const table = new Int32Array(size);
    const mask = size - 1;
    const words = this.words;
    for (let id = 0; id < this.count; id++) {
      const h = hashAt(this.pages[id >>> PAGE_BITS], (id & PAGE_MASK) * words, words);
      let p = h & mask;
      while (table[p] !== 0) p = (p + 1) & mask;
      table[p] = (h & ~mask) | (id + 1);
    }
    this.table = table;
    this.mask = mask;
  }
}

/** The hash of code `c` in slot `k` (also the parallel search's shared dictionaries'). */
export function dictHash(k: number, c: number): number {
  const h = Math.imul(c ^ Math.imul(k + 1, 0x9e3779b1), 0x85ebca6b);
  return h ^ (h >>> 15);
}

/** An open-addressing table of (slot, code) -> dense index, grown at half full. */
export class SlotCodeIndex {
  /** slot + 1 (0: empty), code, index. */
  private keys = new Int32Array(256);
  private codes = new Int32Array(256);
  private indices = new Int32Array(256);
  private count = 0;

  /** The index of code `c` in slot `k`, or -1. */
  get(k: number, c: number): number {
    const { keys } = this;
    const mask = keys.length - 1;
    for (let p = dictHash(k, c) & mask; ; p = (p + 1) & mask) {
      const key = keys[p];
      if (key === 0) return -1;
      if (key === k + 1 && this.codes[p] === c) return this.indices[p];
    }
  }

  /** Records that code `c` of slot `k` has index `i` (it must not be there yet). */
  set(k: number, c: number, i: number): void {
    if (++this.count * 2 > this.keys.length) {
      const [keys, codes, indices] = [this.keys, this.codes, this.indices];
      this.keys = new Int32Array(keys.length * 2);
      this.codes = new Int32Array(keys.length * 2);
      this.indices = new Int32Array(keys.length * 2);
      for (let p = 0; p < keys.length; p++) if (keys[p] !== 0) this.place(keys[p] - 1, codes[p], indices[p]);
    }
    this.place(k, c, i);
  }

  bytes(): number {
    return this.keys.byteLength * 3;
  }

  private place(k: number, c: number, i: number): void {
    const mask = this.keys.length - 1;
    let p = dictHash(k, c) & mask;
    while (this.keys[p] !== 0) p = (p + 1) & mask;
    this.keys[p] = k + 1;
    this.codes[p] = c;
    this.indices[p] = i;
  }
}

/** The hash of `n` int32s at `a[base..]` (also the parallel search's row hash). */
export function hashAt(a: Int32Array, base: number, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < n; i++) {
    h = Math.imul(h ^ a[base + i], 0x9e3779b1);
    h ^= h >>> 15;
  }
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  return h ^ (h >>> 15);
}

/** Where each slot of a packed row lives: its bits, its word, its shift and mask within the word. */
export interface SlotPlacement {
  alloc: Int32Array;
  wordOf: Int32Array;
  shift: Int32Array;
  slotMask: Int32Array;
}

/**
 * Places the slots of a row in 32-bit words for dictionaries of `sizes` values, in row order, none
 * straddling two words: each slot that has grown with two bits of headroom (room for four times
 * its values), else one, else none, whichever first needs no more words than none; then hands each
 * word's spare bits, one at a time in turn, to its slots that have grown. Returns words per row.
 */
export function placeSlots(sizes: Int32Array, out: SlotPlacement): number {
  const { alloc, wordOf, shift, slotMask } = out;
  const width = sizes.length;
  const bits = Int32Array.from(sizes, bitsFor);
  /** First-fit placement with `headroom` extra bits for each slot that has grown; the words it takes. */
  const place = (headroom: number): number => {
    let word = 0;
    let used = 0;
    for (let k = 0; k < width; k++) {
      alloc[k] = bits[k] === 0 ? 0 : Math.min(32, bits[k] + headroom);
      if (used + alloc[k] > 32) {
        word++;
        used = 0;
      }
      wordOf[k] = word;
      used += alloc[k];
    }
    return word + 1;
  };
  const fewest = place(0);
  if (place(2) > fewest && place(1) > fewest) place(0);
  const used = new Int32Array(fewest);
  for (let k = 0; k < width; k++) used[wordOf[k]] += alloc[k];
  for (let w = 0; w < fewest; w++) {
    const grown = [];
    for (let k = 0; k < width; k++) if (wordOf[k] === w && bits[k] > 0) grown.push(k);
    for (let j = 0; used[w] < 32 && grown.length > 0; j = (j + 1) % grown.length, used[w]++) alloc[grown[j]]++;
  }
  const at = new Int32Array(fewest);
  for (let k = 0; k < width; k++) {
    shift[k] = at[wordOf[k]];
    at[wordOf[k]] += alloc[k];
    slotMask[k] = alloc[k] === 32 ? -1 : (1 << alloc[k]) - 1;
  }
  return fewest;
}
