// Lockdep's lock-order check over the explored state graph: a potential deadlock is a cycle in the
// "B taken while holding A" relation over every reachable state, whether or not the modelled
// processes ever deadlock in the interleavings explored (two paths that never run together still
// order the locks both ways). As lockdep does, the graph's nodes are lock classes: a declaration is
// one class, all elements of `bl[b]` together. Nesting two elements of one class is lockdep's
// spin_lock_nested(): it is a cycle only when the elements themselves are taken in both orders.
//
// Method: each lock element's holder is read from every stored state (lock-stats.ts's
// lockHolders, read once for the lock statistics too); a step of process p from u to v takes element B when p holds B in v and not in u,
// and every element A that p holds in both u and v was held while B was taken: the edge A -> B. Its
// witness is the first such step in state order (the states are stored breadth-first, so its
// source is as shallow as any), and the acquisition path shown is a shortest path to that step.
// Only steps that may change a lock's holder need be walked (check.ts records only those when the
// lock order is all that reads the recorded steps).
// Locks a process takes in one atomic step are not ordered against each other (the step takes them
// at once). An rw-semaphore's element is held by its writer and by each of its readers: as lockdep
// does for down_read(), a read hold orders the locks taken under it, and a read is ordered after the
// locks held.
import type { Program } from '../../lang/ir.js';
import { mkTuple, showValue } from '../../lang/values.js';
import type { Engine, Failure, TraceStep } from '../engine/contract.js';
import type { Violation } from './results.js';
import type { HoldersOf } from './lock-stats.js';
import { stronglyConnected, type EdgeWalk, type StateGraph } from './state-graph.js';

/** An edge of the class graph: `taken` (of class `to`) was taken while holding `held` (of class `from`) by `instance` at `label`. */
export interface LockOrderEdge {
  from: string;
  to: string;
  held: string;
  taken: string;
  instance: number;
  label: number;
}

/** One acquisition on a cycle: its edge and a shortest behaviour that ends with the step that made it. */
export interface LockOrderStep extends LockOrderEdge {
  trace: TraceStep[];
}

/** A cycle of the lock-order graph: the locks in order (classes, or elements of one class), and the step that ordered each after the one before. */
export interface LockOrderCycle {
  locks: string[];
  steps: LockOrderStep[];
}

export interface LockOrderReport {
  /** Every class edge (an edge inside a class for each ordered pair of its elements), with its first witness. */
  edges: LockOrderEdge[];
  cycles: LockOrderCycle[];
}

/**
 * A lock element: its class (index in program.locks), its name, and its holder in each state; for
 * an rw-semaphore, also per instance p whether p reads it in each state (`readers[p][s] === p`).
 */
interface Element {
  cls: number;
  name: string;
  holder: Int32Array;
  readers: Int32Array[] | null;
}

/** Whether instance `p` holds element `el` (as its holder, writer or a reader) in state `s`. */
const holds = (el: Element, s: number, p: number): boolean => el.holder[s] === p || (el.readers !== null && el.readers[p][s] === p);

/** The step that first ordered a pair of elements: its index in the walk, its source and target states, its instance and label. */
interface Witness {
  edge: number;
  source: number;
  target: number;
  instance: number;
  label: number;
}

/**
 * Whether any behaviour can order one lock element after another: an edge A -> B needs A held
 * before and after a step that takes B (not held before it), so A and B differ, and a model with
 * fewer than two elements (one lock, or a lock array of one) has an empty lock order whatever it
 * explores: nothing need be recorded for it.
 */
export function lockOrderPossible(program: Program): boolean {
  return program.locks.reduce((elements, lock) => elements + (lock.domain?.length ?? 1), 0) >= 2;
}

/** The lock order of a model where none is possible (lockOrderPossible). */
export const NO_LOCK_ORDER: LockOrderReport = { edges: [], cycles: [] };

/**
 * The lock-order graph of the explored states of `engine` and its cycles: read off `walk`, the
 * explored steps in state order (those that may change a lock's holder at least). `traceTo` gives
 * a shortest behaviour to a state, to show a cycle's acquisitions.
 */
