// Progress and cover properties, checked on the explored state graph once the breadth-first search
// has stored every reachable state: each temporal obligation becomes a fair-cycle question
// (fair-cycles.ts) over the states where its predicates hold, each `reachable` property a look for
// the first (so shortest) state that satisfies it. Counterexamples are lassos: the shortest path
// from an initial state, then a cycle the behaviour repeats for ever (or a state it stutters in).
import type { Program, TemporalProperty } from '../../lang/ir.js';
import { forEachStmt } from '../../lang/ir-walk.js';
import type { Engine, Failure, TraceStep } from '../engine/contract.js';
import type { CycleConduct } from './results.js';
import { findFairLasso, type FairAction, type FairCycleQuery } from './fair-cycles.js';
import { sourceOf, type StateGraph } from './state-graph.js';

/** A failed progress or cover property: its failure and trace; `loop` is the index of the state the cycle returns to. */
export interface ProgressViolation {
  failure: Failure;
  trace: TraceStep[];
  /** For a lasso: the trace's state the last step returns to (the last state itself: it stutters there). */
  loop: number | null;
  /** For a lasso: each process's behaviour on the cycle. */
  cycle: CycleConduct[] | null;
}

/**
 * Every temporal and cover property of the program, checked on the complete graph of `engine`, of
 * `states` states: `graphOf` builds it, called only for a temporal property (a cover property
 * looks at the states alone).
 */
export function checkProgress(engine: Engine, states: number, graphOf: () => StateGraph): ProgressViolation[] {
  const program = engine.program;
  const temporal = program.temporal ?? [];
  const reachable = program.reachable ?? [];
  const out: ProgressViolation[] = [];
  if (temporal.length > 0) out.push(...temporalViolations(engine, temporal, graphOf()));
  for (const cover of reachable) {
    const test = engine.predicate(cover.body, `reachable ${cover.name}`);
    let found = -1;
    for (let id = 0; id < states && found < 0; id++) if (test(id)) found = id;
    if (found >= 0) continue;
    out.push({ failure: { kind: 'cover', property: cover.name, message: `no reachable state satisfies ${cover.name}`, span: cover.span }, trace: [], loop: null, cycle: null });
  }
  return out;
}

/** The temporal properties among `temporal` that fail on `graph`, each with its lasso. */
function temporalViolations(engine: Engine, temporal: TemporalProperty[], graph: StateGraph): ProgressViolation[] {
  const program = engine.program;
  const initial: number[] = [];
  engine.initial((id) => initial.push(id));
  // Shortest paths to a lasso's stem: only when a property fails.
  let paths: ShortestPaths | null = null;
  const trace = (edges: number[], first: number): TraceStep[] => graphTrace(engine, graph, first, edges);
  const out: ProgressViolation[] = [];
  const actions = fairActions(program);
  for (const obligation of temporal) {
    const holds = (e: TemporalProperty['to']): Uint8Array => truthTable(engine, graph.size, e, `property ${obligation.name}`);
    const lasso = findFairLasso(graph, actions, query(obligation, graph.size, initial, holds));
    if (!lasso) continue;
    const toFrom = (paths ??= new ShortestPaths(graph, initial)).to(lasso.from);
    const stemEdges = [...toFrom.edges, ...lasso.stem];
    const steps = trace([...stemEdges, ...lasso.cycle], toFrom.start);
    const what = obligation.instance ? `${obligation.name} (${obligation.instance})` : obligation.name;
    out.push({
      failure: { kind: 'temporal', property: obligation.name, message: `${what} ${SHAPE_FAILURE[obligation.shape]}`, span: obligation.span },
      trace: steps,
      loop: stemEdges.length,
      cycle: cycleConduct(engine, graph, actions, lasso.entry, lasso.cycle, stemEdges.length),
    });
  }
  return out;
}

/**
 * Each process's behaviour on a lasso's cycle (the states from `entry` along `cycle`, the first at
 * trace index `loop`): whether it takes a step that changes the state, and if not, whether its
 * fair steps are never enabled there or disabled in some state of it (what its fairness asks).
 */
