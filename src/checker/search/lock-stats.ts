// Lock statistics, exact over every reachable behaviour: for each lock, the longest run of its
// holder's own steps from the step that takes it to the step that releases it (maxHoldSteps, and
// the same weighted by label costs), and the most processes waiting for it at once (maxWaiters).
//
// Method: the explorer reports every edge of the state graph (to the check's one GraphRecorder). A lock's holder is read from each
// state. For a lock element held by p, the "holding" subgraph has the states where p holds it and
// the edges between them: p's steps weigh 1 (or their label's cost), other processes' steps weigh
// 0. A hold is a path that enters the subgraph by p's acquiring step (or starts in it, at an
// initial state of a lock held from the start) and leaves it by p's releasing step (or stops). Its longest weight is computed over the strongly connected components
// in reverse topological order; a component with a weighted edge inside means p can step forever
// while holding the lock: the span is unbounded (Infinity).
//
// The bypass count (maxBypass, see docs/semantics.md) is a longest path too: for a lock element and
// a process p, the "waiting" subgraph has the states where p is at a label that awaits the lock and
// the edges that keep p there; a wait starts in a state where p is blocked on that element, and each
// acquisition of it by another process weighs 1. A component with such an edge inside makes the
// count unbounded; whether a fair behaviour can stay in it for ever is a fair-cycle question
// (fair-cycles.ts) on the component with each state split by "the last step was an acquisition".
import type { Program } from '../../lang/ir.js';
import { locksAwaited } from '../../invariants/locks.js';
import { valueEquals, type Value } from '../../lang/values.js';
import type { Engine } from '../engine/contract.js';
import type { LockWait } from '../engine/reference-engine.js';
import type { ExploreObserver } from './breadth-first.js';
import { ComponentScratch, eachComponent, type StateGraph } from './state-graph.js';
import { findFairLasso, type FairAction } from './fair-cycles.js';
import { fairActions } from './progress.js';

/** A lock's hold span (the holder's steps from taking to releasing it; Infinity if unbounded,
 * null if unknown), the most processes waiting for it at once, and its bypass count. */
export interface LockStats {
  maxHoldSteps: number | null;
  maxHoldCost: number | null;
  maxWaiters: number;
  /** The most times another process acquires the lock while one waits for it (Infinity: unbounded; null: unknown). */
  maxBypass: number | null;
  /** For an unbounded bypass count: whether some fair behaviour starves a waiter for ever, or only unfair ones do. */
  starvation: 'fair' | 'unfair' | null;
}

/** The locks instance `instance` waits for in state `id` (ReferenceEngine.lockWaits of the decoded state). */
export type LockWaitsAt = (id: number, instance: number) => LockWait[];

/**
 * The statistics' observer of the search (waiters counted as states are expanded) and, once it is
 * over, the figures from the state graph a GraphRecorder kept of the same search.
 */
