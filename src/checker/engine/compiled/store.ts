// The compiled engine's exact state store: every distinct state once, bit-packed. Each slot of the
// int32 row has a dictionary that numbers its value codes densely in first-seen order, and a row
// is stored as those small numbers packed into 32-bit words, each slot ceil(log2(dictionary size))
// bits wide (a slot that has only ever held one value takes no bits). A word's spare bits are
// handed to its slots that have grown, as headroom. Rows live in fixed-size pages (growing copies
// nothing and wastes at most one page), and each page keeps the layout it was packed with: when a
// dictionary outgrows its slot's bits, the slots are placed again for the rows to come and only
// the page being filled is repacked; full pages are never touched again, but for the first page,
// repacked once: its layouts leave every slot room to grow (most slots see their second value
// there), and when it is full it is repacked tight, in the layout of the rows to come. A row's hash depends on
// its dense indices, not on a layout (Zobrist: the XOR of a fixed random key per slot and index,
// patched in the slots where a successor differs from its parent, which are looked for only among
// the slots its step may write when the engine says so), so a new layout leaves the
// open-addressing hash table as it is. The table holds ids only; an entry's bits above the table's
// index bits (ids stay below the table size) hold the same bits of the row's hash, so most probes
// that miss touch no row, and (up to tables of 2^DISPLACED_MAX_BITS entries) its top three bits
// how far it sits from its home: the home and those hash bits are the hash up to the top bits, so
// a doubling places every entry again without reading its row (only those 7 or more from home).
// A probe compares packed words with a row of the current layout, and indices slot by slot with
// an older one. Ids are dense from 0 in insertion order (the explorer's
// queue). Nothing is allocated per state.

/** The store interface the engine needs; FingerprintStore (fingerprint.ts) is the other one. */
export interface RowStore {
  /** Whether the last `insert` stored a new state. */
  wasNew: boolean;
  /**
   * The id of `row`, storing it if it is new (-1 for a known state a store cannot name). Given a
   * stored state `parent` and sorted slots `written`, `row` holds what `parent` holds outside them:
   * a store may compare only those with the parent's.
   */
  insert(row: Int32Array, parent?: number, written?: Int32Array | null): number;
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

/**
 * The largest tables whose entries keep their displacement (3 bits, taken from the hash bits kept):
 * the hash keeps at least 6 bits there. Larger tables are rebuilt by reading the rows.
 */
export const DISPLACED_MAX_BITS = 23;
/** An entry's displacement field: bits 29-31; 7 means 7 or more (the row is read). */
const DISPLACEMENT_SHIFT = 29;
const DISPLACEMENT_SATURATED = 7;

/** A bijective 32-bit mixer (MurmurHash3's finaliser). */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The Zobrist key of index `i` in the slot of seed `seed` (slotSeed); PackedStore keeps each slot's beside its codes. */
const zobrist = (seed: number, i: number): number => fmix32(seed ^ Math.imul(i, 0x27d4eb2f));
const slotSeed = (k: number): number => fmix32(k ^ 0x5bd1e995);

/** How the rows of a page are packed (placeSlots), the slots that take bits in it and the hash of the others. */
class Layout implements SlotPlacement {
  readonly alloc: Int32Array;
  readonly wordOf: Int32Array;
  readonly shift: Int32Array;
  readonly slotMask: Int32Array;
  readonly words: number;
  /** The slots with bits; the others hold index 0. */
  readonly packedSlots: Int32Array;
  /** The XOR of the Zobrist keys of index 0 in the slots without bits. */
  readonly unpackedHash: number;
  /** Rows read in this layout, until its reader is generated. */
  private reads = 0;
  private unpacker: Unpacker | null = null;

  /** `early`: a layout of the first page, with headroom for every slot (EARLY_HEADROOM). */
  constructor(
    sizes: Int32Array,
    seeds: Int32Array,
    readonly early: boolean,
  ) {
    const width = sizes.length;
    this.alloc = new Int32Array(width);
    this.wordOf = new Int32Array(width);
    this.shift = new Int32Array(width);
    this.slotMask = new Int32Array(width);
    this.words = placeSlots(sizes, this, early);
    this.packedSlots = slotsWithBits(this.alloc);
    this.unpackedHash = seeds.reduce((h, seed, k) => (this.alloc[k] === 0 ? h ^ zobrist(seed, 0) : h), 0);
  }

