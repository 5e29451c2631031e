// The compiled engine's state store: every distinct state once, as a fixed-width int32 row in one
// growable array, found again through an open-addressing hash table kept in typed arrays. Ids are
// dense from 0 in insertion order (the explorer's queue). Nothing is allocated per state.

const EMPTY = 0;

export class StateStore {
  private data: Int32Array;
  private count = 0;
  /** Per table entry: id + 1 (0: empty), and the second hash lane for quick rejection. */
  private ids: Int32Array;
  private check: Uint32Array;
  /** Per id: its first hash lane, so that growing the table reads no rows. */
  private lanes: Uint32Array;
  private mask: number;
  /** Whether the last `insert` stored a new state. */
  wasNew = false;

  constructor(readonly width: number) {
    this.data = new Int32Array(Math.max(1, width) * 1024);
    this.lanes = new Uint32Array(1024);
    this.ids = new Int32Array(2048);
    this.check = new Uint32Array(2048);
    this.mask = 2047;
  }

  size(): number {
    return this.count;
  }

  bytes(): number {
    return this.data.byteLength + this.lanes.byteLength + this.ids.byteLength + this.check.byteLength;
  }

  /** Copies state `id` into `out`. */
  read(id: number, out: Int32Array): void {
    const w = this.width;
    const base = id * w;
    const data = this.data;
    for (let i = 0; i < w; i++) out[i] = data[base + i];
  }

  /** Slot `k` of state `id`. */
  slot(id: number, k: number): number {
    return this.data[id * this.width + k];
  }

  /** The id of `row`, storing it if it is new (`wasNew` says which). */
  insert(row: Int32Array): number {
    const w = this.width;
    const h1 = lane1(row, w);
    const h2 = lane2(row, w);
    const ids = this.ids;
    const check = this.check;
    const data = this.data;
    const mask = this.mask;
    let p = h1 & mask;
    for (;;) {
      const e = ids[p];
      if (e === EMPTY) break;
      if (check[p] === h2) {
        const base = (e - 1) * w;
        let i = 0;
        while (i < w && data[base + i] === row[i]) i++;
        if (i === w) {
          this.wasNew = false;
          return e - 1;
        }
      }
      p = (p + 1) & mask;
    }
    const id = this.count++;
    if (id === this.lanes.length) this.grow();
    this.data.set(row, id * w);
    this.lanes[id] = h1;
    ids[p] = id + 1;
    check[p] = h2;
    if (this.count * 10 > (mask + 1) * 6) this.growTable();
    this.wasNew = true;
    return id;
  }

  private grow(): void {
    const data = new Int32Array(this.data.length * 2);
    data.set(this.data);
    this.data = data;
    const lanes = new Uint32Array(this.lanes.length * 2);
    lanes.set(this.lanes);
    this.lanes = lanes;
  }

  /** Doubles the table, placing every stored state again by its first hash lane. */
  private growTable(): void {
    const size = (this.mask + 1) * 2;
    const ids = new Int32Array(size);
    const check = new Uint32Array(size);
    const mask = size - 1;
    const old = this.ids;
    const oldCheck = this.check;
    for (let q = 0; q < old.length; q++) {
      const e = old[q];
      if (e === EMPTY) continue;
      let p = this.lanes[e - 1] & mask;
      while (ids[p] !== EMPTY) p = (p + 1) & mask;
      ids[p] = e;
      check[p] = oldCheck[q];
    }
    this.ids = ids;
    this.check = check;
    this.mask = mask;
  }
}

/** The first 32-bit hash lane of a row: where a state goes in the table. */
function lane1(a: Int32Array, w: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < w; i++) {
    h = Math.imul(h ^ a[i], 0x9e3779b1);
    h ^= h >>> 15;
  }
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  return h ^ (h >>> 15);
}

/** The second, independent lane: kept per table entry to reject most mismatches without a compare. */
function lane2(a: Int32Array, w: number): number {
  let h = 0x9747b28c;
  for (let i = 0; i < w; i++) {
    h = Math.imul(h ^ a[i], 0x85ebca6b);
    h ^= h >>> 13;
  }
  return (Math.imul(h ^ (h >>> 16), 0xc2b2ae35) ^ (h >>> 16)) >>> 0;
}
