// The shared memory of the parallel search, in one thread: the value dictionary (codes.ts) gives
// two threads' tables the same global codes whatever order they build values in, and the shared
// store (shared.ts) stores each row once, keeps the least key, and grows (its table, and its
// slots' bits: rows are packed again) without losing a state.
import { jest } from '@jest/globals';
import { ModelValue, mkFn, mkRecord, mkSet, mkTuple, valueEquals, type Value } from '../../../../src/lang/values.js';
import { ValueTable } from '../../../../src/checker/engine/compiled/valuetable.js';
import { allocateValueBuffers, CodeMap } from '../../../../src/checker/search/parallel/codes.js';
import { allocateSpace, SharedSpace } from '../../../../src/checker/search/parallel/shared.js';
import { LATE_REPACK } from '../../../../src/checker/search/parallel/packing.js';
import { BASE } from '../../../../src/checker/engine/compiled/valuetable.js';
import { PAGE } from '../../../../src/checker/engine/compiled/store.js';
import { CompiledEngine } from '../../../../src/checker/engine/compiled/compiled-engine.js';
import { explore } from '../../../../src/checker/search/breadth-first.js';
import { decodeProgram, encodeProgram } from '../../../../src/checker/search/parallel/transfer.js';
import { loadModel } from '../../../../src/pipeline/load-model.js';

/** A handle on `buffers` for a thread whose rows hold integers (their own codes). */
function handle(buffers: ReturnType<typeof allocateSpace>): SharedSpace {
  const space = new SharedSpace(buffers);
  space.useCodes(new CodeMap(allocateValueBuffers(), new ValueTable(), BASE));
  return space;
}

describe('CodeMap: global codes', () => {
  const values: Value[] = [
    'a string',
    new ModelValue('u1'),
    mkSet([3, 1, 2]),
    mkTuple([1, 'x', true]),
    mkRecord({ owner: new ModelValue('p1'), refs: 2 }),
    mkFn([[mkSet([1]), mkTuple([])]]),
    mkSet([mkSet([]), mkSet([mkTuple([1, 2])])]),
    -7,
    false,
  ];

  test('two tables that build the same values in different orders agree on every global code', () => {
    const buffers = allocateValueBuffers();
    const [ta, tb] = [new ValueTable(), new ValueTable()];
    const limit = ta.intern(mkTuple([])) + 1;
    tb.intern(mkTuple([]));
    const [a, b] = [new CodeMap(buffers, ta, limit), new CodeMap(buffers, tb, limit)];
    const fromA = values.map((v) => a.global(ta.intern(v)));
    const fromB = [...values].reverse().map((v) => b.global(tb.intern(v))).reverse();
    expect(fromB).toEqual(fromA);
    // Integers, booleans and codes below the limit are their own global codes.
    expect(a.global(ta.intern(-7))).toBe(-7);
    expect(a.global(ta.intern(mkTuple([])))).toBe(ta.intern(mkTuple([])));
  });

  test('a global code comes back as the same value in a table that never built it', () => {
    const buffers = allocateValueBuffers();
    const [ta, tb] = [new ValueTable(), new ValueTable()];
    const [a, b] = [new CodeMap(buffers, ta, ta.size + 0x10000000), new CodeMap(buffers, tb, tb.size + 0x10000000)];
    for (const v of values) {
      const g = a.global(ta.intern(v));
      expect(valueEquals(tb.value(b.local(g)), v)).toBe(true);
      expect(b.global(b.local(g))).toBe(g);
    }
  });
});

