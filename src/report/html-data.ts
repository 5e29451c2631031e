// The data the HTML report draws, computed here so that it can be tested without a browser: each
// design's JSON report (json.ts), and for each violation its trace as a sequence chart (the columns
// of the text trace, each step's changes from trace.ts, the lock hold spans, freed objects and
// refcount changes, the whole state after every step), and a small state graph laid out by level.
import type { CheckOutcome, KeptGraph } from '../checker/check.js';
import type { StateView, TraceStep } from '../checker/engine/contract.js';
import type { Violation } from '../checker/search/results.js';
import { holderIndex } from '../invariants/locks.js';
import type { Program } from '../lang/ir.js';
import { isFn, showValue, sortedEntries, type Value } from '../lang/values.js';
import { compareTable } from './compare.js';
import { stateLevels, tlaStateLines, tracePath } from './graph.js';
import { checkToJson, namedState } from './json.js';
import { FAIRNESS_WORDS } from './text.js';
import { formatChanges, freedObjects, stateChanges } from './trace.js';

/** The most states the page draws its state graph for; a larger graph is left out (and says so). */
export const GRAPH_VIEW_MAX_STATES = 3000;

/** One variable (or process variable of one process) of a state, as text, and whether the step changed it. */
export interface StateEntry {
  name: string;
  value: string;
  changed: boolean;
}

/** A refcount element's change at a step. */
export interface RefcountChange {
  name: string;
  from: number;
  to: number;
}

/** A row of the chart: the initial state (step 0), a step, or the failing step (it has no state after it). */
export interface StepRow {
  step: number;
  /** The column of the process that steps (-1 for the initial state). */
  column: number;
  label: string | null;
  description: string | null;
  changes: string[];
  freed: string[];
  refcounts: RefcountChange[];
  /** The failing step: the message of what failed; null for a step that happened. */
  failure: string | null;
  /** The state after the step (empty for the failing step): each process's label, then the variables. */
  pcs: StateEntry[];
  variables: StateEntry[];
}

/** A lock element held by one process from step `from` (0: from the initial state) to the step `to` that releases it (null: still held at the end). */
export interface HoldSpan {
  lock: string;
  holder: string;
  column: number;
  from: number;
  to: number | null;
}

export interface TraceView {
  property: string;
  kind: string;
  message: string;
  columns: string[];
  rows: StepRow[];
  holds: HoldSpan[];
  /** The state (row) that violates the property: an invariant's, a final property's or a deadlock's last state. */
  violatingRow: number | null;
  /** A lasso: the row the last step returns to, and the words for it. */
  loop: { from: number; to: number; text: string } | null;
  /** A lasso: each process on the cycle, with its fairness and conduct. */
  cycle: string[];
}

/** The state graph as drawn: positions in [0, 1] by level, edges, the counterexample's path. */
export interface GraphView {
  nodes: { x: number; level: number; initial: boolean; text: string }[];
  levels: number;
  edges: [number, number][];
  /** The first trace's states in the graph, or null when they are not graph states (symmetry stores representatives). */
  path: number[] | null;
  /** A lasso's closing edge (last state back to the loop state). */
  loopEdge: [number, number] | null;
}

export interface DesignView {
  name: string;
  /** The constants as the text report shows them: `NCPU = 2, NBUF = 1`. */
  constants: string;
  /** The JSON report of the design (docs/json.md): verdict, figures, lock statistics, reach... */
  json: Record<string, unknown>;
  traces: TraceView[];
  graph: GraphView | null;
  /** Why there is no graph view, when there is none. */
  graphNote: string | null;
}

export interface ReportView {
  command: 'check' | 'compare';
  spec: string;
  /** For more than one design: the comparison table of `lockspec compare`. */
  summary: { head: string[]; rows: string[][] } | null;
  designs: DesignView[];
}

/** The entries of a state: each process's label, and each variable (a process variable per process). */
function stateEntries(program: Program, s: StateView): { pcs: [string, string][]; variables: [string, string][] } {
  const { pc, ...vars } = namedState(program, s, showValue);
  const variables = Object.entries(vars).flatMap(([name, v]): [string, string][] =>
    typeof v === 'string' ? [[name, v]] : Object.entries(v as Record<string, string>).map(([who, x]): [string, string] => [`${name}[${who}]`, x]),
  );
  return { pcs: Object.entries(pc as Record<string, string>), variables };
}