export function lockStatistics(
  engine: Engine,
  waitsAt: LockWaitsAt,
): { observer: ExploreObserver; finish: (complete: boolean, graph: StateGraph, holdersOf?: HoldersOf) => Record<string, LockStats> } {
  const program: Program = engine.program;
  // A process that cannot step at a label whose step takes locks waits for each of them.
  const waits = program.labels.map((_, label) => locksAwaited(program, label));
  // Per state expanded, the waiters of each lock (by its position in program.locks), in buffers
  // reused from state to state.
  const lockAt = new Map<number, number>(program.locks.map((l, i) => [l.global, i]));
  const awaitedAt = waits.map((globals) => Int32Array.from(globals, (g) => lockAt.get(g)!));
  const mostWaiters = new Int32Array(program.locks.length);
  const waiting = new Int32Array(program.locks.length);
  const pcBuffer = new Int32Array(program.instances.length);
  const observer: ExploreObserver = {
    edge() {},
    expanded(id, enabled) {
      const pcs = engine.pcLabels(id, pcBuffer);
      waiting.fill(0);
      for (let i = 0; i < pcs.length; i++) {
        if (pcs[i] < 0 || enabled[i]) continue;
        const locks = awaitedAt[pcs[i]];
        for (let j = 0; j < locks.length; j++) waiting[locks[j]]++;
      }
      for (let j = 0; j < waiting.length; j++) if (waiting[j] > mostWaiters[j]) mostWaiters[j] = waiting[j];
    },
  };
  const maxWaitersOf = (global: number): number => mostWaiters[lockAt.get(global)!];

  const finish = (complete: boolean, graph: StateGraph, holdersOf = sharedLockHolders(engine)): Record<string, LockStats> => {
    // A search that stopped early has no exact hold spans: report the waiters seen so far only.
    if (!complete) {
      return Object.fromEntries(
        program.locks.map((l) => [l.name, { maxHoldSteps: null, maxHoldCost: null, maxWaiters: maxWaitersOf(l.global), maxBypass: null, starvation: null }]),
      );
    }
    const n = engine.size();
    const out: Record<string, LockStats> = {};
    const procs = program.instances.length;
    const pcs = new Int32Array(n * procs);
    for (let id = 0; id < n; id++) pcs.set(engine.pcLabels(id, pcBuffer), id * procs);
    const actions = fairActions(program);
    const initial: number[] = [];
    engine.initial((id) => initial.push(id));
    // Every question below is asked of the same graph: one set of arrays for all of them.
    const scratch = new PathScratch(graph.size);
    for (const lock of program.locks) {
      const keys: (Value | null)[] = lock.domain ?? [null];
      let steps = 0;
      let cost = 0;
      const holders = holdersOf(lock.global, keys);
      // Where every label costs 1 (the default), the weighted span is the span: one pass.
      const unitCosts = program.labels.every((l) => l.cost === 1);
      for (const holder of holders) {
        const span = longestHold(holder, graph, initial, () => 1, scratch);
        steps = Math.max(steps, span);
        cost = Math.max(cost, unitCosts ? span : longestHold(holder, graph, initial, (l) => program.labels[l].cost, scratch));
      }
      // A process waits at the labels whose step awaits this lock.
      const awaits = new Uint8Array(program.labels.length);
      waits.forEach((globals, l) => (awaits[l] = globals.includes(lock.global) ? 1 : 0));
      const blockedOn = blockedElements(program, graph, pcs, awaits, lock.global, keys, waitsAt);
      let bypass = 0;
      let starvation: LockStats['starvation'] = null;
      for (let k = 0; k < keys.length; k++) {
        for (let p = 0; p < program.instances.length; p++) {
          const b = longestBypass({ graph, pcs, awaits, holder: holders[k], starts: blockedOn(p, k), waiter: p, actions, scratch });
          if (b.count > bypass) bypass = b.count;
          if (b.fair !== null && starvation !== 'fair') starvation = b.fair ? 'fair' : 'unfair';
        }
      }
      out[lock.name] = {
        maxHoldSteps: steps,
        maxHoldCost: cost,
        maxWaiters: maxWaitersOf(lock.global),
        maxBypass: bypass,
        starvation,
      };
    }
    return out;
  };
  return { observer, finish };
}

/** A lock's holders per element in every stored state (lockHolders), by the lock's global and its elements' keys. */
export type HoldersOf = (global: number, keys: (Value | null)[]) => Int32Array[];

/**
 * The holders of each lock read once for everything read off the state graph after the search
 * (lock statistics, the lock order): a global's keys are always the same (its lock's elements).
 */
export function sharedLockHolders(engine: Engine): HoldersOf {
  const read = new Map<number, Int32Array[]>();
  return (global, keys) => {
    let holders = read.get(global);
    if (!holders) read.set(global, (holders = engine.lockHolders(global, keys, engine.size())));
    return holders;
  };
}

/** The longest weighted hold over the holding subgraph (see the file comment). */
function longestHold(holder: Int32Array, graph: StateGraph, initial: number[], weight: (label: number) => number, scratch: PathScratch): number {
  const { start, target: to, instance: by, label: labelOf } = graph;
  const n = holder.length;
  const roots: number[] = [];
  for (let u = 0; u < n; u++) if (holder[u] >= 0) roots.push(u);
  const { best } = longestPaths(graph, roots, (e, u) => holder[to[e]] === holder[u], (e, u) => (by[e] === holder[u] ? weight(labelOf[e]) : 0), scratch);
  // A hold starts with the holder's acquiring step, or at an initial state where the lock is held.
  let longest = 0;
  for (const u of initial) if (holder[u] >= 0) longest = Math.max(longest, best[u]);
  for (let u = 0; u < n; u++) {
    for (let e = start[u]; e < start[u + 1]; e++) {
      const v = to[e];
      if (holder[v] >= 0 && holder[v] !== holder[u] && by[e] === holder[v]) longest = Math.max(longest, weight(labelOf[e]) + best[v]);
    }
  }
  return longest;
}

