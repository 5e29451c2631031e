// The two ways the compiled engine stores states must not change any answer: for every example,
// the failing variants and each bh-migration design, the exact bit-packed store and fingerprint
// mode give the same verdict, counts, depth and trace (step for step). And the storage targets:
// at most 32 bytes per state all in (exact), at most 12 (fingerprint), on LockInc N=3. And the
// reports of `check --fingerprint` state the collision probability.
import type { CheckOutcome } from '../../../../src/checker/check.js';
import { checkModel, type FileCheckOptions as CheckOptions } from '../../../../src/pipeline/check-file.js';
import { parseModel } from '../../../../src/pipeline/load-model.js';
import { DISPLACED_MAX_BITS, PackedStore, PAGE } from '../../../../src/checker/engine/compiled/store.js';
import { runCheck, type CheckArgs } from '../../../../src/cli/commands.js';
import { memoryIo, writeModel } from '../../../helpers.js';

// A deadlock six steps deep, and an assertion that fails in a step: the traces that end at the
// state being expanded rather than at a new one.
const DEADLOCK = `algorithm Stuck {
  variables a = 0, b = 0;
  process P \\in 1..2
    variables n = 0;
  {
  s1: while (n < 2) {
        either { a := a + 1; } or { b := b + 1; };
        n := n + 1;
      };
  s2: await a = 4;
  }
}
`;
const ASSERT = `algorithm Boom {
  variables x = 0;
  process P \\in 1..2
  {
  s1: x := x + self;
  s2: assert x # 3;
  }
}
`;

const cases: [string, string, CheckOptions][] = [
  ['lockinc', 'examples/lockinc.lspec', {}],
  ['peterson', 'examples/peterson.lspec', {}],
  ['refpool', 'examples/refpool.lspec', {}],
  ['refpool symmetric', 'examples/refpool.lspec', { symmetry: ['USERS', 'OBJS'] }],
  ['ticketlock', 'examples/ticketlock.lspec', {}],
  ['ticketlock MAXT=1', 'examples/ticketlock.lspec', { consts: [['MAXT', '1']] }],
  ['refpool ATOMIC_PUT=FALSE', 'examples/refpool.lspec', { consts: [['ATOMIC_PUT', 'FALSE']] }],
  ['a deadlock', writeModel(DEADLOCK), {}],
  ['a failing step', writeModel(ASSERT), {}],
  ...parseModel('spec/bh-migration/bh_migration.lspec').designs.map((d) => d.name.name).map(
    // Its reachable properties and its lock order need the state graph, which fingerprint mode does not keep.
    (design): [string, string, CheckOptions] => [`bh-migration ${design}`, 'spec/bh-migration/bh_migration.lspec', { design, properties: [], lockOrder: false }],
  ),
];

const summary = (o: CheckOutcome) => ({
  verdict: o.verdict,
  property: o.failure?.property ?? null,
  distinct: o.distinct,
  generated: o.generated,
  depth: o.depth,
  failingStep: o.failingStep,
  trace: o.trace?.map((s) => ({ instance: s.instance, label: s.label, state: s.state })) ?? null,
});

describe('exact and fingerprint storage agree', () => {
  test.each(cases)('%s', (_, file, opts) => {
    const exact = checkModel(file, opts);
    const fp = checkModel(file, { ...opts, fingerprint: true });
    expect(exact.verdict).not.toBe('error');
    expect(summary(fp)).toEqual(summary(exact));
    expect(exact.fingerprint ?? null).toBeNull();
    expect(fp.fingerprint!.collisionProbability).toBeCloseTo(exact.distinct ** 2 / 2 ** 65, 20);
  });

  test('the failing variants keep their traces', () => {
    expect(checkModel(writeModel(DEADLOCK), { fingerprint: true })).toMatchObject({ verdict: 'deadlock', trace: { length: 7 } });
    expect(checkModel(writeModel(ASSERT), { fingerprint: true })).toMatchObject({ verdict: 'violation', trace: { length: 3 } });
    expect(checkModel('examples/ticketlock.lspec', { consts: [['MAXT', '1']], fingerprint: true }).trace).toHaveLength(9);
    expect(checkModel('examples/refpool.lspec', { consts: [['ATOMIC_PUT', 'FALSE']], fingerprint: true }).trace).toHaveLength(9);
  });
});