/** Entries marked changed where the previous state's entry of the same name differs. */
function marked(now: [string, string][], before: [string, string][] | null): StateEntry[] {
  const prev = new Map(before ?? []);
  return now.map(([name, value]) => ({ name, value, changed: before !== null && prev.get(name) !== value }));
}

/** The refcount elements a step changed, with their values before and after. */
function refcountChanges(program: Program, before: StateView, after: StateView): RefcountChange[] {
  const out: RefcountChange[] = [];
  program.globals.forEach((g, i) => {
    if (g.role?.kind !== 'refcount') return;
    const [was, now] = [before.globals[i], after.globals[i]];
    const pairs: [string, Value | undefined, Value][] = isFn(was) && isFn(now)
      ? sortedEntries(now).map(([k, v]) => [`${g.name}[${showValue(k)}]`, was.get(k), v])
      : [[g.name, was, now]];
    for (const [name, from, to] of pairs) if (typeof from === 'number' && typeof to === 'number' && from !== to) out.push({ name, from, to });
  });
  return out;
}

/** The processes in the order they first step (the failing step's last): the text trace's columns. */
function traceColumns(trace: TraceStep[], failingStep: Violation['failingStep']): number[] {
  const columns: number[] = [];
  const steps = [...trace.slice(1).map((s) => s.instance), ...(failingStep && failingStep.instance >= 0 ? [failingStep.instance] : [])];
  for (const instance of steps) if (!columns.includes(instance)) columns.push(instance);
  return columns;
}

/** Each lock element's holds along the trace: who holds it from which step to which. */
function holdSpans(program: Program, trace: TraceStep[], columns: number[]): HoldSpan[] {
  const spans: HoldSpan[] = [];
  for (const lock of program.locks) {
    for (const key of lock.domain ?? [null]) {
      const name = key === null ? lock.name : `${lock.name}[${showValue(key)}]`;
      // The holder of each state, and from which state on it has held the element.
      let holder = -1;
      let from = 0;
      const close = (to: number | null): void => {
        if (holder >= 0) spans.push({ lock: name, holder: program.instances[holder].display, column: columns.indexOf(holder), from, to });
      };
      trace.forEach((step, i) => {
        const now = holderIndex(program, step.state.globals[lock.global], key);
        if (i > 0 && now === holder) return;
        close(i);
        holder = now;
        from = i;
      });
      close(null);
    }
  }
  return spans.sort((a, b) => a.from - b.from || a.lock.localeCompare(b.lock));
}

function traceView(program: Program, v: Violation, trace: TraceStep[]): TraceView {
  const instances = traceColumns(trace, v.failingStep);
  const rows: StepRow[] = [];
  let before: ReturnType<typeof stateEntries> | null = null;
  trace.forEach((step, i) => {
    const entries = stateEntries(program, step.state);
    const prev = i > 0 ? trace[i - 1].state : null;
    const label = i > 0 ? program.labels[step.label] : null;
    rows.push({
      step: i,
      column: i > 0 ? instances.indexOf(step.instance) : -1,
      label: label?.name ?? null,
      description: label?.description ?? null,
      changes: prev ? stateChanges(program, prev, step.state, step.instance).map((c) => formatChanges([c])) : [],
      freed: prev ? freedObjects(program, step.state).filter((f) => !freedObjects(program, prev).includes(f)) : [],
      refcounts: prev ? refcountChanges(program, prev, step.state) : [],
      failure: null,
      pcs: marked(entries.pcs, before?.pcs ?? null),
      variables: marked(entries.variables, before?.variables ?? null),
    });
    before = entries;
  });
  if (v.failingStep && v.failingStep.instance >= 0) {
    const label = program.labels[v.failingStep.label];
    rows.push({
      step: trace.length,
      column: instances.indexOf(v.failingStep.instance),
      label: label.name,
      description: label.description,
      changes: [],
      freed: [],
      refcounts: [],
      failure: `${v.failure.property}: ${v.failure.message}`,
      pcs: [],
      variables: [],
    });
  }
  const last = trace.length - 1;
  const loop = v.loop === undefined || v.loop === null
    ? null
    : { from: v.loop, to: last, text: v.loop === last ? `state ${last} stutters for ever` : `steps ${v.loop + 1}-${last} and back to state ${v.loop}: repeats for ever` };
  return {
    property: v.failure.property,
    kind: v.failure.kind,
    message: v.failure.message,
    columns: instances.map((i) => program.instances[i].display),
    rows,
    holds: holdSpans(program, trace, instances),
    violatingRow: ['invariant', 'final', 'deadlock'].includes(v.failure.kind) ? last : null,
    loop,
    cycle: (v.cycle ?? []).map((c) => {
      const at = c.at === null ? '' : ` at ${program.labels[c.at].name}`;
      const disabled = c.disabledIn === null ? '' : ` (disabled in state ${c.disabledIn})`;
      return `${program.instances[c.instance].display}: ${FAIRNESS_WORDS[c.fairness]}, ${c.conduct}${at}${disabled}`;
    }),
  };
}

