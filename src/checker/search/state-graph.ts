// The explored state graph kept for the searches that need every edge (progress properties): the
// breadth-first search reports each edge to a GraphRecorder, which turns them into compressed rows
// by source state (CSR), and strongly connected components computed on typed arrays.
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

/** Edges per chunk of the recorder's storage. */
const CHUNK_BITS = 16;
const CHUNK_EDGES = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK_EDGES - 1;

/**
 * Records the search's edges; `graph(n)` gives them by source state once the search is over. With
 * `maxStates`, it stops recording at the first edge to a state beyond it: a graph that large is
 * not kept, and its edges would only take memory. Each edge is kept as its target and its step
 * (instance * labels + label) in fixed chunks, filled once and never grown or copied until
 * `graph`. While edges come in order of their source (the one-thread search expands states in id
 * order) the sources are not kept per edge: each state's first edge is (`firsts`, 4 bytes a state
 * against 4 an edge). The first edge that comes out of order (the parallel search reports edges
 * level by level) gives every edge its source from then on.
 */
export class GraphRecorder implements ExploreObserver {
  private readonly targets: Int32Array[] = [];
  private readonly steps: Int32Array[] = [];
  /** Each edge's source, in chunks beside the others; null while the edges come in source order. */
  private sources: Int32Array[] | null = null;
  /** While the edges come in source order: the index of the first edge of states 0..lastSource. */
  private firsts: Int32Array | null = new Int32Array(1024);
  private lastSource = -1;
  /** Edges recorded. */
  private count = 0;
  private stopped = false;

  /**
   * `labels`: the program's label count (a step is stored as instance * labels + label). `keep`:
   * the only steps recorded (the lock order needs only those that may change a lock's holder); a
   * recording of some steps gives walks of them, and no graph.
   */
  constructor(
    private readonly labels: number,
    private readonly maxStates = Infinity,
    private readonly keep: ((instance: number, label: number) => boolean) | null = null,
  ) {}

  edge(from: number, to: number, instance: number, label: number): void {
    if (this.stopped || (this.stopped = to >= this.maxStates)) return;
    if (this.keep !== null && !this.keep(instance, label)) return;
    if (this.firsts !== null) {
      if (from > this.lastSource) this.firstEdgeOf(from);
      else if (from < this.lastSource) this.keepSources();
    }
    const e = this.count++;
    const k = e & CHUNK_MASK;
    if (k === 0) {
      this.targets.push(new Int32Array(CHUNK_EDGES));
      this.steps.push(new Int32Array(CHUNK_EDGES));
      this.sources?.push(new Int32Array(CHUNK_EDGES));
    }
    const c = e >>> CHUNK_BITS;
    this.targets[c][k] = to;
    this.steps[c][k] = instance * this.labels + label;
    if (this.sources !== null) this.sources[c][k] = from;
  }

  expanded(): void {}

  /** The instance of a recorded step (instance * labels + label); its label is the rest. */
  private instanceOf(step: number): number {
    return Math.floor(step / this.labels);
  }

  /** States lastSource+1 .. `from` start at the next edge. */
  private firstEdgeOf(from: number): void {
    let firsts = this.firsts!;
    if (from >= firsts.length) {
      const grown = new Int32Array(Math.max(from + 1, 2 * firsts.length));
      grown.set(firsts);
      this.firsts = firsts = grown;
    }
    // Most often one state (the next), where a loop is cheaper than fill's call.
    for (let s = this.lastSource + 1; s <= from; s++) firsts[s] = this.count;
    this.lastSource = from;
  }

  /** The edges stop coming in source order: each edge so far given its source, and every edge from now on. */
  private keepSources(): void {
    const sources = this.targets.map(() => new Int32Array(CHUNK_EDGES));
    this.eachSourceInOrder((s, e) => (sources[e >>> CHUNK_BITS][e & CHUNK_MASK] = s));
    this.sources = sources;
    this.firsts = null;
  }