  /**
   * Writes the codes of the packed slots of the row at `page[base..]` into `out` and returns its
   * hash. A layout's first rows are read by a loop over its arrays; a layout still in use after
   * GENERATED_AFTER rows gets code of its own, with each slot's word, shift and mask as constants
   * (no loads of the layout's arrays), which costs a compilation: most layouts of a search are
   * short-lived.
   */
  unpack(page: Int32Array, base: number, out: Int32Array, entries: Int32Array[]): number {
    if (this.unpacker) return this.unpacker(page, base, out, entries);
    if (++this.reads === GENERATED_AFTER) this.unpacker = this.generateUnpacker();
    const { wordOf, shift, slotMask, packedSlots } = this;
    let h = this.unpackedHash;
    for (let j = 0; j < packedSlots.length; j++) {
      const k = packedSlots[j];
      const i = (page[base + wordOf[k]] >>> shift[k]) & slotMask[k];
      const entry = entries[k];
      out[k] = entry[2 * i];
      h ^= entry[2 * i + 1];
    }
    return h;
  }

  private generateUnpacker(): Unpacker {
    const words = Array.from({ length: this.words }, (_, w) => `w${w} = page[base + ${w}]`);
    const slots = Array.from(this.packedSlots, (k) => {
      const index = `(w${this.wordOf[k]} >>> ${this.shift[k]}) & ${this.slotMask[k]}`;
      return `i = ${index}; e = entries[${k}]; out[${k}] = e[2 * i]; h ^= e[2 * i + 1];`;
    });
    const body = `const ${words.join(', ')};\nlet i = 0, e, h = ${this.unpackedHash | 0};\n${slots.join('\n')}\nreturn h;`;
    return new Function('page', 'base', 'out', 'entries', body) as Unpacker;
  }
}

/**
 * Bits of headroom of every slot, grown or not, in the layouts of the first page: room for eight
 * values before a slot's first widening. While the first page fills, most slots see their second
 * value, each a widening and a repack in a tight layout (racy_norefs NCPU=3 widened 55 times in
 * its 8,652 states, nearly all in the first 4,096; 6 times with this, the first page's repack
 * when full among them).
 */
const EARLY_HEADROOM = 3;

/** Rows a layout is read in before its reader is generated (Layout.unpack). */
const GENERATED_AFTER = 4096;

/** A layout's generated reader: the packed slots' codes into `out`, the row's hash returned. */
type Unpacker = (page: Int32Array, base: number, out: Int32Array, entries: Int32Array[]) => number;

export class PackedStore implements RowStore {
  private count = 0;
  wasNew = false;

  // Per-slot dictionaries: one table over (slot, code) -> dense index, and per slot the codes in
  // index order, each beside its Zobrist key (code of index i at 2i, key at 2i + 1: reading a row
  // back takes both from one array).
  private readonly dict = new SlotCodeIndex();
  private readonly entries: Int32Array[];
  private readonly sizes: Int32Array;
  /** Per slot, its first code: the code of every row in a slot without bits. */
  private readonly firstCodes: Int32Array;
  /** Per slot, the seed of its Zobrist keys. */
  private readonly seeds: Int32Array;

  /** The layout of the rows to come. */
  private layout: Layout;
  private readonly pages: Int32Array[] = [];
  /** The layout each page was packed with. */
  private readonly pageLayouts: Layout[] = [];
  private table: Int32Array;
  private mask = 0;
  /** The bits of an entry that hold hash bits: above the index bits, below the displacement when kept. */
  private tagMask = 0;
  /** Whether entries keep their displacement (tables of up to 2^displacedMaxBits entries). */
  private displaced = true;
  /** The hashes of one page's rows, while the table is rebuilt. */
  private readonly pageHashes = new Int32Array(PAGE);