/** The states where each process is blocked on each element of a lock, as a lookup (process, element) -> states. */
function blockedElements(
  program: Program,
  graph: StateGraph,
  pcs: Int32Array,
  awaits: Uint8Array,
  global: number,
  keys: (Value | null)[],
  waitsAt: LockWaitsAt,
): (p: number, k: number) => number[] {
  const procs = program.instances.length;
  const out: number[][] = Array.from({ length: procs * keys.length }, () => []);
  const steps = new Uint8Array(procs);
  for (let s = 0; s < graph.size; s++) {
    // Which processes step here, asked only where one is at a label that awaits the lock.
    let awaiting = false;
    for (let p = 0; p < procs && !awaiting; p++) awaiting = pcs[s * procs + p] >= 0 && awaits[pcs[s * procs + p]] === 1;
    if (!awaiting) continue;
    steps.fill(0);
    for (let e = graph.start[s]; e < graph.start[s + 1]; e++) steps[graph.instance[e]] = 1;
    for (let p = 0; p < procs; p++) {
      const label = pcs[s * procs + p];
      if (label < 0 || !awaits[label] || steps[p]) continue;
      // One element: no need to ask which; of a family, the elements its false awaits name.
      if (keys.length === 1) out[p].push(s);
      else {
        for (const w of waitsAt(s, p)) {
          const k = w.global === global ? keys.findIndex((key) => valueEquals(key!, w.key!)) : -1;
          const list = k >= 0 ? out[k * procs + p] : null;
          if (list && list[list.length - 1] !== s) list.push(s);
        }
      }
    }
  }
  return (p, k) => out[k * procs + p];
}

interface BypassQuestion {
  graph: StateGraph;
  /** Each state's label per instance (state-major), -1 when finished. */
  pcs: Int32Array;
  /** The labels whose step awaits the lock. */
  awaits: Uint8Array;
  /** The element's holder in each state (-1: nobody). */
  holder: Int32Array;
  /** The states where the waiter is blocked on the element: a wait starts there. */
  starts: number[];
  waiter: number;
  actions: FairAction[];
  scratch: PathScratch;
}

/**
 * The most acquisitions of the element by other processes while `waiter` waits for it (see the
 * file comment), and for an unbounded count whether a fair behaviour achieves it (null: bounded).
 */
function longestBypass(q: BypassQuestion): { count: number; fair: boolean | null } {
  const { graph, pcs, awaits, holder, starts, waiter, actions, scratch } = q;
  if (starts.length === 0) return { count: 0, fair: null };
  const procs = pcs.length / graph.size;
  const to = graph.target;
  // The wait goes on while the waiter stays at its label and does not take the element.
  const continues = (e: number, u: number): boolean => {
    const v = to[e];
    return pcs[v * procs + waiter] === pcs[u * procs + waiter] && awaits[pcs[u * procs + waiter]] === 1 && holder[v] !== waiter;
  };
  const acquires = (e: number, u: number): number => {
    const v = to[e];
    return holder[v] >= 0 && holder[v] !== holder[u] && holder[v] === graph.instance[e] && holder[v] !== waiter ? 1 : 0;
  };
  const { best, comp, cyclic } = longestPaths(graph, starts, continues, acquires, scratch);
  let count = 0;
  for (const s of starts) count = Math.max(count, best[s]);
  if (Number.isFinite(count)) return { count, fair: null };
  // The components that loop through an acquisition: is one of them a fair place to stay for ever?
  const roots = new Set<number>();
  for (let s = 0; s < graph.size; s++) if (comp[s] >= 0 && cyclic[comp[s]]) roots.add(comp[s]);
  for (const root of roots) {
    const members: number[] = [];
    for (let s = 0; s < graph.size; s++) if (comp[s] === root) members.push(s);
    if (fairLoop(graph, members, comp, root, continues, acquires, actions)) return { count, fair: true };
  }
  return { count, fair: false };
}