/** The graph laid out by breadth-first level, each level ordered by its states' first predecessor, with the trace's path. */
export function graphView(program: Program, kept: KeptGraph, trace: TraceStep[] | null, loop: number | null): GraphView {
  const { graph } = kept;
  const levels = stateLevels(kept);
  const texts = kept.states.map((s) => tlaStateLines(program, s).join('\n'));
  const byLevel: number[][] = [];
  // Breadth-first order keeps the children of a state together under it.
  const order = Array.from({ length: graph.size }, (_, s) => s).filter((s) => levels[s] >= 0).sort((a, b) => levels[a] - levels[b] || a - b);
  for (const s of order) (byLevel[levels[s]] ??= []).push(s);
  const x = new Float64Array(graph.size);
  for (const members of byLevel) members.forEach((s, k) => (x[s] = (k + 0.5) / members.length));
  const initial = new Set(kept.initial);
  const edges: [number, number][] = [];
  for (let s = 0; s < graph.size; s++) for (let e = graph.start[s]; e < graph.start[s + 1]; e++) if (graph.target[e] !== s) edges.push([s, graph.target[e]]);
  const path = trace ? tracePath(program, texts, trace) : null;
  return {
    nodes: texts.map((text, s) => ({ x: x[s], level: levels[s], initial: initial.has(s), text })),
    levels: byLevel.length,
    edges,
    path,
    loopEdge: path && loop !== null ? [path[path.length - 1], path[loop]] : null,
  };
}

function designView(o: CheckOutcome): DesignView {
  const program = o.program;
  const traces = program ? o.violations.flatMap((v) => (v.trace && v.trace.length > 0 ? [traceView(program, v, v.trace)] : [])) : [];
  const first = o.violations.find((v) => v.trace && v.trace.length > 0);
  const graph = program && o.stateGraph && o.stateGraph.graph.size <= GRAPH_VIEW_MAX_STATES ? graphView(program, o.stateGraph, first?.trace ?? null, first?.loop ?? null) : null;
  const graphNote = graph
    ? graph.path || !first
      ? null
      : 'The trace is not drawn on the graph: under symmetry the graph holds one state per orbit.'
    : o.fingerprint
      ? 'The state graph is left out: fingerprint mode keeps no edges.'
      : o.distinct > GRAPH_VIEW_MAX_STATES
        ? `The state graph is left out: ${o.distinct.toLocaleString('en-US')} states, the view draws at most ${GRAPH_VIEW_MAX_STATES.toLocaleString('en-US')}.`
        : program
          ? 'The state graph is left out: it was not recorded.'
          : null;
  const constants = (program?.constants ?? []).map((c) => `${c.name} = ${showValue(c.value)}`).join(', ');
  return { name: o.design ?? o.program?.name ?? o.spec, constants, json: checkToJson(o), traces, graph, graphNote };
}

/** The report of a command's outcomes. */
export function reportView(command: 'check' | 'compare', spec: string, outcomes: CheckOutcome[]): ReportView {
  return { command, spec, summary: outcomes.length > 1 ? compareTable(outcomes) : null, designs: outcomes.map(designView) };
}
