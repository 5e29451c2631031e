// The compiled engine's canonical form under symmetry (compiled/canonical.ts) sorts the symmetric
// members instead of trying every permutation; it must still be a true canonical form. On random
// reachable states of symmetric models, explored without symmetry, and random permutations π of
// them: canon(π(s)) = canon(s), canon(s) is one of the images of s, and the number of canonical
// forms is the number of orbits the reference engine counts by trying every permutation. Then
// both engines' counts under symmetry against TLC's.
import { jest } from '@jest/globals';
import { CompiledEngine } from '../../../../src/checker/engine/compiled/compiled-engine.js';
import { RowSymmetry } from '../../../../src/checker/engine/compiled/canonical.js';
import { makeLayout } from '../../../../src/checker/engine/compiled/layout.js';
import { instancePermutations, permuteView, symmetryPermutations } from '../../../../src/checker/engine/permutations.js';
import { ReferenceEngine } from '../../../../src/checker/engine/reference-engine.js';
import type { StateView } from '../../../../src/checker/engine/contract.js';
import type { Value } from '../../../../src/lang/values.js';
import { explore } from '../../../../src/checker/search/breadth-first.js';
import { loadModel } from '../../../../src/pipeline/load-model.js';
import { writeModel } from '../../../helpers.js';

// Relations between the symmetric members that no member's own slots show: a holder, a set of
// waiters, a matrix indexed by two members, a local naming another member.
const GRID = writeModel(`algorithm Grid {
  constants P = {p1, p2, p3};
  values p1, p2, p3;
  variables holder = "none", waiters = {}, seen = [p \\in P |-> [q \\in P |-> 0]];
  process (w \\in P)
    variables last = "none";
  {
  a: waiters := waiters \\cup {self};
  b: await holder = "none";
     holder := self;
     waiters := waiters \\ {self};
  c: with (q \\in P) {
       seen[self][q] := (seen[self][q] + 1) % 2;
       last := q;
     };
  d: holder := "none";
  }
}
`);

const MODELS: [string, string, { consts?: [string, string][]; symmetry: string[] }][] = [
  ['grid', GRID, { symmetry: ['P'] }],
  ['refpool, 3 users', 'examples/refpool.lspec', { consts: [['USERS', '{u1, u2, u3}']], symmetry: ['USERS', 'OBJS'] }],
  ['mcslock, 4 CPUs', 'examples/mcslock.lspec', { consts: [['CPUS', '{c1, c2, c3, c4}']], symmetry: ['CPUS'] }],
];