function cycleConduct(engine: Engine, graph: StateGraph, actions: FairAction[], entry: number, cycle: number[], loop: number): CycleConduct[] {
  const program = engine.program;
  const states = [entry, ...cycle.slice(0, -1).map((e) => graph.target[e])];
  const steps = new Uint8Array(program.instances.length);
  for (const e of cycle) if (graph.target[e] !== sourceOf(graph, e)) steps[graph.instance[e]] = 1;
  const fairLabel = (instance: number, label: number): boolean => actions.some((a) => a.instance === instance && a.labels[label] === 1);
  const enabledIn = (instance: number, s: number): boolean => {
    for (let e = graph.start[s]; e < graph.start[s + 1]; e++) {
      if (graph.instance[e] === instance && graph.target[e] !== s && fairLabel(instance, graph.label[e])) return true;
    }
    return false;
  };
  const pcs = engine.pcLabels(entry, new Int32Array(program.instances.length));
  return program.instances.map((inst, instance) => {
    const fairness = program.processes[inst.template].fairness ?? 'none';
    const at = steps[instance] || pcs[instance] < 0 ? null : pcs[instance];
    const conduct = (c: CycleConduct['conduct'], disabledIn: number | null = null): CycleConduct => ({ instance, fairness, conduct: c, disabledIn, at });
    if (steps[instance]) return conduct('steps');
    if (pcs[instance] < 0) return conduct('finished');
    if (fairness === 'none') return conduct('stops');
    const off = states.findIndex((s) => !enabledIn(instance, s));
    if (off < 0) throw new Error('a fair cycle on which a weakly fair process is always enabled and never steps');
    return states.some((s) => enabledIn(instance, s)) ? conduct('disabled', loop + off) : conduct('never-enabled');
  });
}

const SHAPE_FAILURE: Record<TemporalProperty['shape'], string> = {
  leadsTo: 'fails: a fair behaviour reaches a state where the left side holds, then never one where the right side does',
  infinitelyOften: 'fails: a fair behaviour reaches a point after which its predicate never holds again',
  eventually: 'fails: a fair behaviour never reaches a state where its predicate holds',
  eventuallyAlways: 'fails: on a fair behaviour its predicate is false again and again, for ever',
};

/** The fair-cycle question whose answer violates the obligation. */
function query(p: TemporalProperty, n: number, initial: number[], holds: (e: TemporalProperty['to']) => Uint8Array): FairCycleQuery {
  const to = holds(p.to);
  const not = (m: Uint8Array): Uint8Array => m.map((b) => 1 - b);
  const everyState = new Uint8Array(n).fill(1);
  switch (p.shape) {
    case 'leadsTo': {
      const from = holds(p.from!);
      const allowed = not(to);
      return { allowed, from: statesWhere((s) => from[s] === 1 && allowed[s] === 1, n) };
    }
    case 'infinitelyOften': {
      const allowed = not(to);
      return { allowed, from: statesWhere((s) => allowed[s] === 1, n) };
    }
    case 'eventually':
      return { allowed: not(to), from: initial };
    case 'eventuallyAlways':
      return { allowed: everyState, from: initial, accepting: not(to) };
  }
}

function statesWhere(test: (s: number) => boolean, n: number): number[] {
  const out: number[] = [];
  for (let s = 0; s < n; s++) if (test(s)) out.push(s);
  return out;
}

function truthTable(engine: Engine, n: number, e: TemporalProperty['to'], what: string): Uint8Array {
  const test = engine.predicate(e, what);
  const out = new Uint8Array(n);
  for (let s = 0; s < n; s++) out[s] = test(s) ? 1 : 0;
  return out;
}

/** A fair process template's fairness as PlusCal's translation conjoins it (see templateFairness). */
export interface TemplateFairness {
  strong: boolean;
  /** Its own labels, then each procedure it calls: one WF (fair+: SF) each, `:-` labels left out. */
  groups: { owner: { kind: 'process' | 'procedure'; index: number }; labels: number[] }[];
  /** The `:+` labels of a weakly fair process: each SF on its own. */
  strongLabels: number[];
}