export function lockOrder(engine: Engine, walk: EdgeWalk, traceTo: (state: number) => TraceStep[], holdersOf: HoldersOf): LockOrderReport {
  const program = engine.program;
  const elements: Element[] = program.locks.flatMap((lock, cls) => {
    const keys = lock.domain ?? [null];
    const ids = program.instances.map((inst) => inst.id);
    const readers = lock.readers === undefined ? null : holdersOf(lock.readers, keys.flatMap((key) => ids.map((id) => (key === null ? id : mkTuple([key, id])))));
    return holdersOf(lock.global, keys).map((holder, k) => ({
      cls,
      name: keys[k] === null ? lock.name : `${lock.name}[${showValue(keys[k]!)}]`,
      holder,
      readers: readers && readers.slice(k * ids.length, (k + 1) * ids.length),
    }));
  });
  const witness = elementEdges(elements, walk);
  const edgeOf = (a: number, b: number): LockOrderEdge => {
    const w = witness.get(a * elements.length + b)!;
    const [A, B] = [elements[a], elements[b]];
    return { from: program.locks[A.cls].name, to: program.locks[B.cls].name, held: A.name, taken: B.name, instance: w.instance, label: w.label };
  };

  // The class graph: each class pair with its first witness (the smallest edge index in state order).
  const classes = program.locks.length;
  const classWitness = new Map<number, number>();
  for (const [pair, e] of witness) {
    const key = elements[Math.floor(pair / elements.length)].cls * classes + elements[pair % elements.length].cls;
    const best = classWitness.get(key);
    if (best === undefined || e.edge < witness.get(best)!.edge) classWitness.set(key, pair);
  }
  const edges = [...classWitness.entries()].sort(([x], [y]) => x - y).map(([, pair]) => edgeOf(Math.floor(pair / elements.length), pair % elements.length));

  const stepOf = (a: number, b: number): LockOrderStep => {
    const w = witness.get(a * elements.length + b)!;
    return { ...edgeOf(a, b), trace: [...traceTo(w.source), { instance: w.instance, label: w.label, state: engine.decode(w.target) }] };
  };
  const cycles: LockOrderCycle[] = [];
  // Between classes: a cycle of class edges, each through the pair of elements that witnessed it first.
  const between = [...classWitness.entries()].filter(([key]) => Math.floor(key / classes) !== key % classes);
  for (const ring of cyclesOf(classes, between.map(([key]) => [Math.floor(key / classes), key % classes]))) {
    const pairAt = (c: number, d: number): number => classWitness.get(c * classes + d)!;
    cycles.push({
      locks: ring.map((c) => program.locks[c].name),
      steps: ring.map((c, i) => {
        const pair = pairAt(c, ring[(i + 1) % ring.length]);
        return stepOf(Math.floor(pair / elements.length), pair % elements.length);
      }),
    });
  }
  // Within a class: the elements taken in both orders.
  for (let c = 0; c < classes; c++) {
    const members = elements.map((el, i) => (el.cls === c ? i : -1)).filter((i) => i >= 0);
    const local = new Map(members.map((m, i) => [m, i]));
    const inside: [number, number][] = [];
    for (const pair of witness.keys()) {
      const [a, b] = [Math.floor(pair / elements.length), pair % elements.length];
      if (local.has(a) && local.has(b)) inside.push([local.get(a)!, local.get(b)!]);
    }
    for (const ring of cyclesOf(members.length, inside)) {
      const global = ring.map((i) => members[i]);
      cycles.push({ locks: global.map((i) => elements[i].name), steps: global.map((a, i) => stepOf(a, global[(i + 1) % global.length])) });
    }
  }
  return { edges, cycles };
}

/** For each ordered pair of elements (a * count + b), the first graph edge where b was taken while a was held. */
function elementEdges(elements: Element[], walk: EdgeWalk): Map<number, Witness> {
  const witness = new Map<number, Witness>();
  const count = elements.length;
  // The elements a step takes, in a buffer reused from edge to edge.
  const taken = new Int32Array(count);
  walk((u, v, p, label, e) => {
    let takes = 0;
    for (let b = 0; b < count; b++) if (holds(elements[b], v, p) && !holds(elements[b], u, p)) taken[takes++] = b;
    if (takes === 0) return;
    for (let a = 0; a < count; a++) {
      if (!holds(elements[a], u, p) || !holds(elements[a], v, p)) continue;
      for (let i = 0; i < takes; i++) if (!witness.has(a * count + taken[i])) witness.set(a * count + taken[i], { edge: e, source: u, target: v, instance: p, label });
    }
  });
  return witness;
}

/** One shortest cycle through the first node of each strongly connected component of more than one node of a small graph. */
function cyclesOf(size: number, pairs: [number, number][]): number[][] {
  const adjacency: number[][] = Array.from({ length: size }, () => []);
  for (const [a, b] of pairs) adjacency[a].push(b);
  for (const list of adjacency) list.sort((x, y) => x - y);
  const start = new Int32Array(size + 1);
  adjacency.forEach((list, a) => (start[a + 1] = start[a] + list.length));
  const target = Int32Array.from(adjacency.flat());
  const none = new Int32Array(target.length);
  const small: StateGraph = { size, start, target, instance: none, label: none };
  const all = Array.from({ length: size }, (_, i) => i);
  const out: number[][] = [];
  for (const component of stronglyConnected(small, all, new Uint8Array(size).fill(1))) {
    if (component.length < 2) continue;
    const inside = new Set(component);
    const first = Math.min(...component);
    // Breadth-first from `first` inside the component, back to `first`.
    const parent = new Map<number, number>([[first, -1]]);
    const queue = [first];
    let last = -1;
    for (let q = 0; q < queue.length && last < 0; q++) {
      for (const next of adjacency[queue[q]]) {
        if (next === first) {
          last = queue[q];
          break;
        }
        if (!inside.has(next) || parent.has(next)) continue;
        parent.set(next, queue[q]);
        queue.push(next);
      }
    }
    const ring: number[] = [];
    for (let at = last; at !== -1; at = parent.get(at)!) ring.push(at);
    out.push(ring.reverse());
  }
  return out.sort((x, y) => x[0] - y[0]);
}

/** A cycle as the violation `LockOrder`, its first acquisition's trace as the violation's trace and every acquisition as a path. */
export function lockOrderViolation(program: Program, cycle: LockOrderCycle): Violation {
  const step = (s: LockOrderStep): string => `${s.taken} taken while holding ${s.held}: ${program.instances[s.instance].display} at ${program.labels[s.label].name}`;
  const failure: Failure = {
    kind: 'builtin',
    property: 'LockOrder',
    message: `lock order ${[...cycle.locks, cycle.locks[0]].join(' -> ')} (${cycle.steps.map(step).join('; ')})`,
    span: null,
  };
  return { failure, failingStep: null, trace: cycle.steps[0].trace, paths: cycle.steps.map((s) => ({ title: step(s), trace: s.trace })) };
}