  /** While in source order: each edge's source and index, by index. */
  private eachSourceInOrder(visit: (source: number, edge: number) => void): void {
    const firsts = this.firsts!;
    for (let s = 0; s <= this.lastSource; s++) {
      for (let e = firsts[s], end = s === this.lastSource ? this.count : firsts[s + 1]; e < end; e++) visit(s, e);
    }
  }

  /**
   * The edges as recorded, when they came in order of their source: then edge i of the walk is
   * edge i of `graph`, which needs not be built. Null when they did not.
   */
  walkInSourceOrder(): EdgeWalk | null {
    if (this.firsts === null) return null;
    const { targets, steps, labels } = this;
    return (visit) =>
      this.eachSourceInOrder((s, e) => {
        const step = steps[e >>> CHUNK_BITS][e & CHUNK_MASK];
        const instance = this.instanceOf(step);
        visit(s, targets[e >>> CHUNK_BITS][e & CHUNK_MASK], instance, step - instance * labels, e);
      });
  }

  /** The graph over states 0..size-1: the edges by source, in the order recorded for each source. */
  graph(size: number): StateGraph {
    if (this.keep !== null) throw new Error('a recording of some steps only has no state graph');
    return this.recordedBySource(size);
  }

  /**
   * The edges recorded, by source (in the order recorded for each source): the state graph when
   * every step was recorded, else the walk of the steps kept that one thread's search gives.
   */
  recordedBySource(size: number): StateGraph {
    const m = this.count;
    const { targets, steps, labels } = this;
    const start = new Int32Array(size + 1);
    const target = new Int32Array(m);
    const instance = new Int32Array(m);
    const label = new Int32Array(m);
    const unpack = (e: number, at: number): void => {
      const step = steps[e >>> CHUNK_BITS][e & CHUNK_MASK];
      instance[at] = this.instanceOf(step);
      label[at] = step - instance[at] * labels;
    };
    if (this.firsts !== null) {
      // In source order: edge e is the graph's edge e.
      const firsts = this.firsts;
      for (let s = 0; s <= size; s++) start[s] = s <= this.lastSource ? firsts[s] : m;
      targets.forEach((chunk, c) => target.set(chunk.subarray(0, Math.min(CHUNK_EDGES, m - c * CHUNK_EDGES)), c * CHUNK_EDGES));
      for (let e = 0; e < m; e++) unpack(e, e);
    } else {
      // A stable counting sort by source.
      const sources = this.sources!;
      for (let e = 0; e < m; e++) start[sources[e >>> CHUNK_BITS][e & CHUNK_MASK] + 1]++;
      for (let s = 0; s < size; s++) start[s + 1] += start[s];
      const fill = start.slice(0, size);
      for (let e = 0; e < m; e++) {
        const at = fill[sources[e >>> CHUNK_BITS][e & CHUNK_MASK]]++;
        target[at] = targets[e >>> CHUNK_BITS][e & CHUNK_MASK];
        unpack(e, at);
      }
    }
    return { size, start, target, instance, label };
  }
}

/** Visits every edge of a graph in the order of its edge indices: source, target, the step's instance and label, the index. */
export type EdgeWalk = (visit: (source: number, target: number, instance: number, label: number, edge: number) => void) => void;

/** The edges of `graph` by index. */
export function walkGraph(graph: StateGraph): EdgeWalk {
  return (visit) => {
    const { start, target, instance, label } = graph;
    for (let u = 0; u < graph.size; u++) for (let e = start[u]; e < start[u + 1]; e++) visit(u, target[e], instance[e], label[e], e);
  };
}

