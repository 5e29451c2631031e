// Lock statistics, exact over every reachable behaviour: for each lock, the longest run of its
// holder's own steps from the step that takes it to the step that releases it (maxHoldSteps, and
// the same weighted by label costs), and the most processes waiting for it at once (maxWaiters).
//
// Method: the explorer reports every edge of the state graph. A lock's holder is read from each
// state. For a lock element held by p, the "holding" subgraph has the states where p holds it and
// the edges between them: p's steps weigh 1 (or their label's cost), other processes' steps weigh
// 0. A hold is a path that enters the subgraph by p's acquiring step (or starts in it, at an
// initial state of a lock held from the start) and leaves it by p's releasing step (or stops). Its longest weight is computed over the strongly connected components
// in reverse topological order; a component with a weighted edge inside means p can step forever
// while holding the lock: the span is unbounded (Infinity).
import type { Program } from '../../lang/ir.js';
import { locksAwaited } from '../../invariants/locks.js';
import type { Value } from '../../lang/values.js';
import { Column } from './column.js';
import type { Engine } from '../engine/contract.js';
import type { ExploreObserver } from './breadth-first.js';

/** A lock's hold span (the holder's steps from taking to releasing it; Infinity if unbounded,
 * null if unknown) and the most processes waiting for it at once. */
export interface LockStats {
  maxHoldSteps: number | null;
  maxHoldCost: number | null;
  maxWaiters: number;
}

export function lockStatistics(engine: Engine): { observer: ExploreObserver; finish: (complete: boolean) => Record<string, LockStats> } {
  const program: Program = engine.program;
  const from = new Column();
  const to = new Column();
  const by = new Column();
  const labelOf = new Column();
  // A process that cannot step at a label whose step takes locks waits for each of them.
  const waits = program.labels.map((_, label) => locksAwaited(program, label));
  const maxWaiters = new Map<number, number>(program.locks.map((l) => [l.global, 0]));
  const observer: ExploreObserver = {
    edge(f, t, instance, label) {
      from.push(f);
      to.push(t);
      by.push(instance);
      labelOf.push(label);
    },
    expanded(id, enabled) {
      const pcs = engine.pcLabels(id);
      const count = new Map<number, number>();
      for (let i = 0; i < pcs.length; i++) {
        if (pcs[i] < 0 || enabled[i]) continue;
        for (const g of waits[pcs[i]]) count.set(g, (count.get(g) ?? 0) + 1);
      }
      for (const [g, n] of count) if (n > (maxWaiters.get(g) ?? 0)) maxWaiters.set(g, n);
    },
  };

  const finish = (complete: boolean): Record<string, LockStats> => {
    // A search that stopped early has no exact hold spans: report the waiters seen so far only.
    if (!complete) {
      return Object.fromEntries(program.locks.map((l) => [l.name, { maxHoldSteps: null, maxHoldCost: null, maxWaiters: maxWaiters.get(l.global) ?? 0 }]));
    }
    const n = engine.size();
    const out: Record<string, LockStats> = {};
    // Edges in CSR form, by source state.
    const E = from.length;
    const start = new Int32Array(n + 1);
    for (let e = 0; e < E; e++) start[from.data[e] + 1]++;
    for (let i = 0; i < n; i++) start[i + 1] += start[i];
    const order = new Int32Array(E);
    const fill = start.slice(0, n);
    for (let e = 0; e < E; e++) order[fill[from.data[e]]++] = e;
    const initial: number[] = [];
    engine.initial((id) => initial.push(id));
    for (const lock of program.locks) {
      const keys: (Value | null)[] = lock.domain ?? [null];
      let steps = 0;
      let cost = 0;
      // Every element's holder per state, reading the lock once per state.
      const holders = keys.map(() => new Int32Array(n));
      const held = new Int32Array(keys.length);
      for (let id = 0; id < n; id++) {
        engine.lockHolders(id, lock.global, keys, held);
        for (let k = 0; k < keys.length; k++) holders[k][id] = held[k];
      }
      for (const holder of holders) {
        steps = Math.max(steps, longestHold(holder, initial, start, order, to.data, by.data, labelOf.data, () => 1));
        cost = Math.max(cost, longestHold(holder, initial, start, order, to.data, by.data, labelOf.data, (l) => program.labels[l].cost));
      }
      out[lock.name] = {
        maxHoldSteps: steps,
        maxHoldCost: cost,
        maxWaiters: maxWaiters.get(lock.global) ?? 0,
      };
    }
    return out;
  };
  return { observer, finish };
}

/** The longest weighted hold over the holding subgraph (see the file comment). */
function longestHold(
  holder: Int32Array,
  initial: number[],
  start: Int32Array,
  order: Int32Array,
  to: Int32Array,
  by: Int32Array,
  labelOf: Int32Array,
  weight: (label: number) => number,
): number {
  const n = holder.length;
  const w = (e: number, u: number): number => (by[e] === holder[u] ? weight(labelOf[e]) : 0);
  const continues = (e: number, u: number): boolean => holder[to[e]] === holder[u];
  // Tarjan's algorithm, iterative, over holding states and continuing edges.
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const comp = new Int32Array(n).fill(-1);
  const best = new Float64Array(n);
  const stack: number[] = [];
  const call: { u: number; k: number }[] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (holder[root] < 0 || index[root] >= 0) continue;
    call.push({ u: root, k: start[root] });
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (call.length) {
      const frame = call[call.length - 1];
      const u = frame.u;
      if (frame.k < start[u + 1]) {
        const e = order[frame.k++];
        if (!continues(e, u)) continue;
        const v = to[e];
        if (index[v] < 0) {
          index[v] = low[v] = counter++;
          stack.push(v);
          onStack[v] = 1;
          call.push({ u: v, k: start[v] });
        } else if (onStack[v]) low[u] = Math.min(low[u], index[v]);
        continue;
      }
      call.pop();
      if (call.length) low[call[call.length - 1].u] = Math.min(low[call[call.length - 1].u], low[u]);
      if (low[u] !== index[u]) continue;
      // u roots a component: pop it, then its value from the edges that leave it.
      const members: number[] = [];
      let x: number;
      do {
        x = stack.pop()!;
        onStack[x] = 0;
        comp[x] = u;
        members.push(x);
      } while (x !== u);
      let value = 0;
      for (const m of members) {
        for (let k = start[m]; k < start[m + 1]; k++) {
          const e = order[k];
          const v = to[e];
          if (!continues(e, m)) value = Math.max(value, w(e, m));
          else if (comp[v] === u) {
            if (w(e, m) > 0) value = Infinity;
          } else value = Math.max(value, w(e, m) + best[v]);
        }
      }
      for (const m of members) best[m] = value;
    }
  }
  // A hold starts with the holder's acquiring step, or at an initial state where the lock is held.
  let longest = 0;
  for (const u of initial) if (holder[u] >= 0) longest = Math.max(longest, best[u]);
  for (let u = 0; u < n; u++) {
    for (let k = start[u]; k < start[u + 1]; k++) {
      const e = order[k];
      const v = to[e];
      if (holder[v] >= 0 && holder[v] !== holder[u] && by[e] === holder[v]) longest = Math.max(longest, weight(labelOf[e]) + best[v]);
    }
  }
  return longest;
}
