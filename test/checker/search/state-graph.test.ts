// The state graph's own structures against brute force on random graphs (fixed seeds): Tarjan's
// components (eachComponent, componentsAlong) against mutual reachability, the same with arrays
// reused from call to call (ComponentScratch), and the recorder's rows
// (its chunks sorted by source, stably) whether the edges come in source order or not, and its
// walk of the edges as recorded (the graph's edges by index) when they come in source order.
import { ComponentScratch, componentsAlong, eachComponent, GraphRecorder, walkGraph, type EdgeWalk, type StateGraph } from '../../../src/checker/search/state-graph.js';

/** A small deterministic generator (mulberry32): the same graphs on every run. */
function generator(seed: number): (below: number) => number {
  let a = seed >>> 0;
  return (below) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * below);
  };
}

/** The label count of the recorders here (labels 0..LABELS-1). */
const LABELS = 11;

/** Random edges [from, to, instance, label] over `size` states, self loops and repeats included. */
function randomEdges(random: (below: number) => number, size: number, count: number): [number, number, number, number][] {
  return Array.from({ length: count }, () => [random(size), random(size), random(3), random(LABELS)]);
}

function recorded(size: number, edges: [number, number, number, number][]): StateGraph {
  const recorder = new GraphRecorder(LABELS);
  for (const [f, t, i, l] of edges) recorder.edge(f, t, i, l);
  return recorder.graph(size);
}

/** Which states reach which along the kept edges (reach[u][v]: a path of zero or more edges). */
function reachability(graph: StateGraph, keep: (e: number) => boolean): boolean[][] {
  const reach = Array.from({ length: graph.size }, (_, u) => Array.from({ length: graph.size }, (_, v) => u === v));
  for (let u = 0; u < graph.size; u++) for (let e = graph.start[u]; e < graph.start[u + 1]; e++) if (keep(e)) reach[u][graph.target[e]] = true;
  for (let k = 0; k < graph.size; k++) for (let u = 0; u < graph.size; u++) if (reach[u][k]) for (let v = 0; v < graph.size; v++) if (reach[k][v]) reach[u][v] = true;
  return reach;
}

/** A graph of 1-14 states with up to three edges a state. */
function randomGraph(random: (below: number) => number): StateGraph {
  const size = 1 + random(14);
  return recorded(size, randomEdges(random, size, random(3 * size + 1)));
}

/** A question for eachComponent: each edge kept but one in `dropOneIn`, and 1-3 roots. */
function randomQuestion(random: (below: number) => number, graph: StateGraph, dropOneIn: number): { keep: (e: number) => boolean; roots: number[] } {
  const kept = new Uint8Array(graph.target.length).map(() => (random(dropOneIn) === 0 ? 0 : 1));
  return { keep: (e) => kept[e] === 1, roots: Array.from({ length: 1 + random(3) }, () => random(graph.size)) };
}

describe('eachComponent: Tarjan on typed arrays', () => {
  it('finds the mutual-reachability classes of what the roots reach, in reverse topological order, on 300 random graphs', () => {
    const random = generator(15);
    for (let run = 0; run < 300; run++) {
      const graph = randomGraph(random);
      const size = graph.size;
      const { keep, roots } = randomQuestion(random, graph, 4);
      const reach = reachability(graph, keep);

      const components: number[][] = [];
      const named: number[] = [];
      const comp = eachComponent(graph, roots, keep, (stack, from, to, partial) => {
        const members = Array.from(stack.subarray(from, to));
        // Named by its root, the slice's first state, as soon as it is given.
        for (const m of members) expect(partial[m]).toBe(stack[from]);
        components.push(members);
        named.push(stack[from]);
      });

      const reached = [...Array(size).keys()].filter((v) => roots.some((r) => reach[r][v]));
      expect(components.flat().sort((a, b) => a - b)).toEqual(reached);
      for (let v = 0; v < size; v++) expect(comp[v] >= 0).toBe(reached.includes(v));
      components.forEach((members, i) => {
        for (const u of members) {
          expect(comp[u]).toBe(named[i]);
          for (const v of reached) expect(members.includes(v)).toBe(reach[u][v] && reach[v][u]);
        }
      });
      // Every kept edge between two components goes to one given before.
      const position = new Map(named.map((root, i) => [root, i]));
      for (const u of reached) {
        for (let e = graph.start[u]; e < graph.start[u + 1]; e++) {
          if (keep(e)) expect(position.get(comp[graph.target[e]])!).toBeLessThanOrEqual(position.get(comp[u])!);
        }
      }
      // componentsAlong: the same components, each listed from the last state pushed to its root.
      expect(componentsAlong(graph, roots, keep)).toEqual(components.map((members) => [...members].reverse()));
    }
  });
});