  /** The row being inserted, packed in the current layout, and its hash (before fmix32). */
  private packed: Int32Array;
  private hash = 0;
  /**
   * The last row read (the state being expanded), its packed words in the current layout (which
   * hold its dense indices) and its hash: a successor is packed by patching those in the slots that
   * differ.
   */
  private readonly ref: Int32Array;
  private refPacked: Int32Array;
  private refHash = 0;
  /** The state in `ref` (-1: none). */
  private refId = -1;

  /** `displacedMaxBits`: see DISPLACED_MAX_BITS (smaller in tests, to reach larger tables' rebuild). */
  constructor(
    readonly width: number,
    private readonly displacedMaxBits = DISPLACED_MAX_BITS,
  ) {
    this.entries = Array.from({ length: width }, () => new Int32Array(8));
    this.seeds = Int32Array.from({ length: width }, (_, k) => slotSeed(k));
    this.sizes = new Int32Array(width);
    this.firstCodes = new Int32Array(width);
    this.ref = new Int32Array(width);
    this.table = new Int32Array(1024);
    this.setTableSize(1024);
    this.layout = new Layout(this.sizes, this.seeds, true);
    this.packed = new Int32Array(this.layout.words);
    this.refPacked = new Int32Array(this.layout.words);
  }

  size(): number {
    return this.count;
  }

  bytes(): number {
    const sum = (arrays: Int32Array[]): number => arrays.reduce((s, a) => s + a.byteLength, 0);
    return sum(this.pages) + this.table.byteLength + this.dict.bytes() + sum(this.entries);
  }

  read(id: number, out: Int32Array): void {
    const pg = id >>> PAGE_BITS;
    const page = this.pages[pg];
    const from = this.pageLayouts[pg];
    const base = (id & PAGE_MASK) * from.words;
    const { ref, refPacked, layout } = this;
    // The slots without bits hold their first codes (index 0): only the others are read.
    out.set(this.firstCodes);
    this.refHash = from.unpack(page, base, out, this.entries);
    ref.set(out);
    if (from === layout) for (let w = 0; w < layout.words; w++) refPacked[w] = page[base + w];
    else {
      refPacked.fill(0);
      moveRow(page, base, from, refPacked, 0, layout);
    }
    this.refId = id;
  }

  slot(id: number, k: number): number {
    const pg = id >>> PAGE_BITS;
    const from = this.pageLayouts[pg];
    return this.entries[k][2 * ((this.pages[pg][(id & PAGE_MASK) * from.words + from.wordOf[k]] >>> from.shift[k]) & from.slotMask[k])];
  }

  /**
   * `of` slot `k`'s code, for each of states 0..n-1, into `out`, a page at a time: `of` is called
   * once for each code the slot has held, each state's is read through its dictionary index.
   */
  column(k: number, n: number, out: Int32Array, of: (code: number) => number): void {
    const entry = this.entries[k];
    const mapped = Int32Array.from({ length: this.sizes[k] }, (_, i) => of(entry[2 * i]));
    for (let pg = 0, id = 0; id < n; pg++) {
      const page = this.pages[pg];
      const { words, wordOf, shift, slotMask } = this.pageLayouts[pg];
      const [from, bits] = [shift[k], slotMask[k]];
      for (let at = wordOf[k], end = Math.min(n, id + PAGE); id < end; id++, at += words) out[id] = mapped[(page[at] >>> from) & bits];
    }
  }