/** A seeded generator (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test.each(MODELS)('%s: the sorted canonical form is constant on orbits and picks one state of each', (_, file, load) => {
  const m = loadModel(file, load);
  expect(m.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const program = m.program!;
  const plain = { ...program, symmetry: undefined };
  const engine = new CompiledEngine(plain);
  expect(explore(engine, { deadlock: false }).verdict).toBe('ok');
  const symmetry = new RowSymmetry(program, makeLayout(program, engine.table), engine.table);
  const perms = symmetryPermutations(program);
  const targets = instancePermutations(program, perms);
  // Equal values have one code in the engine's table.
  const code = (v: Value | null): number => (v === null ? -1 : engine.table.intern(v));
  const key = (s: StateView): string => [...s.globals, ...s.pcs, ...s.pvars.flat(), ...s.stacks].map((v) => code(v as Value | null)).join();
  const idOf = new Map<string, number>();
  for (let id = 0; id < engine.size(); id++) idOf.set(key(engine.decode(id)), id);
  const rowOf = (id: number): Int32Array => {
    const row = new Int32Array(engine.width);
    engine.readRow(id, row);
    return row;
  };
  const canon = (id: number): string => symmetry.canonical(rowOf(id)).join();
  const next = random(15);
  const forms = new Set<string>();
  for (let id = 0; id < engine.size(); id++) forms.add(canon(id));
  const orbits = explore(new ReferenceEngine(program), { deadlock: false });
  expect(forms.size).toBe(orbits.distinct);
  for (let k = 0; k < 400; k++) {
    const id = Math.floor(next() * engine.size());
    const form = canon(id);
    // Every image of s is reachable (the model is symmetric), so each has its own row.
    const images = perms.map((pi, p) => idOf.get(key(permuteView(engine.decode(id), pi, targets[p]))));
    expect(images).not.toContain(undefined);
    expect(images.some((image) => rowOf(image!).join() === form)).toBe(true);
    for (let j = 0; j < 3; j++) expect(canon(images[Math.floor(next() * images.length)]!)).toBe(form);
  }
});

test('mcslock, 4 CPUs: canonicalising a state builds about one image, not one per permutation (24)', () => {
  const program = loadModel('examples/mcslock.lspec', { consts: [['CPUS', '{c1, c2, c3, c4}']], symmetry: ['CPUS'] }).program!;
  const plain = { ...program, symmetry: undefined };
  const engine = new CompiledEngine(plain);
  explore(engine, { deadlock: false });
  const symmetry = new RowSymmetry(program, makeLayout(program, engine.table), engine.table);
  const row = new Int32Array(engine.width);
  for (let id = 0; id < engine.size(); id++) {
    engine.readRow(id, row);
    symmetry.canonical(row);
  }
  expect(symmetry.imagesTried / engine.size()).toBeLessThan(1.5);
});

test.each(MODELS)('%s: a successor\'s form from the prepared row\'s signatures is its form from its own', (_, file, load) => {
  const program = loadModel(file, load).program!;
  const engine = new CompiledEngine({ ...program, symmetry: undefined });
  explore(engine, { deadlock: false });
  const symmetry = new RowSymmetry(program, makeLayout(program, engine.table), engine.table);
  const rowOf = (id: number): Int32Array => {
    const row = new Int32Array(engine.width);
    engine.readRow(id, row);
    return row;
  };
  const next = random(7);
  let partial = 0;
  for (let k = 0; k < 400; k++) {
    // Any two states: the second differs from the first in the slots where their rows differ.
    const [parent, row] = [rowOf(Math.floor(next() * engine.size())), rowOf(Math.floor(next() * engine.size()))];
    const written = Int32Array.from(row.keys()).filter((j) => row[j] !== parent[j]);
    const whole = symmetry.canonical(row).join();
    symmetry.prepare(parent);
    expect(symmetry.canonical(row, written).join()).toBe(whole);
    if (written.length < row.length / 4) partial++;
  }
  expect(partial).toBeGreaterThan(0);
});

test('the engine computes the signatures of each state it expands once, and of a successor only those its step changed', () => {
  const program = loadModel('examples/mcslock.lspec', { consts: [['CPUS', '{c1, c2, c3, c4}']], symmetry: ['CPUS'] }).program!;
  const whole = jest.spyOn(RowSymmetry.prototype as unknown as { signatures(row: Int32Array): void }, 'signatures');
  try {
    const r = explore(new CompiledEngine(program), { deadlock: false });
    expect([r.distinct, r.generated]).toEqual([757, 2_024]);
    // One per state expanded, and one per successor whose step wrote a slot every signature reads.
    expect(whole.mock.calls.length).toBeLessThan(r.distinct + r.generated / 2);
  } finally {
    whole.mockRestore();
  }
});

test('a sorted row with no two members alike is its own canonical form, given back as it is', () => {
  const program = loadModel(GRID, { symmetry: ['P'] }).program!;
  const engine = new CompiledEngine({ ...program, symmetry: undefined });
  explore(engine, { deadlock: false });
  const symmetry = new RowSymmetry(program, makeLayout(program, engine.table), engine.table);
  let asIs = 0;
  for (let id = 0; id < engine.size(); id++) {
    const row = new Int32Array(engine.width);
    engine.readRow(id, row);
    const copy = row.slice();
    const form = symmetry.canonical(row);
    // Given back as it is only when it is the form (and untouched).
    if (form === row) {
      asIs++;
      expect(row).toEqual(copy);
      expect(symmetry.canonical(copy).join()).toBe(row.join());
    }
  }
  // The initial state (every process alike) is not given back as it is; many others are.
  const initial = new Int32Array(engine.width);
  engine.readRow(0, initial);
  expect(symmetry.canonical(initial)).not.toBe(initial);
  expect(asIs).toBeGreaterThan(engine.size() / 10);
});

// TLC's counts with SYMMETRY (scripts/crosscheck-tlc has these rows).
test.each([
  ['examples/refpool.lspec', [['USERS', '{u1, u2, u3}']], ['USERS', 'OBJS'], 178, 489],
  ['examples/mcslock.lspec', [['CPUS', '{c1, c2, c3, c4}']], ['CPUS'], 757, 2_024],
] as [string, [string, string][], string[], number, number][])('%s %j under symmetry: TLC\'s counts in both engines', (file, consts, symmetry, distinct, generated) => {
  const program = loadModel(file, { consts, symmetry }).program!;
  for (const engine of [new ReferenceEngine(program), new CompiledEngine(program)]) {
    const r = explore(engine, { deadlock: false });
    expect([r.verdict, r.distinct, r.generated]).toEqual(['ok', distinct, generated]);
  }
});
