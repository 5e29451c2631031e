// The compiled engine's fingerprint mode (`--fingerprint`): the visited set holds only a 64-bit
// fingerprint per state (two independent 32-bit hash lanes of the int32 row), 8 bytes an entry in
// a table kept 71-85% full, so under 12 bytes per state with nothing else that grows with the
// state count. The rows themselves wait in a frontier queue of pages until they are expanded and
// are then dropped (`forget`), so memory for rows follows the widest breadth-first level, not the
// whole state space. Two fingerprints may collide, merging two states: the report states the
// probability as TLC does. The same store, with a parent fingerprint per entry, rebuilds traces
// (engine.ts, traceTo); FingerprintProbe finds a successor by its fingerprint.
import { PAGE, PAGE_BITS, type RowStore } from './store.js';

const PAGE_MASK = PAGE - 1;
/** Grow the table past this load, by GROWTH (so the load stays between MAX_LOAD / GROWTH and MAX_LOAD). */
const MAX_LOAD = 0.85;
const GROWTH = 1.2;

/** The two 32-bit lanes of a row's fingerprint, left in `fp[0]`, `fp[1]` (never both 0). */
export function fingerprint(row: Int32Array, fp: Uint32Array): void {
  const w = row.length;
  let h = 0x811c9dc5;
  let g = 0x9747b28c;
  for (let i = 0; i < w; i++) {
    const x = row[i];
    h = Math.imul(h ^ x, 0x9e3779b1);
    h ^= h >>> 15;
    g = Math.imul(g ^ x, 0x85ebca6b);
    g ^= g >>> 13;
  }
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h ^= h >>> 15;
  g = Math.imul(g ^ (g >>> 16), 0xc2b2ae35);
  g ^= g >>> 16;
  fp[0] = h;
  fp[1] = h === 0 && g === 0 ? 1 : g;
}

/** Where fingerprint lane `a` (uint32) starts probing in a table of `capacity` entries: a multiply, no division. */
function home(a: number, capacity: number): number {
  return Math.floor(a * capacity * 2.3283064365386963e-10);
}

export class FingerprintStore implements RowStore {
  private count = 0;
  wasNew = false;
  /** The fingerprint of the row last inserted. */
  readonly last = new Uint32Array(2);
  /** With parents: the fingerprint recorded as the parent of each new state (0, 0: none). */
  readonly parent = new Uint32Array(2);

  /** Entries of `stride` words: the fingerprint, then (with parents) the parent's. */
  private readonly stride: number;
  private entries: Uint32Array;
  private capacity = 1021;

  /** The frontier: rows of ids from `firstPage * PAGE` up, by page. */
  private pages: Int32Array[] = [];
  private firstPage = 0;
  private spare: Int32Array | null = null;
  private peak = 0;

  constructor(
    readonly width: number,
    withParents: boolean,
  ) {
    this.stride = withParents ? 4 : 2;
    this.entries = new Uint32Array(this.capacity * this.stride);
  }

  size(): number {
    return this.count;
  }

  /** The visited set: the only part that grows with the number of states. */
  bytes(): number {
    return this.entries.byteLength;
  }

  /** The most bytes the frontier's rows held at once. */
  frontierPeakBytes(): number {
    return this.peak;
  }

  insert(row: Int32Array): number {
    const last = this.last;
    fingerprint(row, last);
    const a = last[0];
    const b = last[1];
    const entries = this.entries;
    const stride = this.stride;
    let p = home(a, this.capacity) * stride;
    for (;;) {
      const x = entries[p];
      const y = entries[p + 1];
      if (x === 0 && y === 0) break;
      if (x === a && y === b) {
        this.wasNew = false;
        return -1;
      }
      p += stride;
      if (p === entries.length) p = 0;
    }
    entries[p] = a;
    entries[p + 1] = b;
    if (stride === 4) {
      entries[p + 2] = this.parent[0];
      entries[p + 3] = this.parent[1];
    }
    const id = this.count++;
    this.enqueue(id, row);
    if (this.count > this.capacity * MAX_LOAD) this.grow();
    this.wasNew = true;
    return id;
  }

  read(id: number, out: Int32Array): void {
    const page = this.pages[(id >>> PAGE_BITS) - this.firstPage];
    const w = this.width;
    const base = (id & PAGE_MASK) * w;
    for (let k = 0; k < w; k++) out[k] = page[base + k];
  }

  slot(id: number, k: number): number {
    return this.pages[(id >>> PAGE_BITS) - this.firstPage][(id & PAGE_MASK) * this.width + k];
  }

  /** Drops the rows of the states below `below` (expanded: never read again). */
  forget(below: number): void {
    while (this.pages.length > 1 && (this.firstPage + 1) * PAGE <= below) {
      this.spare = this.pages.shift()!;
      this.firstPage++;
    }
  }

  /** With parents: the parent fingerprint of fingerprint (a, b) into `out` ((0, 0): an initial state). */
  parentOf(a: number, b: number, out: Uint32Array): void {
    const entries = this.entries;
    let p = home(a, this.capacity) * 4;
    while (entries[p] !== a || entries[p + 1] !== b) {
      if (entries[p] === 0 && entries[p + 1] === 0) throw new Error('trace rebuild: a fingerprint on the path is missing');
      p += 4;
      if (p === entries.length) p = 0;
    }
    out[0] = entries[p + 2];
    out[1] = entries[p + 3];
  }

  private enqueue(id: number, row: Int32Array): void {
    const w = this.width;
    if ((id & PAGE_MASK) === 0) {
      this.pages.push(this.spare ?? new Int32Array(PAGE * Math.max(1, w)));
      this.spare = null;
      this.peak = Math.max(this.peak, this.pages.length * PAGE * w * 4);
    }
    this.pages[(id >>> PAGE_BITS) - this.firstPage].set(row, (id & PAGE_MASK) * w);
  }

  /** A table GROWTH times larger, every fingerprint placed again (no row is read). */
  private grow(): void {
    const old = this.entries;
    const stride = this.stride;
    const capacity = Math.ceil(this.capacity * GROWTH) | 1;
    const entries = new Uint32Array(capacity * stride);
    for (let q = 0; q < old.length; q += stride) {
      const a = old[q];
      if (a === 0 && old[q + 1] === 0) continue;
      let p = home(a, capacity) * stride;
      while (entries[p] !== 0 || entries[p + 1] !== 0) {
        p += stride;
        if (p === entries.length) p = 0;
      }
      for (let j = 0; j < stride; j++) entries[p + j] = old[q + j];
    }
    this.entries = entries;
    this.capacity = capacity;
  }
}

/** A store that keeps nothing: it finds the inserted row whose fingerprint is `want`, copying it to `found`. */
export class FingerprintProbe implements RowStore {
  wasNew = false;
  readonly want = new Uint32Array(2);
  readonly found: Int32Array;
  private readonly fp = new Uint32Array(2);

  constructor(readonly width: number) {
    this.found = new Int32Array(width);
  }

  insert(row: Int32Array): number {
    fingerprint(row, this.fp);
    this.wasNew = this.fp[0] === this.want[0] && this.fp[1] === this.want[1];
    if (this.wasNew) this.found.set(row);
    return -1;
  }

  read(): void {
    throw new Error('a fingerprint probe keeps no states');
  }

  slot(): number {
    throw new Error('a fingerprint probe keeps no states');
  }

  size(): number {
    return 0;
  }

  bytes(): number {
    return 0;
  }
}
