// The compiled engine evaluates an invariant on a new state only when the step that found it changed
// a slot the invariant reads (Engine.checkState's `fromExpanded`): counted here by wrapping the
// compiled properties, and held to the reference engine's verdicts, counts and traces; the same
// for the rows the parallel search's threads check (RowEngine.checkRow with the parent row).
import { CompiledEngine } from '../../../../src/checker/engine/compiled/compiled-engine.js';
import { ReferenceEngine } from '../../../../src/checker/engine/reference-engine.js';
import { explore } from '../../../../src/checker/search/breadth-first.js';
import { programOf } from '../../../helpers.js';

type Property = (row: Int32Array) => boolean;

/** A compiled engine whose invariants count their evaluations, by name. */
function countingEngine(text: string): { engine: CompiledEngine; counts: Map<string, number> } {
  const program = programOf(text);
  const engine = new CompiledEngine(program);
  const counts = new Map<string, number>();
  const inner = engine as unknown as { compiledProperties(): { invariants: Property[]; finals: Property[] }; properties: { invariants: Property[]; finals: Property[] } };
  const compiled = inner.compiledProperties();
  inner.properties = {
    invariants: compiled.invariants.map((test, i) => (row: Int32Array) => {
      const name = program.invariants[i].name;
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return test(row);
    }),
    finals: compiled.finals,
  };
  return { engine, counts };
}

const twoCounters = `algorithm Two {
  variables x = 0, y = 0;
  invariant OnX == x <= 2;
  invariant OnY == y \\in 0..3;
  process P = 1 { a: x := x + 1; b: x := x + 1; }
  process Q = 2 { c: y := 1; d: y := 2; e: y := 3; }
}`;

test("an invariant is evaluated on the initial state and on each new state whose step changed what it reads", () => {
  const { engine, counts } = countingEngine(twoCounters);
  const r = explore(engine, { deadlock: false });
  expect([r.verdict, r.distinct]).toEqual(['ok', 12]);
  // P's steps change x, Q's change y: each invariant is evaluated on the initial state and on the new states of its own process's steps.
  const labels = engine.program.labels.map((l) => l.name);
  const found = (names: string[]) => names.reduce((n, name) => n + r.coverage!.newStates[labels.indexOf(name)], 0);
  expect(counts.get('OnX')).toBe(1 + found(['a', 'b']));
  expect(counts.get('OnY')).toBe(1 + found(['c', 'd', 'e']));
  expect(counts.get('OnX')!).toBeLessThan(r.distinct);
});

test.each([false, true])('a violation is found as the reference engine finds it (continue %s)', (go) => {
  const text = twoCounters.replace('x <= 2', 'x <= 1').replace('y \\in 0..3', 'y # 2');
  const [reference, compiled] = [new ReferenceEngine(programOf(text)), countingEngine(text).engine].map((engine) => explore(engine, { deadlock: false, continue: go }));
  expect(compiled.verdict).toBe('violation');
  expect(compiled.violations.map((v) => [v.failure.property, v.trace?.length])).toEqual(reference.violations.map((v) => [v.failure.property, v.trace?.length]));
  expect([compiled.distinct, compiled.generated, compiled.depth]).toEqual([reference.distinct, reference.generated, reference.depth]);
});

test('outside the breadth-first search (simulation, a state read again) every invariant is evaluated', () => {
  const { engine, counts } = countingEngine(twoCounters);
  explore(engine, { deadlock: false });
  counts.clear();
  expect(engine.checkState(5)).toBeNull();
  expect(engine.checkState(7, undefined, true)).toBeNull();
  expect([counts.get('OnX'), counts.get('OnY')]).toEqual([2, 2]);
});

test("checkRow given the parent row (the parallel search's threads) evaluates only the invariants the step could change", () => {
  const { engine, counts } = countingEngine(twoCounters);
  explore(engine, { deadlock: false });
  counts.clear();
  const parent = new Int32Array(engine.width);
  engine.readRow(0, parent);
  const successors: [Int32Array, number, number][] = [];
  engine.expandRow(parent, (row, instance, label) => successors.push([Int32Array.from(row), instance, label]));
  for (const [row, instance, label] of successors) expect(engine.checkRow(row, parent, instance, label)).toBeNull();
  // One successor by P (x changes), one by Q (y changes): each invariant once.
  expect([successors.length, counts.get('OnX'), counts.get('OnY')]).toEqual([2, 1, 1]);
  counts.clear();
  for (const [row] of successors) engine.checkRow(row);
  expect([counts.get('OnX'), counts.get('OnY')]).toEqual([2, 2]);
});