describe('SharedSpace: the shared store', () => {
  const width = 3;
  const row = (...xs: number[]): Int32Array => Int32Array.from(xs);

  test('a row is stored once: its id, then ~id; find sees it', () => {
    const space = handle(allocateSpace(1, width, 1 << 16, 1));
    const id = space.insert(row(1, 2, 3), 0, 0, 0);
    expect(id).toBeGreaterThanOrEqual(0);
    expect(space.insert(row(1, 2, 3), 5, 1, 0)).toBe(~id);
    expect(space.find(row(1, 2, 3))).toBe(id);
    expect(space.find(row(3, 2, 1))).toBe(-1);
  });

  test('a state keeps the least (parent rank, successor index) it was reached by, and that step\'s label', () => {
    const space = handle(allocateSpace(1, width, 1 << 16, 4));
    const id = space.insert(row(0, 0, 0), 7, 3, 0);
    space.lowerKey(id, 9, 0, 1);
    space.lowerKey(id, 7, 5, 1);
    expect([space.parentRank[id], space.successorIndexOf(id), space.successorLabelOf(id)]).toEqual([7, 3, 0]);
    space.lowerKey(id, 7, 1, 2);
    expect([space.parentRank[id], space.successorIndexOf(id), space.successorLabelOf(id)]).toEqual([7, 1, 2]);
    space.lowerKey(id, 2, 8, 3);
    expect([space.parentRank[id], space.successorIndexOf(id), space.successorLabelOf(id)]).toEqual([2, 8, 3]);
  });

  test('two handles (two threads) take ids in separate blocks and see each other\'s states', () => {
    const buffers = allocateSpace(2, width, 1 << 16, 1);
    const [s0, s1] = [handle(buffers), handle(buffers)];
    const a = s0.insert(row(1, 1, 1), 0, 0, 0);
    const b = s1.insert(row(2, 2, 2), 0, 1, 0);
    expect(Math.floor(a / 64)).not.toBe(Math.floor(b / 64));
    expect(s1.insert(row(1, 1, 1), 1, 0, 0)).toBe(~a);
    expect(s0.find(row(2, 2, 2))).toBe(b);
  });

  test('rows repacked while the table is far larger than its states (entries cleared one by one): every state still found, none twice', () => {
    const space = handle(allocateSpace(1, width, 1 << 16, 1, 1 << 16));
    const n = 600;
    const r = new Int32Array(width);
    const put = (i: number): number => {
      // Values new to each slot's dictionary: the layout widens (a repack) at 2, 4, ..., 512 values.
      r[0] = i;
      r[1] = i % 3;
      r[2] = -i;
      return space.insert(r, 0, i, 0);
    };
    const cleared = jest.spyOn(space as unknown as { clearEntry(id: number, words: number): void }, 'clearEntry');
    const ids = Int32Array.from({ length: n }, (_, i) => put(i));
    expect(cleared).toHaveBeenCalled();
    expect(new Set(ids).size).toBe(n);
    for (let i = 0; i < n; i++) expect(put(i)).toBe(~ids[i]);
    for (let i = 0; i < n; i++) expect(space.find(Int32Array.of(i, i % 3, -i))).toBe(ids[i]);
  });

  test('repacks keep the slots without bits and the parent successors are patched from: every row reads back as stored', () => {
    // Slots 0 and 2 hold one value throughout (no bits); slots 1 and 3 take a new value with every
    // row, so the layout widens again and again (past the first page's headroom, and tight after
    // it), ending in two words, while a parent (the row last read) is being patched; slot 4 changes
    // every third row, so a successor mostly keeps the parent's index there, carried across each
    // repack from the parent's words.
    const wide = 5;
    const space = handle(allocateSpace(1, wide, 1 << 16, 1, 1 << 16));
    const rowOf = (i: number): Int32Array => Int32Array.of(42, i, -3, 100_000 + 7 * i, 5000 + Math.floor(i / 3));
    const n = PAGE + 1000;
    const out = new Int32Array(wide);
    const ids: number[] = [];
    const repacks = jest.spyOn(space as unknown as { repack(): void }, 'repack');
    for (let i = 0; i < n; i++) {
      if (i > 0) space.read(ids[i - 1], out);
      ids.push(space.insert(rowOf(i), 0, i, 0));
    }
    expect(repacks.mock.calls.length).toBeGreaterThanOrEqual(3);
    expect((space as unknown as { packer: { words: number } }).packer.words).toBe(2);
    expect(new Set(ids).size).toBe(n);
    const wrong: string[] = [];
    for (let i = 0; i < n; i++) {
      out.fill(-1);
      space.read(ids[i], out);
      if (out.join() !== rowOf(i).join()) wrong.push(`state ${i} reads ${out.join()}`);
      // From that parent, its successor is found, not stored again.
      if (i + 1 < n && space.insert(rowOf(i + 1), 0, 0, 0) !== ~ids[i + 1]) wrong.push(`state ${i + 1} stored twice`);
    }
    expect(wrong).toEqual([]);
  });

  test('the layouts of the first page of states leave every slot room to grow, unrepacked; once it is stored the rows are repacked tight', () => {
    // Thirty slots of four values each, all seen within the first page (each slot takes its second
    // value at a different row): in the first layout (three bits each, three words) none needs a
    // repack; the one repack, at PAGE states, packs every row in two bits a slot, two words.
    const wide = 30;
    const space = handle(allocateSpace(1, wide, 4 * PAGE, 1));
    const digit = (t: number, k: number): number => (k === 6 ? (t >> 12) ^ t : t >> (2 * (k % 6))) & 3;
    const rowAt = (t: number): Int32Array => Int32Array.from({ length: wide }, (_, k) => (k >= 7 && t < 50 * k ? 0 : digit(t, k)));
    const words = (): number => (space as unknown as { packer: { words: number } }).packer.words;
    const repacks = jest.spyOn(space as unknown as { repack(): void }, 'repack');
    const n = PAGE + 500;
    const ids: number[] = [];
    for (let t = 0; t < PAGE - 1; t++) ids.push(space.insert(rowAt(t), 0, t, 0));
    expect(repacks).not.toHaveBeenCalled();
    expect(words()).toBe(3);
    for (let t = PAGE - 1; t < n; t++) ids.push(space.insert(rowAt(t), 0, t, 0));
    expect(repacks).toHaveBeenCalledTimes(1);
    expect(words()).toBe(2);
    expect(new Set(ids).size).toBe(n);
    const out = new Int32Array(wide);
    const wrong: number[] = [];
    for (let t = 0; t < n; t++) {
      space.read(ids[t], out);
      if (out.join() !== rowAt(t).join() || space.insert(rowAt(t), 0, 0, 0) !== ~ids[t]) wrong.push(t);
    }
    expect(wrong).toEqual([]);
  });

  test('a slot that grows late (a large store) widens with room to grow fourfold: one repack per fourfold, not one per bit', () => {
    // 32 slots of two values each fill one word; then slot 0 grows from 2 to 33 values. Without
    // headroom each new bit would cost a repack of every stored row (at 3, 5, 9, 17 and 33 values).
    const wide = 32;
    const space = handle(allocateSpace(1, wide, 2 * LATE_REPACK, 1));
    const r = new Int32Array(wide);
    for (let i = 0; i < LATE_REPACK; i++) {
      r[0] = i & 1;
      for (let j = 1; j < wide; j++) r[j] = (i >> ((j - 1) % 16)) & 1;
      space.insert(r, 0, i, 0);
    }
    const repacks = jest.spyOn(space as unknown as { repack(): void }, 'repack');
    const late = Int32Array.from({ length: 31 }, (_, v) => space.insert(Int32Array.from({ length: wide }, (_, k) => (k === 0 ? v + 2 : 0)), 0, v, 0));
    expect(repacks).toHaveBeenCalledTimes(2);
    expect(space.stored).toBe(LATE_REPACK + 31);
    for (let v = 0; v < 31; v++) expect(space.find(Int32Array.from({ length: wide }, (_, k) => (k === 0 ? v + 2 : 0)))).toBe(late[v]);
    for (let i = 0; i < LATE_REPACK; i += 97) {
      r[0] = i & 1;
      for (let j = 1; j < wide; j++) r[j] = (i >> ((j - 1) % 16)) & 1;
      expect(space.insert(r, 0, i, 0)).toBe(~i);
    }
  });

  test('the table grows past its first size and every state is still found, none twice', () => {
    const space = handle(allocateSpace(1, width, 1 << 16, 1, 1 << 10));
    const n = 40_000;
    const r = new Int32Array(width);
    const put = (i: number): number => {
      r[0] = i;
      r[1] = i * 7;
      r[2] = -i;
      return space.insert(r, 0, i, 0);
    };
    const ids = Int32Array.from({ length: n }, (_, i) => put(i));
    expect(space.stored).toBe(n);
    expect(new Set(ids).size).toBe(n);
    for (let i = 0; i < n; i++) expect(put(i)).toBe(~ids[i]);
  });
});

describe('transfer: the program a helper thread receives', () => {
  test.each([
    ['examples/refpool.lspec', []],
    ['spec/bh-migration/bh_migration.lspec', [['NCPU', '2']]],
  ] as [string, [string, string][]][])('%s, through structured clone, explores to the same figures', (file, consts) => {
    const program = loadModel(file, { design: file.includes('bh_') ? 'hold_private_lock' : null, consts }).program!;
    const copy = decodeProgram(structuredClone(encodeProgram(program)));
    const figures = (p: typeof program): unknown => {
      const r = explore(new CompiledEngine(p), { deadlock: true });
      return [r.verdict, r.distinct, r.generated, r.depth];
    };
    expect(figures(copy)).toEqual(figures(program));
    expect(copy.constants.map((c) => c.value)).toEqual(program.constants.map((c) => c.value));
  });
});
