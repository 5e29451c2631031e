// Fair cycles on the explicit state graph: the core of checking progress (`~>`, `[]<>`, `<>`,
// `<>[]`) under PlusCal's weak and strong fairness. A temporal property fails exactly when some fair
// behaviour stays, from some point on, inside a set of states (where the awaited predicate is false)
// for ever; such a behaviour ends in a strongly connected component of that subgraph in which every
// fairness condition can be met (Emerson-Lei): a weakly fair action enabled in every state of the
// component is taken inside it; a strongly fair action enabled in some state is taken inside it,
// else the states where it is enabled are removed and the rest is split again. Stuttering is always
// possible in TLA+, so one state alone is a component too (fair when every fair action is disabled
// there). A step that leaves the state unchanged takes no action (TLA+'s <<A>>_vars).
//
// Everything is on typed arrays over state ids: the graph in CSR form, membership as byte masks.
import { sourceOf, stronglyConnected, type StateGraph } from './state-graph.js';

/** One fairness condition: the steps of `instance` at the labels marked in `labels` (by label index). */
export interface FairAction {
  strong: boolean;
  instance: number;
  labels: Uint8Array;
}

/**
 * A lasso: from state `from`, the edges `stem` (inside the allowed states) lead to the first state
 * of `cycle`, whose edges return to it; an empty cycle means the behaviour stutters there for ever.
 */
export interface Lasso {
  from: number;
  stem: number[];
  entry: number;
  cycle: number[];
}

export interface FairCycleQuery {
  /** States the behaviour may stay in (1) for ever. */
  allowed: Uint8Array;
  /** Where the behaviour may enter them (each must be allowed). */
  from: Iterable<number>;
  /** If given, the cycle must pass through one of these states (a Büchi condition). */
  accepting?: Uint8Array;
}

/** A fair lasso as the query asks, the shortest-entry one found, or null when none exists. */
export function findFairLasso(graph: StateGraph, actions: FairAction[], query: FairCycleQuery): Lasso | null {
  const { allowed, accepting } = query;
  const n = graph.size;
  // 1. The allowed states reachable from the entry states inside the allowed ones (breadth-first).
  const parentEdge = new Int32Array(n).fill(-2);
  const origin = new Int32Array(n).fill(-1);
  const queue: number[] = [];
  for (const s of query.from) {
    if (!allowed[s] || parentEdge[s] !== -2) continue;
    parentEdge[s] = -1;
    origin[s] = s;
    queue.push(s);
  }
  for (let q = 0; q < queue.length; q++) {
    const s = queue[q];
    for (let e = graph.start[s]; e < graph.start[s + 1]; e++) {
      const t = graph.target[e];
      if (!allowed[t] || parentEdge[t] !== -2) continue;
      parentEdge[t] = e;
      origin[t] = origin[s];
      queue.push(t);
    }
  }
  const inside = new Uint8Array(n);
  for (const s of queue) inside[s] = 1;
  // 2. Its strongly connected components, each checked for a fair sub-component, nearest first.
  const enabled = enabledSets(graph, actions);
  const distance = new Int32Array(n);
  queue.forEach((s, i) => (distance[s] = i));
  const components = stronglyConnected(graph, queue, inside).sort((a, b) => minDistance(a, distance) - minDistance(b, distance));
  const scratch = new Uint8Array(n);
  for (const component of components) {
    const fair = fairComponent(graph, actions, enabled, component, accepting, scratch);
    if (!fair) continue;
    const entry = fair.states.reduce((best, s) => (distance[s] < distance[best] ? s : best));
    const stem: number[] = [];
    for (let s = entry; parentEdge[s] >= 0; s = sourceOf(graph, parentEdge[s])) stem.push(parentEdge[s]);
    stem.reverse();
    return { from: origin[entry], stem, entry, cycle: witnessCycle(graph, fair, entry, accepting) };
  }
  return null;
}

/** For each action, the states where it can take a step that changes the state (byte masks). */
function enabledSets(graph: StateGraph, actions: FairAction[]): Uint8Array[] {
  return actions.map((a) => {
    const on = new Uint8Array(graph.size);
    for (let s = 0; s < graph.size; s++) {
      for (let e = graph.start[s]; e < graph.start[s + 1]; e++) {
        if (takes(graph, a, e, s)) {
          on[s] = 1;
          break;
        }
      }
    }
    return on;
  });
}

/** Whether edge `e` leaving `s` is a state-changing step of action `a`. */
function takes(graph: StateGraph, a: FairAction, e: number, s: number): boolean {
  return graph.instance[e] === a.instance && a.labels[graph.label[e]] === 1 && graph.target[e] !== s;
}

function minDistance(states: number[], distance: Int32Array): number {
  let m = Infinity;
  for (const s of states) m = Math.min(m, distance[s]);
  return m;
}