  insert(row: Int32Array, parent = -1, written: Int32Array | null = null): number {
    const changed = parent >= 0 && parent === this.refId ? written : null;
    while (!this.pack(row, changed));
    const { packed, table, pages, pageLayouts, layout, mask } = this;
    const words = layout.words;
    const h = fmix32(this.hash);
    const tagMask = this.tagMask;
    const tag = h & tagMask;
    const home = h & mask;
    let p = home;
    for (;;) {
      const e = table[p];
      if (e === 0) break;
      if ((e & tagMask) === tag) {
        const id = (e & mask) - 1;
        const pg = id >>> PAGE_BITS;
        const from = pageLayouts[pg];
        const page = pages[pg];
        let same: boolean;
        if (from === layout) {
          const base = (id & PAGE_MASK) * words;
          let j = 0;
          while (j < words && page[base + j] === packed[j]) j++;
          same = j === words;
        } else same = this.samePacked(page, (id & PAGE_MASK) * from.words, from);
        if (same) {
          this.wasNew = false;
          return id;
        }
      }
      p = (p + 1) & mask;
    }
    const id = this.count++;
    if ((id & PAGE_MASK) === 0) {
      pages.push(new Int32Array(PAGE * words));
      pageLayouts.push(layout);
    }
    pages[id >>> PAGE_BITS].set(packed, (id & PAGE_MASK) * words);
    table[p] = this.entry(h, id + 1, (p - home) & mask);
    if (this.count * 4 > (mask + 1) * 3) this.rebuildTable((mask + 1) * 2);
    // The first page is full: it is repacked tight, in the layout of the rows to come (its wider
    // rows would cost a small search bytes per state).
    if (this.count === PAGE && this.layout.early) this.widen(PAGE);
    this.wasNew = true;
    return id;
  }

  /** Whether the row at `page[base..]`, packed in layout `from`, holds the indices of `packed` (current layout). */
  private samePacked(page: Int32Array, base: number, from: Layout): boolean {
    const { packed, layout } = this;
    for (let k = 0; k < this.width; k++) {
      const stored = (page[base + from.wordOf[k]] >>> from.shift[k]) & from.slotMask[k];
      if (stored !== ((packed[layout.wordOf[k]] >>> layout.shift[k]) & layout.slotMask[k])) return false;
    }
    return true;
  }

  /**
   * Packs `row` into `packed` and its hash into `hash`; false when a slot had to widen (the layout
   * changed: pack again). `changed`: the only slots where `row` may differ from `ref` (null: any).
   */
  private pack(row: Int32Array, changed: Int32Array | null): boolean {
    const { packed, ref, entries } = this;
    const { wordOf, shift, alloc } = this.layout;
    if (this.refId >= 0) {
      // Most slots of a successor hold what its parent's hold: patch the parent's words and hash.
      const slotMask = this.layout.slotMask;
      // A few words: a loop costs less than set()'s call.
      const refPacked = this.refPacked;
      for (let w = 0; w < packed.length; w++) packed[w] = refPacked[w];
      let h = this.refHash;
      const n = changed === null ? this.width : changed.length;
      for (let j = 0; j < n; j++) {
        const k = changed === null ? j : changed[j];
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
        // The parent's index, from its packed words (those of `ref`).
        const w = wordOf[k];
        const was = (packed[w] >>> shift[k]) & slotMask[k];
        h ^= entries[k][2 * was + 1] ^ entries[k][2 * i + 1];
        packed[w] = (packed[w] & ~(slotMask[k] << shift[k])) | (i << shift[k]);
      }
      this.hash = h;
      return true;
    }
    packed.fill(0);
    let h = 0;
    for (let k = 0; k < this.width; k++) {
      const c = row[k];
      let i = this.dict.get(k, c);
      if (i < 0) {
        i = this.add(k, c);
        if (bitsFor(i + 1) > alloc[k]) {
          this.widen();
          return false;
        }
      }
      h ^= entries[k][2 * i + 1];
      packed[wordOf[k]] |= i << shift[k];
    }
    this.hash = h;
    return true;
  }

  /** Adds code `c` to slot `k`'s dictionary; its index. */
  private add(k: number, c: number): number {
    const i = this.sizes[k]++;
    if (2 * i === this.entries[k].length) this.entries[k] = grow(this.entries[k]);
    this.entries[k][2 * i] = c;
    this.entries[k][2 * i + 1] = zobrist(this.seeds[k], i);
    if (i === 0) this.firstCodes[k] = c;
    this.dict.set(k, c, i);
    return i;
  }

