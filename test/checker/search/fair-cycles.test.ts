// Fair cycles on small hand-made state graphs: weak fairness is met by a step or by a state where
// the action is disabled; strong fairness needs the step whenever the action is enabled somewhere
// on the cycle; a step that changes nothing takes no action; stuttering is a behaviour too.
import { findFairLasso, type FairAction, type Lasso } from '../../../src/checker/search/fair-cycles.js';
import type { StateGraph } from '../../../src/checker/search/state-graph.js';

/** A graph from [from, to, instance, label] edges. */
function graph(size: number, edges: [number, number, number, number][]): StateGraph {
  const sorted = [...edges].sort((a, b) => a[0] - b[0]);
  const start = new Int32Array(size + 1);
  for (const [f] of sorted) start[f + 1]++;
  for (let i = 0; i < size; i++) start[i + 1] += start[i];
  return {
    size,
    start,
    target: Int32Array.from(sorted.map((e) => e[1])),
    instance: Int32Array.from(sorted.map((e) => e[2])),
    label: Int32Array.from(sorted.map((e) => e[3])),
  };
}

const mask = (size: number, states: number[]): Uint8Array => {
  const m = new Uint8Array(size);
  for (const s of states) m[s] = 1;
  return m;
};

/** Instance `instance`'s steps at every label, weakly or strongly fair. */
const fair = (instance: number, strong = false, labels = 4): FairAction => ({ strong, instance, labels: new Uint8Array(labels).fill(1) });

/** The states a lasso visits, in order. */
function walk(g: StateGraph, l: Lasso): { stem: number[]; cycle: number[] } {
  const targets = (edges: number[]): number[] => edges.map((e) => g.target[e]);
  return { stem: [l.from, ...targets(l.stem)], cycle: targets(l.cycle) };
}

describe('weak and strong fairness', () => {
  // 0: p can move to 1 (label 0); q toggles 0 <-> 2 (label 1); in 2, p is disabled.
  const g = graph(3, [[0, 1, 0, 0], [0, 2, 1, 1], [2, 0, 1, 1]]);
  const never1 = { allowed: mask(3, [0, 2]), from: [0] };

  test('without fairness a behaviour may stutter in the first state', () => {
    expect(findFairLasso(g, [], never1)).toEqual({ from: 0, stem: [], entry: 0, cycle: [] });
  });

  test('weak fairness of p is met by the states where p is disabled: 0 -> 2 -> 0 for ever', () => {
    const l = findFairLasso(g, [fair(0), fair(1)], never1)!;
    expect(l).not.toBeNull();
    expect(walk(g, l).cycle.sort()).toEqual([0, 2]);
  });

  test('strong fairness of p forbids that cycle: p is enabled in 0 infinitely often', () => {
    expect(findFairLasso(g, [fair(0, true), fair(1)], never1)).toBeNull();
  });

  test('weak fairness of q forbids stopping in 2, where q is enabled', () => {
    expect(findFairLasso(g, [fair(1)], { allowed: mask(3, [2]), from: [2] })).toBeNull();
  });
});

describe('steps and stuttering', () => {
  test('a spin step that changes nothing is no step: weak fairness allows stuttering in it', () => {
    const spin = graph(2, [[0, 0, 0, 0], [0, 1, 1, 0]]);
    expect(findFairLasso(spin, [fair(0)], { allowed: mask(2, [0]), from: [0] })).toEqual({ from: 0, stem: [], entry: 0, cycle: [] });
    expect(findFairLasso(spin, [fair(1)], { allowed: mask(2, [0]), from: [0] })).toBeNull();
  });

  test('the stem leads from the entry state to the cycle inside the allowed states', () => {
    // 0 -> 1 -> 2 -> 3 -> 2 (all by p, weakly fair); allowed: every state.
    const g = graph(4, [[0, 1, 0, 0], [1, 2, 0, 0], [2, 3, 0, 1], [3, 2, 0, 1]]);
    const l = findFairLasso(g, [fair(0)], { allowed: mask(4, [0, 1, 2, 3]), from: [0] })!;
    expect(walk(g, l)).toEqual({ stem: [0, 1, 2], cycle: [3, 2] });
    expect(l.entry).toBe(2);
  });

  test('only the labels of an action count for it', () => {
    // p's label 1 step leaves; only label 0 is weakly fair: the behaviour may stay in 0.
    const g = graph(2, [[0, 1, 0, 1]]);
    const label0: FairAction = { strong: false, instance: 0, labels: Uint8Array.from([1, 0]) };
    expect(findFairLasso(g, [label0], { allowed: mask(2, [0]), from: [0] })).not.toBeNull();
    expect(findFairLasso(g, [fair(0, false, 2)], { allowed: mask(2, [0]), from: [0] })).toBeNull();
  });
});

describe('accepting states (<>[]P fails when not-P recurs)', () => {
  // 0 <-> 1 by p (weakly fair); 1 is not-P.
  const g = graph(2, [[0, 1, 0, 0], [1, 0, 0, 0]]);
  test('a fair cycle through an accepting state', () => {
    const l = findFairLasso(g, [fair(0)], { allowed: mask(2, [0, 1]), from: [0], accepting: mask(2, [1]) })!;
    expect(walk(g, l).cycle).toContain(1);
  });
  test('none when no state of any fair cycle accepts', () => {
    const h = graph(3, [[0, 1, 0, 0], [1, 2, 0, 0], [2, 1, 0, 0]]);
    expect(findFairLasso(h, [fair(0)], { allowed: mask(3, [0, 1, 2]), from: [0], accepting: mask(3, [0]) })).toBeNull();
  });
});
