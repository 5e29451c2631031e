// The explored state graph for people: `--dump-graph` writes it in the dot format of TLC's
// `-dump dot,actionlabels` (tlc2.util.DotStateWriter), and the HTML report draws it layered by
// breadth-first level with the counterexample's path on it.
import type { CheckOutcome, KeptGraph } from '../checker/check.js';
import type { StateView, TraceStep } from '../checker/engine/contract.js';
import type { Program } from '../lang/ir.js';
import { showValue } from '../lang/values.js';

/**
 * A state as TLC prints it: one `/\ name = value` line per variable, sorted by name; `pc`, each
 * process variable and the call stacks as functions over the process ids.
 */
export function tlaStateLines(program: Program, s: StateView): string[] {
  const overInstances = (value: (i: number) => string | null): string => {
    const values = program.instances.map((_, i) => value(i));
    // A function over 1..n is a sequence, as TLC prints it.
    if (values.every((v) => v !== null) && program.instances.every((inst, i) => inst.id === i + 1)) return `<<${values.join(', ')}>>`;
    const entries = program.instances.flatMap((inst, i) => (values[i] === null ? [] : [`${showValue(inst.id)} :> ${values[i]}`]));
    return `(${entries.join(' @@ ')})`;
  };
  const lines = program.globals.flatMap((g, i) => (g.hidden ? [] : [`/\\ ${g.name} = ${showValue(s.globals[i])}`]));
  lines.push(`/\\ pc = ${overInstances((i) => JSON.stringify(s.pcs[i]))}`);
  program.processVars.forEach((v, j) => {
    if (program.instances.some((_, i) => s.pvars[i][j] !== null)) {
      lines.push(`/\\ ${v.name} = ${overInstances((i) => (s.pvars[i][j] === null ? null : showValue(s.pvars[i][j]!)))}`);
    }
  });
  if (program.procedures.length > 0) lines.push(`/\\ stack = ${overInstances((i) => showValue(s.stacks[i]))}`);
  const name = (line: string): string => line.slice(3, line.indexOf(' = '));
  return lines.sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
}

/** Each state's breadth-first level from the initial states (0 for them; -1: not reached by the kept edges). */
export function stateLevels(kept: KeptGraph): Int32Array {
  const { graph } = kept;
  const level = new Int32Array(graph.size).fill(-1);
  const queue: number[] = [];
  for (const s of kept.initial) {
    if (level[s] < 0) {
      level[s] = 0;
      queue.push(s);
    }
  }
  for (let head = 0; head < queue.length; head++) {
    const s = queue[head];
    for (let e = graph.start[s]; e < graph.start[s + 1]; e++) {
      const t = graph.target[e];
      if (level[t] < 0) {
        level[t] = level[s] + 1;
        queue.push(t);
      }
    }
  }
  return level;
}

/**
 * A trace's states as ids of the kept graph, found by their text (`texts`: each kept state's
 * tlaStateLines joined); null when some trace state is no graph state (under symmetry the graph
 * stores orbit representatives, the trace real states).
 */
export function tracePath(program: Program, texts: string[], trace: TraceStep[]): number[] | null {
  const idOf = new Map(texts.map((t, s) => [t, s]));
  const ids = trace.map((step) => idOf.get(tlaStateLines(program, step.state).join('\n')));
  return ids.every((id) => id !== undefined) ? (ids as number[]) : null;
}

/** What a step is called on an edge, as TLC names a PlusCal action: its label applied to the process id. */
function stepName(program: Program, instance: number, label: number): string {
  return `${program.labels[label].name}(${showValue(program.instances[instance].id)})`;
}

/** DotStateWriter's string escape: backslashes and quotes escaped, newlines as `\n`. */
function dotString(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/**
 * The graph in TLC's dot format (`-dump dot,actionlabels`): a node per state labelled with the
 * state, the initial states filled, an edge per step labelled with it, and the states of each
 * breadth-first level on one rank. Nodes are named by lockspec's state ids (TLC uses fingerprints),
 * declared before the edges (TLC declares each at the edge that first reaches it). A counterexample
 * given is drawn in red: its states outlined, its steps (each the trace's own label and process)
 * red, a lasso's closing steps red and dashed; it is left out when its states are no graph states.
 */
export function stateGraphDot(program: Program, kept: KeptGraph, counterexample?: { trace: TraceStep[]; loop: number | null }): string {
  const { graph } = kept;
  const out = ['strict digraph DiskGraph {', 'node [shape=box,style=rounded]', 'nodesep=0.35;', 'subgraph cluster_graph {', 'color="white";'];
  const initial = new Set(kept.initial);
  const texts = kept.states.map((s) => tlaStateLines(program, s).join('\n'));
  const path = counterexample ? tracePath(program, texts, counterexample.trace) : null;
  const onPath = new Set(path);
  // The path's steps as `from to instance label`; a lasso's closing step as `from to` (any step between the two states).
  const pathSteps = new Set(path?.slice(1).map((s, i) => `${path[i]} ${s} ${counterexample!.trace[i + 1].instance} ${counterexample!.trace[i + 1].label}`));
  const closing = path && counterexample!.loop !== null ? `${path[path.length - 1]} ${path[counterexample!.loop]}` : null;
  const red = (s: number): string => (onPath.has(s) ? ',color="red",penwidth=2' : '');
  const label = (s: number): string => dotString(texts[s]);
  for (const s of kept.initial) out.push(`${s} [label="${label(s)}",style = filled${red(s)}]`);
  for (let s = 0; s < graph.size; s++) if (!initial.has(s)) out.push(`${s} [label="${label(s)}",tooltip="${label(s)}"${red(s)}];`);
  for (let s = 0; s < graph.size; s++) {
    for (let e = graph.start[s]; e < graph.start[s + 1]; e++) {
      const t = graph.target[e];
      const colour = pathSteps.has(`${s} ${t} ${graph.instance[e]} ${graph.label[e]}`)
        ? 'color="red",fontcolor="red",penwidth=2'
        : closing === `${s} ${t}`
          ? 'color="red",fontcolor="red",penwidth=2,style="dashed"'
          : 'color="black",fontcolor="black"';
      out.push(`${s} -> ${t} [label="${dotString(stepName(program, graph.instance[e], graph.label[e]))}",${colour}];`);
    }
  }
  const levels = stateLevels(kept);
  const ranks = new Map<number, number[]>();
  levels.forEach((l, s) => {
    const rank = ranks.get(l);
    if (rank) rank.push(s);
    else ranks.set(l, [s]);
  });
  for (const [, members] of [...ranks].sort(([a], [b]) => a - b)) out.push(`{rank = same; ${members.map((s) => `${s};`).join('')}}`);
  out.push('}', '}');
  return out.join('\n') + '\n';
}

/** The dot file of a checked design's kept graph, its first counterexample drawn in red; null when no graph was kept. */
export function outcomeGraphDot(o: CheckOutcome): string | null {
  if (!o.program || !o.stateGraph) return null;
  const first = o.violations.find((v) => v.trace && v.trace.length > 0);
  return stateGraphDot(o.program, o.stateGraph, first ? { trace: first.trace!, loop: first.loop ?? null } : undefined);
}