/** A fair component: its states, and for each action the edge that takes it there (or -1). */
interface FairComponent {
  states: number[];
  member: Uint8Array;
  /** Per action: an edge inside taking it, or -1 (then a state where it is disabled, or -1 if never enabled). */
  takenBy: Int32Array;
  disabledAt: Int32Array;
}

/**
 * The fair part of a component (Emerson-Lei): null when a weakly fair action is enabled in every
 * state but never taken inside, or when no sub-component is fair once the states enabling an
 * untaken strongly fair action are removed.
 */
function fairComponent(
  graph: StateGraph,
  actions: FairAction[],
  enabled: Uint8Array[],
  states: number[],
  accepting: Uint8Array | undefined,
  scratch: Uint8Array,
): FairComponent | null {
  if (accepting && !states.some((s) => accepting[s])) return null;
  // `scratch` (all zero between calls) marks the component's states: no array of the graph's size
  // per component, which made a graph of many small components quadratic.
  const mark = (on: number): void => {
    for (const s of states) scratch[s] = on;
  };
  mark(1);
  const takenBy = new Int32Array(actions.length).fill(-1);
  const disabledAt = new Int32Array(actions.length).fill(-1);
  const enabledSomewhere = new Uint8Array(actions.length);
  for (const s of states) {
    for (let e = graph.start[s]; e < graph.start[s + 1]; e++) {
      if (!scratch[graph.target[e]]) continue;
      for (let i = 0; i < actions.length; i++) if (takenBy[i] < 0 && takes(graph, actions[i], e, s)) takenBy[i] = e;
    }
    for (let i = 0; i < actions.length; i++) {
      if (enabled[i][s]) enabledSomewhere[i] = 1;
      else if (disabledAt[i] < 0) disabledAt[i] = s;
    }
  }
  mark(0);
  let refine: number[] | null = null;
  for (let i = 0; i < actions.length; i++) {
    if (takenBy[i] >= 0) continue;
    if (!actions[i].strong) {
      if (disabledAt[i] < 0) return null;
    } else if (enabledSomewhere[i]) {
      refine ??= [];
      for (const s of states) if (enabled[i][s]) refine.push(s);
    }
  }
  if (!refine) {
    const member = new Uint8Array(graph.size);
    for (const s of states) member[s] = 1;
    return { states, member, takenBy, disabledAt };
  }
  for (const s of refine) scratch[s] = 1;
  const rest = states.filter((s) => !scratch[s]);
  for (const s of refine) scratch[s] = 0;
  for (const s of rest) scratch[s] = 1;
  const subs = stronglyConnected(graph, rest, scratch);
  for (const s of rest) scratch[s] = 0;
  for (const sub of subs) {
    const fair = fairComponent(graph, actions, enabled, sub, accepting, scratch);
    if (fair) return fair;
  }
  return null;
}

/**
 * A cycle from `entry` back to it inside the component that takes every action the component
 * takes, passes a state where each untaken weakly fair action is disabled, and an accepting
 * state if asked: shortest paths between these waypoints, in turn. Empty: stutter at `entry`.
 */
function witnessCycle(graph: StateGraph, fair: FairComponent, entry: number, accepting: Uint8Array | undefined): number[] {
  const waypoints: ({ edge: number } | { state: number })[] = [];
  fair.takenBy.forEach((e, i) => {
    if (e >= 0) waypoints.push({ edge: e });
    else if (fair.disabledAt[i] >= 0 && fair.disabledAt[i] !== entry) waypoints.push({ state: fair.disabledAt[i] });
  });
  if (accepting && !accepting[entry]) waypoints.push({ state: fair.states.find((s) => accepting[s])! });
  const cycle: number[] = [];
  let at = entry;
  for (const w of waypoints) {
    if ('edge' in w) {
      cycle.push(...shortestPath(graph, fair.member, at, sourceOf(graph, w.edge)), w.edge);
      at = graph.target[w.edge];
    } else {
      cycle.push(...shortestPath(graph, fair.member, at, w.state));
      at = w.state;
    }
  }
  if (cycle.length > 0 || at !== entry) cycle.push(...shortestPath(graph, fair.member, at, entry));
  return cycle;
}

/** The edges of a shortest path from `a` to `b` inside `member` (empty when a = b). */
function shortestPath(graph: StateGraph, member: Uint8Array, a: number, b: number): number[] {
  if (a === b) return [];
  const via = new Map<number, number>([[a, -1]]);
  const queue = [a];
  for (let q = 0; q < queue.length && !via.has(b); q++) {
    const s = queue[q];
    for (let e = graph.start[s]; e < graph.start[s + 1]; e++) {
      const t = graph.target[e];
      if (!member[t] || via.has(t)) continue;
      via.set(t, e);
      queue.push(t);
    }
  }
  const path: number[] = [];
  for (let s = b; s !== a; s = sourceOf(graph, via.get(s)!)) path.push(via.get(s)!);
  return path.reverse();
}