  /**
   * A new layout that fits every dictionary, for the rows to come: the `rows` rows of the last
   * page (those of the page being filled) are repacked in it (their ids must stay where they
   * are); full pages keep theirs, and the table its entries (hashes do not depend on layouts).
   */
  private widen(rows = this.count & PAGE_MASK): void {
    const old = this.layout;
    const layout = (this.layout = new Layout(this.sizes, this.seeds, this.count < PAGE));
    this.packed = new Int32Array(layout.words);
    const refPacked = this.refPacked;
    this.refPacked = new Int32Array(layout.words);
    if (this.refId >= 0) moveRow(refPacked, 0, old, this.refPacked, 0, layout);
    if (rows !== 0) {
      const pg = this.pages.length - 1;
      const from = this.pages[pg];
      const to = new Int32Array(PAGE * layout.words);
      for (let s = 0, a = 0, b = 0; s < rows; s++, a += old.words, b += layout.words) moveRow(from, a, old, to, b, layout);
      this.pages[pg] = to;
      this.pageLayouts[pg] = layout;
    }
  }

  /** The mask, tag bits and displacement field of a table of `size` entries. */
  private setTableSize(size: number): void {
    this.mask = size - 1;
    this.displaced = size <= 2 ** this.displacedMaxBits;
    this.tagMask = ~this.mask & (this.displaced ? (1 << DISPLACEMENT_SHIFT) - 1 : -1);
  }

  /** Places entry `id + 1` of hash `h` (the bits above the new table's index bits and tag, at least) in `table`. */
  private place(table: Int32Array, h: number, idPlusOne: number): void {
    const { mask } = this;
    const home = h & mask;
    let p = home;
    while (table[p] !== 0) p = (p + 1) & mask;
    table[p] = this.entry(h, idPlusOne, (p - home) & mask);
  }

  /** The table entry of id `idPlusOne - 1`, of hash `h`, placed `displacement` past its home. */
  private entry(h: number, idPlusOne: number, displacement: number): number {
    return (h & this.tagMask) | idPlusOne | (this.displaced ? Math.min(displacement, DISPLACEMENT_SATURATED) << DISPLACEMENT_SHIFT : 0);
  }

  /**
   * A table of `size` (twice the size) entries holding every stored id again. While both keep
   * displacements, an entry's home in the old table and its hash bits above it give its hash up
   * to the displacement bits, all the new table needs: its row is read only when it sat 7 or more
   * from home. Otherwise every row's hash is computed again from its indices, read through its
   * page's layout a page at a time, slot by slot (each slot's place read once).
   */
  private rebuildTable(size: number): void {
    const [old, oldMask, oldDisplaced, oldTagMask] = [this.table, this.mask, this.displaced, this.tagMask];
    this.setTableSize(size);
    const table = new Int32Array(size);
    if (oldDisplaced && this.displaced) {
      for (let p = 0; p <= oldMask; p++) {
        const e = old[p];
        if (e === 0) continue;
        const idPlusOne = e & oldMask;
        const d = e >>> DISPLACEMENT_SHIFT;
        const h = d < DISPLACEMENT_SATURATED ? (e & oldTagMask) | ((p - d) & oldMask) : fmix32(this.rowHash(idPlusOne - 1));
        this.place(table, h, idPlusOne);
      }
    } else {
      const { entries, pageHashes } = this;
      for (let pg = 0, id = 0; pg < this.pages.length; pg++) {
        const page = this.pages[pg];
        const { words, wordOf, shift, slotMask, packedSlots, unpackedHash } = this.pageLayouts[pg];
        const rows = Math.min(PAGE, this.count - pg * PAGE);
        pageHashes.fill(unpackedHash);
        for (let j = 0; j < packedSlots.length; j++) {
          const k = packedSlots[j];
          const entry = entries[k];
          const from = shift[k];
          const bits = slotMask[k];
          for (let s = 0, at = wordOf[k]; s < rows; s++, at += words) pageHashes[s] ^= entry[2 * ((page[at] >>> from) & bits) + 1];
        }
        for (let s = 0; s < rows; s++, id++) this.place(table, fmix32(pageHashes[s]), id + 1);
      }
    }
    this.table = table;
  }