/**
 * PlusCal's fairness of process template `t`, or null when it has none: a fair process is WF
 * (fair+: SF) of its steps except the `:-` labels, and of each procedure it calls, separately;
 * each `:+` label of a weakly fair process is SF on its own.
 */
export function templateFairness(program: Program, t: number): TemplateFairness | null {
  const fairness = program.processes[t].fairness ?? 'none';
  if (fairness === 'none') return null;
  const labelsOf = (owner: 'process' | 'procedure', index: number): number[] =>
    program.labels.flatMap((l, i) => (l.owner.kind === owner && l.owner.index === index ? [i] : []));
  const own = labelsOf('process', t);
  const called = new Set<number>();
  const visit = (ls: number[]): void =>
    ls.forEach((l) =>
      forEachStmt(program.labels[l].body, (s) => {
        if ((s.k !== 'call' && s.k !== 'tailcall') || called.has(s.procedure)) return;
        called.add(s.procedure);
        visit(labelsOf('procedure', s.procedure));
      }),
    );
  visit(own);
  const groups = [{ owner: { kind: 'process' as const, index: t }, labels: own }, ...[...called].map((index) => ({ owner: { kind: 'procedure' as const, index }, labels: labelsOf('procedure', index) }))];
  const strong = fairness === 'strong';
  const strongLabels = strong ? [] : groups.flatMap((g) => g.labels.filter((l) => program.labels[l].fairness === 'strong'));
  return { strong, groups, strongLabels };
}

/** Every instance's fairness as actions on the state graph (each template's, for each of its instances). */
export function fairActions(program: Program): FairAction[] {
  const mask = (labels: number[]): Uint8Array => {
    const m = new Uint8Array(program.labels.length);
    for (const l of labels) if (program.labels[l].fairness !== 'none') m[l] = 1;
    return m;
  };
  const out: FairAction[] = [];
  program.instances.forEach((inst, instance) => {
    const f = templateFairness(program, inst.template);
    if (!f) return;
    for (const g of f.groups) out.push({ strong: f.strong, instance, labels: mask(g.labels) });
    for (const l of f.strongLabels) out.push({ strong: true, instance, labels: mask([l]) });
  });
  return out;
}

/** The behaviour from state `first` along graph edges `edges`, as a trace of `engine`'s states. */
export function graphTrace(engine: Engine, graph: StateGraph, first: number, edges: number[]): TraceStep[] {
  return [
    { instance: -1, label: -1, state: engine.decode(first) },
    ...edges.map((e) => ({ instance: graph.instance[e], label: graph.label[e], state: engine.decode(graph.target[e]) })),
  ];
}

/** Shortest paths from the initial states over the graph (breadth-first), for the stems of lassos and the lock-order paths. */
export class ShortestPaths {
  private readonly via: Int32Array;

  constructor(private readonly graph: StateGraph, initial: number[]) {
    this.via = new Int32Array(graph.size).fill(-2);
    // Each state is queued at most once.
    const queue = new Int32Array(graph.size);
    let queued = 0;
    for (const s of initial) {
      if (this.via[s] !== -2) continue;
      this.via[s] = -1;
      queue[queued++] = s;
    }
    for (let q = 0; q < queued; q++) {
      const s = queue[q];
      for (let e = graph.start[s]; e < graph.start[s + 1]; e++) {
        const t = graph.target[e];
        if (this.via[t] !== -2) continue;
        this.via[t] = e;
        queue[queued++] = t;
      }
    }
  }

  /** The initial state a shortest path to `s` starts from, and its edges. */
  to(s: number): { start: number; edges: number[] } {
    const edges: number[] = [];
    let at = s;
    while (this.via[at] >= 0) {
      edges.push(this.via[at]);
      at = sourceOf(this.graph, this.via[at]);
    }
    return { start: at, edges: edges.reverse() };
  }
}