/**
 * Whether a fair behaviour can stay for ever in component `members` (root `root`) taking
 * infinitely many acquisitions: a fair-cycle question on the component with each state split in
 * two by whether the step into it acquired (accepting), and one node for everything outside,
 * which the component's other steps lead to (they count for what is enabled).
 */
function fairLoop(
  graph: StateGraph,
  members: number[],
  comp: Int32Array,
  root: number,
  continues: (e: number, u: number) => boolean,
  acquires: (e: number, u: number) => number,
  actions: FairAction[],
): boolean {
  const m = members.length;
  const outside = 2 * m;
  const slot = new Map<number, number>(members.map((s, i) => [s, i]));
  let edges = 0;
  for (const s of members) edges += graph.start[s + 1] - graph.start[s];
  const start = new Int32Array(outside + 2);
  const target = new Int32Array(2 * edges);
  const instance = new Int32Array(2 * edges);
  const label = new Int32Array(2 * edges);
  let k = 0;
  for (let node = 0; node < outside; node++) {
    start[node] = k;
    const s = members[node >> 1];
    for (let e = graph.start[s]; e < graph.start[s + 1]; e++) {
      const t = graph.target[e];
      const stays = comp[t] === root && continues(e, s);
      target[k] = stays ? 2 * slot.get(t)! + acquires(e, s) : outside;
      // A step that changes nothing takes no action (not even between the two copies of a state).
      instance[k] = t === s ? -1 : graph.instance[e];
      label[k] = graph.label[e];
      k++;
    }
  }
  start[outside] = start[outside + 1] = k;
  const split: StateGraph = { size: outside + 1, start, target, instance, label };
  const allowed = new Uint8Array(outside + 1).fill(1);
  allowed[outside] = 0;
  const accepting = new Uint8Array(outside + 1);
  for (let node = 1; node < outside; node += 2) accepting[node] = 1;
  return findFairLasso(split, actions, { allowed, from: Array.from({ length: outside }, (_, i) => i), accepting }) !== null;
}

/**
 * Longest weighted paths over the subgraph reached from `roots` by the edges `continues` keeps
 * (its components in reverse topological order): `best[u]` is the longest weight of a path from u,
 * counting the weight of the edge that leaves the subgraph; a component with a weighted edge inside
 * is `cyclic` (at its root's index: the state the component is named by in `comp`) and its value
 * Infinity.
 */
function longestPaths(
  graph: StateGraph,
  roots: Iterable<number>,
  continues: (e: number, u: number) => boolean,
  w: (e: number, u: number) => number,
  scratch: PathScratch,
): { best: Float64Array; comp: Int32Array; cyclic: Uint8Array } {
  const { start, target: to } = graph;
  const { best, cyclic } = scratch;
  const comp = eachComponent(graph, roots, continues, (members, from, end, named) => {
    const u = members[from];
    cyclic[u] = 0;
    // Its value from the edges that leave it (every component it reaches is done).
    let value = 0;
    for (let i = from; i < end; i++) {
      const m = members[i];
      for (let e = start[m]; e < start[m + 1]; e++) {
        const v = to[e];
        if (!continues(e, m)) value = Math.max(value, w(e, m));
        else if (named[v] === u) {
          if (w(e, m) > 0) {
            value = Infinity;
            cyclic[u] = 1;
          }
        } else value = Math.max(value, w(e, m) + best[v]);
      }
    }
    for (let i = from; i < end; i++) best[members[i]] = value;
  }, scratch.components);
  return { best, comp, cyclic };
}

/**
 * longestPaths's arrays for one graph, reused by every question lock statistics ask of it. A
 * call's results hold for the states it visited (`best` and `cyclic` are written for each of
 * them before they are read) and are valid until the next call.
 */
class PathScratch {
  readonly components: ComponentScratch;
  readonly best: Float64Array;
  readonly cyclic: Uint8Array;

  constructor(size: number) {
    this.components = new ComponentScratch(size);
    this.best = new Float64Array(size);
    this.cyclic = new Uint8Array(size);
  }
}
