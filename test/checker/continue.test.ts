// --continue (TLC's -continue): the search goes on past a violating state, exploring from it too,
// and reports the first (shortest) violation of every property, deadlocks included, each with its
// own trace; a failing assert or built-in check cuts its path only; a runtime error ends the search.
import { explore, type ExploreOptions } from '../../src/checker/search/breadth-first.js';
import { ReferenceEngine } from '../../src/checker/engine/reference-engine.js';
import { CompiledEngine } from '../../src/checker/engine/compiled/compiled-engine.js';
import { checkModel } from '../../src/pipeline/check-file.js';
import type { Program } from '../../src/lang/ir.js';
import { programOf, writeModel } from '../helpers.js';

// TLC -continue on the same counters (x to 5, y to 2) reports Inv2 at state 2, Inv1 at state 3,
// and explores the 18 states of the graph without invariants.
const COUNTERS = (invariants: string): string => `algorithm C {
  variables x = 0, y = 0;
  ${invariants}
  process P = 1 { a: while (x < 5) { x := x + 1; } }
  process Q = 2 { b: while (y < 2) { y := y + 1; } }
}`;
const INVARIANTS = `invariant Inv1 == x < 2;
  invariant Inv2 == y < 1;
  invariant Inv3 == x + y < 6;
  invariant Twin == x < 2;`;

function both(program: Program, opts: Partial<ExploreOptions> = {}) {
  const o = { deadlock: true, continue: true, ...opts };
  return [explore(new ReferenceEngine(program), o), explore(new CompiledEngine(program), o)];
}

const summary = (r: ReturnType<typeof explore>) => r.violations.map((v) => [v.failure.property, v.trace?.length]);

test('every violated property is reported once, with its own shortest trace; both engines agree', () => {
  for (const r of both(programOf(COUNTERS(INVARIANTS)))) {
    expect(r.verdict).toBe('violation');
    // Breadth-first order: Inv2 (y = 1) and Inv1 (x = 2) are found before Inv3 (x + y = 6);
    // Twin fails in the same state as Inv1 and is reported on its own.
    expect(summary(r)).toEqual([['Inv2', 2], ['Inv1', 3], ['Twin', 3], ['Inv3', 7]]);
    expect(r.failure?.property).toBe('Inv2');
    expect(r.trace).toBe(r.violations[0].trace);
    const [x, y] = r.violations[3].trace![6].state.globals as number[];
    expect(x + y).toBe(6);
  }
});

test('the search explores from violating states too: the whole graph, as without the properties', () => {
  const [plain] = both(programOf(COUNTERS('')), { continue: false });
  expect(plain.verdict).toBe('ok');
  for (const r of both(programOf(COUNTERS(INVARIANTS)))) {
    expect(r.distinct).toBe(plain.distinct);
    expect(r.generated).toBe(plain.generated);
    expect(r.depth).toBe(plain.depth);
    expect(r.exhausted).toBe(true);
  }
});

test('without --continue the search stops at the first violation', () => {
  for (const r of both(programOf(COUNTERS(INVARIANTS)), { continue: false })) {
    expect(summary(r)).toEqual([['Inv2', 2]]);
    expect(r.exhausted).toBe(false);
  }
});

test('a deadlock is reported once, beside the violations, and the search goes on', () => {
  const program = programOf(`algorithm D {
    variables x = 0, gate = FALSE;
    invariant Small == x < 1;
    process P = 1 { a: x := x + 1; b: await gate; }
    process Q = 2 { c: either { gate := TRUE } or { skip }; }
  }`);
  for (const r of both(program)) {
    expect(summary(r)).toEqual([['Small', 2], ['Deadlock', 3]]);
    expect(r.violations[1].failure.kind).toBe('deadlock');
    expect(r.verdict).toBe('violation');
    expect(r.exhausted).toBe(true);
  }
});

test('a failing assertion is reported once; that path has no successor, the other paths and the search go on', () => {
  const program = programOf(`algorithm S {
    variables x = 0, y = 0;
    invariant Small == x < 1;
    process P = 1 { a: x := 1; b: either { x := 2; assert x < 2 } or { y := 1 } or { assert y > 5 }; c: x := 3; }
  }`);
  for (const r of both(program)) {
    // The assert fails on two paths of b: one report; the second path (y := 1) goes on to c.
    expect(summary(r)).toEqual([['Small', 2], ['Assertion', 2]]);
    expect(r.violations[1].failingStep).not.toBeNull();
    expect(r.exhausted).toBe(true);
    expect(r.distinct).toBe(4);
    expect(r.verdict).toBe('violation');
  }
});

test('a runtime error in the model still ends a continued search', () => {
  const program = programOf(`algorithm E {
    variables x = 0, f = [i \\in 1..2 |-> 0];
    invariant Small == x < 1;
    process P = 1 { a: x := 1; b: x := f[x + 5]; c: skip; }
  }`);
  for (const r of both(program)) {
    expect(summary(r)).toEqual([['Small', 2], ['RuntimeError', 2]]);
    expect(r.exhausted).toBe(false);
  }
});

test('lock statistics of a continued check are exact: the hold span of a design that fails', () => {
  const path = writeModel(`algorithm L {
    spinlock l;
    variables x = 0;
    invariant Never == x < 1;
    process P \\in 1..2 { a: lock(l); b: x := x + 1; c: unlock(l); }
  }`);
  const stopped = checkModel(path);
  expect(stopped.lockStats.l.maxHoldSteps).toBeNull();
  const o = checkModel(path, { continue: true });
  expect(o.verdict).toBe('violation');
  expect(o.violations.map((v) => v.failure.property)).toEqual(['Never']);
  expect(o.lockStats.l).toEqual({ maxHoldSteps: 3, maxHoldCost: 3, maxWaiters: 1, maxBypass: 0, starvation: null });
});

// Found by the random progress models: a lasso's steps are computed again from states whose
// expansion also has a failing path (the assert), which the --continue search went past.
test.each(['reference', 'compiled'] as const)('a lasso through a state with a failing path is rebuilt (%s)', (engine) => {
  const file = writeModel(`algorithm FailingPath {
  variables g0 = 0;
  spinlock L0;
  property Tmp0 == (g0 = 0) ~> (g0 = 2);
  process (P0 = 5) {
  l0: either { assert {g0} \\in SUBSET {1}; } or { g0 := (g0 + 1) % 3; };
  l1: lock(L0); goto l0;
  }
}`);
  const o = checkModel(file, { engine, continue: true });
  expect((o.violations ?? []).map((v) => v.failure.property)).toEqual(['Assertion', 'SelfDeadlock', 'Tmp0']);
  expect(o.violations!.find((v) => v.failure.property === 'Tmp0')!.loop).not.toBeNull();
});