  /** The hash (before fmix32) of state `id`'s indices. */
  private rowHash(id: number): number {
    const pg = id >>> PAGE_BITS;
    const page = this.pages[pg];
    const { words, wordOf, shift, slotMask, packedSlots, unpackedHash } = this.pageLayouts[pg];
    const base = (id & PAGE_MASK) * words;
    let h = unpackedHash;
    for (let j = 0; j < packedSlots.length; j++) {
      const k = packedSlots[j];
      h ^= this.entries[k][2 * ((page[base + wordOf[k]] >>> shift[k]) & slotMask[k]) + 1];
    }
    return h;
  }
}

/** `a` in an array twice its length. */
function grow(a: Int32Array): Int32Array {
  const grown = new Int32Array(a.length * 2);
  grown.set(a);
  return grown;
}

/** ORs the row at `from[a..]`, packed in layout `old`, into the zeroed words at `to[b..]` in layout `layout`. */
function moveRow(from: Int32Array, a: number, old: Layout, to: Int32Array, b: number, layout: Layout): void {
  const moved = old.packedSlots;
  for (let j = 0; j < moved.length; j++) {
    const k = moved[j];
    to[b + layout.wordOf[k]] |= ((from[a + old.wordOf[k]] >>> old.shift[k]) & old.slotMask[k]) << layout.shift[k];
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

/** The hash of `n` int32s at `a[base..]` (the parallel search's packed rows and value tokens). */
export function hashAt(a: Int32Array, base: number, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < n; i++) {
    h = Math.imul(h ^ a[base + i], 0x9e3779b1);
    h ^= h >>> 15;
  }
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  return h ^ (h >>> 15);
}

/** The slots that take bits in a placement (`alloc`): the others hold index 0 in every row. */
export function slotsWithBits(alloc: Int32Array): Int32Array {
  return Int32Array.from({ length: alloc.length }, (_, k) => k).filter((k) => alloc[k] !== 0);
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
 * word's spare bits, one at a time in turn, to its slots that have grown. `early`: every slot gets
 * EARLY_HEADROOM bits more than its values need, whatever the words. Returns words per row.
 */
export function placeSlots(sizes: Int32Array, out: SlotPlacement, early = false): number {
  const { alloc, wordOf, shift, slotMask } = out;
  const width = sizes.length;
  const bits = Int32Array.from(sizes, bitsFor);
  /** First-fit placement with `headroom` extra bits for each slot that has grown (`unused` for the others); the words it takes. */
  const place = (headroom: number, unused = 0): number => {
    let word = 0;
    let used = 0;
    for (let k = 0; k < width; k++) {
      alloc[k] = bits[k] === 0 ? unused : Math.min(32, bits[k] + headroom);
      if (used + alloc[k] > 32) {
        word++;
        used = 0;
      }
      wordOf[k] = word;
      used += alloc[k];
    }
    return word + 1;
  };
  // The words of the placement kept: the early one, else the fewest (no headroom), which the
  // placements with headroom may take only if they need no more.
  const words = early ? place(EARLY_HEADROOM, EARLY_HEADROOM) : place(0);
  if (!early && place(2) > words && place(1) > words) place(0);
  const used = new Int32Array(words);
  for (let k = 0; k < width; k++) used[wordOf[k]] += alloc[k];
  for (let w = 0; w < words; w++) {
    const grown = [];
    for (let k = 0; k < width; k++) if (wordOf[k] === w && bits[k] > 0) grown.push(k);
    for (let j = 0; used[w] < 32 && grown.length > 0; j = (j + 1) % grown.length, used[w]++) alloc[grown[j]]++;
  }
  const at = new Int32Array(words);
  for (let k = 0; k < width; k++) {
    shift[k] = at[wordOf[k]];
    at[wordOf[k]] += alloc[k];
    slotMask[k] = alloc[k] === 32 ? -1 : (1 << alloc[k]) - 1;
  }
  return words;
}