test('the packed store returns every row it was given, through widenings and repacks', () => {
  // Slots that never change, that grow early, that grow late (after thousands of rows) and wide.
  const width = 9;
  const store = new PackedStore(width);
  const rows: string[] = [];
  const out = new Int32Array(width);
  const wrong: string[] = [];
  let seed = 7;
  const rnd = (n: number): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 1) % n;
  for (let t = 0; t < 30_000; t++) {
    const row = Int32Array.from({ length: width }, (_, k) =>
      k === 0 ? 42 : k === 1 ? rnd(3) : k === 2 ? (t < 10_000 ? 5 : rnd(40)) : k === 3 ? rnd(5000) - 2500 : k === 4 ? 2 ** 28 + rnd(7) : rnd(k),
    );
    const id = store.insert(row);
    if (store.wasNew) {
      if (id !== rows.length) wrong.push(`row ${t}: new id ${id}, ${rows.length} stored`);
      rows.push(row.join());
    } else if (rows[id] !== row.join()) wrong.push(`row ${t}: found as ${id}, which holds ${rows[id]}`);
    if (t % 5000 === 0 || t === 10_001) {
      for (let i = 0; i < rows.length; i++) {
        store.read(i, out);
        if (out.join() !== rows[i]) wrong.push(`after row ${t}: state ${i} reads ${out.join()}`);
      }
    }
  }
  expect(wrong).toEqual([]);
  expect(store.size()).toBe(rows.length);
});

test('the first page leaves every slot room to grow, unwidened; once full it is repacked tight, in the layout of the rows after it', () => {
  // Thirty slots, each of its four values within the first page: the first seven spell t (so every
  // row is new), the others hold one value for a while, then four. In the first page's layout
  // (three bits each) none widens it; after it two bits each suffice.
  const width = 30;
  const digit = (t: number, k: number): number => (k === 6 ? (t >> 12) ^ t : t >> (2 * (k % 6))) & 3;
  const rowAt = (t: number): Int32Array => Int32Array.from({ length: width }, (_, k) => (k >= 7 && t < 50 * k ? 0 : digit(t, k)));
  const store = new PackedStore(width);
  const initial = store['layout'];
  const n = 2 * PAGE + 10;
  for (let t = 0; t < PAGE - 1; t++) store.insert(rowAt(t));
  expect(store['layout']).toBe(initial);
  expect(initial.words).toBe(3);
  for (let t = PAGE - 1; t < n; t++) store.insert(rowAt(t));
  const [first, second] = store['pageLayouts'] as { words: number }[];
  expect(first).toBe(second);
  expect(first.words).toBe(2);
  const out = new Int32Array(width);
  const wrong: number[] = [];
  for (let t = 0; t < n; t++) {
    store.read(t, out);
    if (out.join() !== rowAt(t).join()) wrong.push(t);
  }
  expect(wrong).toEqual([]);
});

test('a widening repacks only the page being filled: older pages keep their layout, and rows, columns and duplicates are found across layouts', () => {
  // Two slots fill one word (8 bits each, no headroom); a slot of one value until row LATE takes
  // no bits, then its second value widens the layout (to two words) with five pages full.
  const width = 5;
  const LATE = 5 * PAGE + 100;
  const rowAt = (t: number): Int32Array => Int32Array.from([t & 255, (t >> 8) & 255, 3, -7, t < LATE ? 0 : t & 1]);
  const store = new PackedStore(width);
  const n = 6 * PAGE + 1000;
  let before: Int32Array[] = [];
  const wrong: string[] = [];
  for (let t = 0; t < n; t++) {
    if (t === LATE) before = [...store['pages']];
    const id = store.insert(rowAt(t));
    if (!store.wasNew || id !== t) wrong.push(`row ${t}: id ${id}, new ${store.wasNew}`);
  }
  // The five full pages are the same arrays, unchanged; the page being filled was repacked.
  expect(before.map((page, p) => store['pages'][p] === page)).toEqual([true, true, true, true, true, false]);
  const out = new Int32Array(width);
  for (let t = 0; t < n; t++) {
    store.read(t, out);
    if (out.join() !== rowAt(t).join()) wrong.push(`state ${t} reads ${out.join()}`);
    if (store.slot(t, 4) !== rowAt(t)[4] || store.slot(t, 1) !== rowAt(t)[1]) wrong.push(`state ${t}: slot reads wrong`);
  }
  // Both layouts were read often enough to get readers generated for them (GENERATED_AFTER): the
  // rows above were read through the loop first, then through the generated code.
  const layouts = [store['pageLayouts'][0], store['pageLayouts'][6]];
  expect(layouts[0]).not.toBe(layouts[1]);
  expect(layouts.map((layout) => layout['unpacker'] !== null)).toEqual([true, true]);
  // A column of every state, and of the first states only, across the layouts, mapped by a
  // function called once for each code the slot has held.
  for (const k of [0, 1, 2, 4]) {
    const held = new Set(Array.from({ length: n }, (_, t) => rowAt(t)[k])).size;
    for (const upTo of [n, LATE + 1, 17]) {
      const column = new Int32Array(upTo);
      let calls = 0;
      store.column(k, upTo, column, (code) => (calls++, 3 * code + 1));
      const firstWrong = column.findIndex((mapped, t) => mapped !== 3 * rowAt(t)[k] + 1);
      if (firstWrong >= 0) wrong.push(`column ${k} up to ${upTo}: state ${firstWrong} reads ${column[firstWrong]}`);
      if (calls !== held) wrong.push(`column ${k} up to ${upTo}: ${calls} calls for ${held} codes`);
    }
  }
  // Every row again, from a parent in an old page and from none: the same ids, nothing new.
  for (let t = n - 1; t >= 0; t -= 3) {
    store.read((t * 7919) % n, out);
    const id = store.insert(rowAt(t));
    if (store.wasNew || id !== t) wrong.push(`again ${t}: id ${id}, new ${store.wasNew}`);
  }
  expect(wrong).toEqual([]);
  expect(store.size()).toBe(n);
  // Rows that differ from old ones only in the late slot are new.
  expect(store.insert(Int32Array.from([1, 2, 3, -7, 1]))).toBe(n);
  expect(store.wasNew).toBe(true);
});