describe('ComponentScratch: one set of arrays for many questions of one graph', () => {
  it('gives every call what fresh arrays give, whatever the calls before it visited', () => {
    const random = generator(16);
    for (let g = 0; g < 20; g++) {
      const graph = randomGraph(random);
      const scratch = new ComponentScratch(graph.size);
      for (let question = 0; question < 15; question++) {
        const { keep, roots } = randomQuestion(random, graph, 3);
        const given = (into: number[][]) => (stack: Int32Array, from: number, to: number) => into.push(Array.from(stack.subarray(from, to)));
        const fresh: number[][] = [];
        const reused: number[][] = [];
        const freshComp = Array.from(eachComponent(graph, roots, keep, given(fresh)));
        expect(Array.from(eachComponent(graph, roots, keep, given(reused), scratch))).toEqual(freshComp);
        expect(reused).toEqual(fresh);
      }
    }
  });
});

describe('GraphRecorder', () => {
  it('gives the edges of each state in the order reported, whether or not they came in source order', () => {
    const random = generator(7);
    // A stable sort by source: what the rows must hold.
    const stable = (edges: [number, number, number, number][]) =>
      edges.map((edge, i) => [edge, i] as const).sort((x, y) => x[0][0] - y[0][0] || x[1] - y[1]).map(([edge]) => edge);
    for (let run = 0; run < 100; run++) {
      const size = 1 + random(20);
      // Across chunk ends in some runs.
      const edges = randomEdges(random, size, run % 25 === 0 ? 70_000 + random(70_000) : random(4 * size + 1));
      const bySource = stable(edges);
      // In source order for a while (past a chunk's end in the long runs), then not.
      const half = bySource.length >> 1;
      const late = [...bySource.slice(0, half), ...bySource.slice(half).reverse()];
      for (const order of [edges, bySource, late]) {
        const graph = recorded(size, order);
        const rows: number[] = [];
        for (let u = 0; u < size; u++) {
          for (let e = graph.start[u]; e < graph.start[u + 1]; e++) rows.push(u, graph.target[e], graph.instance[e], graph.label[e]);
        }
        const want = stable(order).flat();
        expect(graph.start[size]).toBe(edges.length);
        expect(rows.length).toBe(want.length);
        expect(rows.findIndex((x, i) => x !== want[i])).toBe(-1);
      }
    }
  });

  it('walks its edges as recorded, with their indices in the graph, only when they came in source order', () => {
    const random = generator(11);
    for (let run = 0; run < 100; run++) {
      const size = 1 + random(20);
      // Many chunks' worth in some runs, so that indices run across chunk ends.
      const edges = randomEdges(random, size, run % 10 === 0 ? 70_000 + random(70_000) : random(4 * size + 1));
      const bySource = [...edges].sort((x, y) => x[0] - y[0]);
      const walked = (walk: EdgeWalk): number[] => {
        const out: number[] = [];
        walk((u, v, p, l, e) => out.push(u, v, p, l, e));
        return out;
      };
      const recorder = new GraphRecorder(LABELS);
      for (const [f, t, i, l] of bySource) recorder.edge(f, t, i, l);
      const walk = recorder.walkInSourceOrder();
      expect(walk).not.toBeNull();
      const [mine, graphs] = [walked(walk!), walked(walkGraph(recorder.graph(size)))];
      expect(mine.length).toBe(5 * edges.length);
      expect(mine.findIndex((x, i) => x !== graphs[i])).toBe(-1);
      const unordered = new GraphRecorder(LABELS);
      for (const [f, t, i, l] of edges) unordered.edge(f, t, i, l);
      const inOrder = edges.every((edge, i) => i === 0 || edges[i - 1][0] <= edge[0]);
      expect(unordered.walkInSourceOrder() !== null).toBe(inOrder);
    }
  });

  it('keeps edges across many chunks', () => {
    const edges = Array.from({ length: 200_000 }, (_, i): [number, number, number, number] => [i % 1000, (7 * i) % 1000, i % 3, i % 11]);
    const graph = recorded(1000, edges);
    expect(graph.start[1000]).toBe(200_000);
    // State 5's edges: i = 5, 1005, 2005, ... in the order reported.
    const row = Array.from(graph.target.subarray(graph.start[5], graph.start[6]));
    expect(row).toEqual(Array.from({ length: 200 }, (_, j) => (7 * (5 + 1000 * j)) % 1000));
    expect(graph.label[graph.start[5] + 3]).toBe(3005 % 11);
  });

  it('keeps no edge to a state beyond maxStates, nor any after it', () => {
    const recorder = new GraphRecorder(LABELS, 3);
    recorder.edge(0, 1, 0, 0);
    recorder.edge(1, 3, 0, 0);
    recorder.edge(1, 2, 0, 0);
    const graph = recorder.graph(3);
    expect(Array.from(graph.start)).toEqual([0, 1, 1, 1]);
  });
});
