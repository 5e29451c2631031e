// The explored state graph kept for the searches that need every edge (progress properties): the
// breadth-first search reports each edge to a GraphRecorder, which turns them into compressed rows
// by source state (CSR), and strongly connected components computed on typed arrays.
import { Column } from './column.js';
import type { ExploreObserver } from './breadth-first.js';

/** The state graph: the edges leaving state s are start[s] .. start[s+1]-1. */
export interface StateGraph {
  size: number;
  start: Int32Array;
  target: Int32Array;
  /** The process instance and label of each edge's step. */
  instance: Int32Array;
  label: Int32Array;
}

/**
 * Records the search's edges; `graph(n)` gives them by source state once the search is over. With
 * `maxStates`, it stops recording at the first edge to a state beyond it: a graph that large is
 * not kept, and its edges would only take memory.
 */
export class GraphRecorder implements ExploreObserver {
  private readonly from = new Column();
  private readonly to = new Column();
  private readonly by = new Column();
  private readonly labelOf = new Column();

  private stopped = false;

  constructor(private readonly maxStates = Infinity) {}

  edge(from: number, to: number, instance: number, label: number): void {
    if (this.stopped || (this.stopped = to >= this.maxStates)) return;
    this.from.push(from);
    this.to.push(to);
    this.by.push(instance);
    this.labelOf.push(label);
  }

  expanded(): void {}

  /** The graph over states 0..size-1 (a counting sort of the edges by source, stable). */
  graph(size: number): StateGraph {
    const m = this.from.length;
    const from = this.from.data;
    const start = new Int32Array(size + 1);
    for (let e = 0; e < m; e++) start[from[e] + 1]++;
    for (let s = 0; s < size; s++) start[s + 1] += start[s];
    const fill = start.slice(0, size);
    const target = new Int32Array(m);
    const instance = new Int32Array(m);
    const label = new Int32Array(m);
    for (let e = 0; e < m; e++) {
      const k = fill[from[e]]++;
      target[k] = this.to.data[e];
      instance[k] = this.by.data[e];
      label[k] = this.labelOf.data[e];
    }
    return { size, start, target, instance, label };
  }
}

/** Several observers of one search, called in turn. */
export function observeAll(observers: (ExploreObserver | null | undefined)[]): ExploreObserver | undefined {
  const all = observers.filter((o): o is ExploreObserver => !!o);
  if (all.length <= 1) return all[0];
  return {
    edge: (f, t, i, l) => all.forEach((o) => o.edge(f, t, i, l)),
    expanded: (id, enabled) => all.forEach((o) => o.expanded(id, enabled)),
  };
}

/** The source state of edge `e` (edges are sorted by source). */
export function sourceOf(graph: StateGraph, e: number): number {
  let lo = 0;
  let hi = graph.size - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (graph.start[mid] <= e) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The strongly connected components of the subgraph of `states` (marked in `member`), by
 * Tarjan's algorithm on typed arrays (iterative), each a list of states.
 */
export function stronglyConnected(graph: StateGraph, states: Iterable<number>, member: Uint8Array): number[][] {
  return componentsAlong(graph, states, (e) => member[graph.target[e]] === 1);
}

/**
 * The strongly connected components reached from `roots` by the edges `follows` keeps (edge `e`
 * leaving state `s`), by Tarjan's algorithm on typed arrays (iterative): each a list of states, in
 * reverse topological order (a component comes after every component it reaches).
 */
export function componentsAlong(graph: StateGraph, roots: Iterable<number>, follows: (e: number, s: number) => boolean): number[][] {
  const n = graph.size;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const callState: number[] = [];
  const callEdge: number[] = [];
  const out: number[][] = [];
  let counter = 0;
  for (const root of roots) {
    if (index[root] >= 0) continue;
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    callState.push(root);
    callEdge.push(graph.start[root]);
    while (callState.length) {
      const top = callState.length - 1;
      const s = callState[top];
      const e = callEdge[top];
      if (e < graph.start[s + 1]) {
        callEdge[top] = e + 1;
        if (!follows(e, s)) continue;
        const t = graph.target[e];
        if (index[t] < 0) {
          index[t] = low[t] = counter++;
          stack.push(t);
          onStack[t] = 1;
          callState.push(t);
          callEdge.push(graph.start[t]);
        } else if (onStack[t]) low[s] = Math.min(low[s], index[t]);
        continue;
      }
      callState.pop();
      callEdge.pop();
      if (callState.length) {
        const parent = callState[callState.length - 1];
        low[parent] = Math.min(low[parent], low[s]);
      }
      if (low[s] !== index[s]) continue;
      const component: number[] = [];
      let t: number;
      do {
        t = stack.pop()!;
        onStack[t] = 0;
        component.push(t);
      } while (t !== s);
      out.push(component);
    }
  }
  return out;
}