/** Several observers of one search, called in turn. */
export function observeAll(observers: (ExploreObserver | null | undefined)[]): ExploreObserver | undefined {
  const all = observers.filter((o): o is ExploreObserver => !!o);
  if (all.length <= 1) return all[0];
  // Indexed loops: the edge is reported for every successor, and must not allocate.
  return {
    edge: (f, t, i, l) => {
      for (let k = 0; k < all.length; k++) all[k].edge(f, t, i, l);
    },
    expanded: (id, enabled) => {
      for (let k = 0; k < all.length; k++) all[k].expanded(id, enabled);
    },
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
  const out: number[][] = [];
  eachComponent(graph, roots, follows, (stack, from, to) => {
    const component: number[] = [];
    for (let i = to - 1; i >= from; i--) component.push(stack[i]);
    out.push(component);
  });
  return out;
}

/**
 * Tarjan's algorithm (iterative, on typed arrays, no allocation per state or component): the
 * strongly connected components reached from `roots` by the edges `follows` keeps, each given to
 * `done` as it is found, in reverse topological order (after every component it reaches), as the
 * slice stack[from .. to-1] (its root, the state it is named by, first), with `comp`: each
 * state's component (its root; -1: not reached), complete for the components given to `done`
 * so far. Returns `comp` (the scratch's: valid until its next call).
 */
export function eachComponent(
  graph: StateGraph,
  roots: Iterable<number>,
  follows: (e: number, s: number) => boolean,
  done: (stack: Int32Array, from: number, to: number, comp: Int32Array) => void,
  scratch: ComponentScratch = new ComponentScratch(graph.size),
): Int32Array {
  const { start, target } = graph;
  scratch.forget();
  const { index, low, comp, stack, callState, callEdge, visited } = scratch;
  // A state visited and not yet in a component is on the stack.
  let top = 0;
  let counter = 0;
  for (const root of roots) {
    if (index[root] >= 0) continue;
    index[root] = low[root] = counter++;
    visited[scratch.visitedCount++] = root;
    stack[top++] = root;
    callState[0] = root;
    callEdge[0] = start[root];
    let calls = 1;
    while (calls > 0) {
      const s = callState[calls - 1];
      const e = callEdge[calls - 1];
      if (e < start[s + 1]) {
        callEdge[calls - 1] = e + 1;
        if (!follows(e, s)) continue;
        const t = target[e];
        if (index[t] < 0) {
          index[t] = low[t] = counter++;
          visited[scratch.visitedCount++] = t;
          stack[top++] = t;
          callState[calls] = t;
          callEdge[calls] = start[t];
          calls++;
        } else if (comp[t] < 0 && index[t] < low[s]) low[s] = index[t];
        continue;
      }
      calls--;
      if (calls > 0) {
        const parent = callState[calls - 1];
        if (low[s] < low[parent]) low[parent] = low[s];
      }
      if (low[s] !== index[s]) continue;
      let from = top;
      do comp[stack[--from]] = s;
      while (stack[from] !== s);
      done(stack, from, top, comp);
      top = from;
    }
  }
  return comp;
}

/**
 * eachComponent's arrays, one graph's size, for a caller that asks many questions of one graph
 * (lock statistics: one per lock and waiter): allocated once, and between calls only the states
 * the last call visited are reset. A call's `comp` is valid until the next call with the same scratch.
 */
export class ComponentScratch {
  readonly index: Int32Array;
  readonly low: Int32Array;
  readonly comp: Int32Array;
  readonly stack: Int32Array;
  readonly callState: Int32Array;
  readonly callEdge: Int32Array;
  /** The states the last call visited, in the order it did. */
  readonly visited: Int32Array;
  visitedCount = 0;

  constructor(size: number) {
    this.index = new Int32Array(size).fill(-1);
    this.low = new Int32Array(size);
    this.comp = new Int32Array(size).fill(-1);
    this.stack = new Int32Array(size);
    this.callState = new Int32Array(size);
    this.callEdge = new Int32Array(size);
    this.visited = new Int32Array(size);
  }

  /** Unvisits the states of the last call. */
  forget(): void {
    const { index, comp, visited } = this;
    for (let i = 0; i < this.visitedCount; i++) {
      index[visited[i]] = -1;
      comp[visited[i]] = -1;
    }
    this.visitedCount = 0;
  }
}