describe('bytes per state', () => {
  const opts: CheckOptions = { consts: [['N', '3']] };

  test('exact: at most 32, all in', () => {
    const o = checkModel('examples/lockinc.lspec', opts);
    expect(o.distinct).toBe(22_436);
    expect(o.storeBytes / o.distinct).toBeLessThanOrEqual(32);
  });

  test('fingerprint: at most 12, the frontier apart', () => {
    const o = checkModel('examples/lockinc.lspec', { ...opts, fingerprint: true });
    expect(o.distinct).toBe(22_436);
    expect(o.storeBytes / o.distinct).toBeLessThanOrEqual(12);
    expect(o.fingerprint!.frontierPeakBytes).toBeGreaterThan(0);
  });
});

describe('check --fingerprint reports the collision probability', () => {
  const check = (format: 'text' | 'json', engine: 'compiled' | 'reference' = 'compiled') => {
    const io = memoryIo();
    const args: CheckArgs = { file: 'examples/lockinc.lspec', deadlock: true, engine, format, fingerprint: true };
    return { code: runCheck(args, io, () => false), out: io.outs.join('\n'), err: io.errs.join('\n') };
  };

  test('in JSON', () => {
    const r = check('json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.states.distinct).toBe(22_436);
    expect(report.fingerprint.collisionProbability).toBeCloseTo(22_436 ** 2 / 2 ** 65, 20);
    expect(report.fingerprint.frontierPeakBytes).toBeGreaterThan(0);
  });

  test('in text, as TLC words it', () => {
    const r = check('text');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/calculated \(optimistic\): P = 1\.4E-11/);
  });

  test('only with the compiled engine', () => {
    const r = check('text', 'reference');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--fingerprint needs the compiled engine');
  });
});

test('told the slots a successor may differ in, the store compares only those, and only against the state last read', () => {
  const store = new PackedStore(4);
  const a = Int32Array.of(1, 2, 3, 4);
  const b = Int32Array.of(1, 9, 3, 7);
  expect([store.insert(a), store.insert(b)]).toEqual([0, 1]);
  const out = new Int32Array(4);
  store.read(0, out);
  // A successor of state 0 that wrote slot 1: found as state 1 (slot 3 would tell, but it is not compared), or new.
  expect(store.insert(Int32Array.of(1, 9, 3, 4), 0, Int32Array.of(1))).toBe(2);
  expect(store.wasNew).toBe(true);
  expect(store.insert(Int32Array.of(1, 2, 3, 4), 0, Int32Array.of(1, 3))).toBe(0);
  expect(store.wasNew).toBe(false);
  // A parent that is not the state last read: every slot is compared.
  expect(store.insert(Int32Array.of(1, 9, 3, 7), 1, Int32Array.of(1))).toBe(1);
  expect(store.insert(Int32Array.of(5, 2, 3, 4), 1, Int32Array.of(1))).toBe(3);
  store.read(3, out);
  expect(out).toEqual(Int32Array.of(5, 2, 3, 4));
});

test.each([
  ['keeping displacements up to the largest table', DISPLACED_MAX_BITS],
  ['keeping them up to 2^12 entries, then reading rows', 12],
  ['never keeping them', 0],
])('through every doubling of its table (%s), the store finds every state again', (_what, displacedMaxBits) => {
  const width = 6;
  const store = new PackedStore(width, displacedMaxBits);
  const rowAt = (t: number): Int32Array => Int32Array.from([t & 63, (t >> 6) & 63, (t >> 12) & 63, 9, t % 3, (t * 7) & 15]);
  const n = 150_000;
  const wrong: string[] = [];
  for (let t = 0; t < n; t++) {
    const id = store.insert(rowAt(t));
    if (!store.wasNew || id !== t) wrong.push(`row ${t}: id ${id}, new ${store.wasNew}`);
    // Every state stored so far, now and then (the table has doubled in between).
    if (((t + 1) & t) === 0) {
      for (let u = 0; u <= t; u++) if (store.insert(rowAt(u)) !== u || store.wasNew) wrong.push(`after ${t}: state ${u} not found`);
    }
  }
  for (let u = 0; u < n; u++) if (store.insert(rowAt(u)) !== u || store.wasNew) wrong.push(`state ${u} not found`);
  expect(wrong.slice(0, 5)).toEqual([]);
  expect(store.size()).toBe(n);
  // 150,000 states: a table of 2^18 entries, grown from 2^10 by eight doublings.
  expect(store['table'].length).toBe(2 ** 18);
});
