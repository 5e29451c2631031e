// The slots an invariant can read (slots-read.ts), on small programs whose layout is known: every
// slot of each variable it names, in every instance, through recursive functions too.
import { makeLayout } from '../../../../src/checker/engine/compiled/layout.js';
import { meets, slotsRead } from '../../../../src/checker/engine/compiled/slots-read.js';
import { ValueTable } from '../../../../src/checker/engine/compiled/valuetable.js';
import { programOf } from '../../../helpers.js';

function readsOf(text: string): Record<string, number[]> {
  const program = programOf(text);
  const layout = makeLayout(program, new ValueTable());
  return Object.fromEntries(program.invariants.filter((inv) => !inv.builtin).map((inv) => [inv.name, Array.from(slotsRead(program, layout, inv.body))]));
}

test('globals by their slots, flattened functions whole', () => {
  // Row: x (0), f[1], f[2] (1, 2), y (3), then P(1): pc 4, P(2): pc 5.
  const reads = readsOf(`algorithm A {
    variables x = 0, f = [i \\in 1..2 |-> 0], y = 0;
    invariant OnX == x >= 0;
    invariant OnF == f[1] = 0 \\/ y = 1;
    invariant OnNothing == TRUE;
    process P \\in 1..2 { a: x := 1; }
  }`);
  expect(reads).toEqual({ OnX: [0], OnF: [1, 2, 3], OnNothing: [] });
});

test("process variables in every instance, pcs, and a recursive function's reads", () => {
  // Row: g (0), then per instance its pc and its local v: P(1) 1, 2; P(2) 3, 4.
  const reads = readsOf(`algorithm A {
    variables g = 0;
    define { Sum[n \\in 0..2] == IF n = 0 THEN g ELSE Sum[n - 1] }
    invariant OnLocal == \\A p \\in 1..2 : v[p] >= 0;
    invariant OnPc == \\A p \\in 1..2 : pc[p] = "a";
    invariant ThroughSum == Sum[2] >= 0;
    process P \\in 1..2 variables v = 0; { a: v := 1; }
  }`);
  expect(reads).toEqual({ OnLocal: [2, 4], OnPc: [1, 3], ThroughSum: [0] });
});

test('meets: whether two sorted lists share a slot', () => {
  const of = (xs: number[]) => Int32Array.from(xs);
  expect(meets(of([1, 4, 9]), of([2, 4]))).toBe(true);
  expect(meets(of([1, 4, 9]), of([2, 5, 10]))).toBe(false);
  expect(meets(of([]), of([0]))).toBe(false);
  expect(meets(of([7]), of([0, 3, 7]))).toBe(true);
});
