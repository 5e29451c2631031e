// The explored state graph for people: `--dump-graph` writes it in the dot format of TLC's
// `-dump dot,actionlabels` (tlc2.util.DotStateWriter), and the HTML report draws it layered by
// breadth-first level with the counterexample's path on it.
import type { KeptGraph } from '../checker/check.js';
import type { StateView } from '../checker/engine/contract.js';
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
 * declared before the edges (TLC declares each at the edge that first reaches it).
 */
export function stateGraphDot(program: Program, kept: KeptGraph): string {
  const { graph, states } = kept;
  const out = ['strict digraph DiskGraph {', 'node [shape=box,style=rounded]', 'nodesep=0.35;', 'subgraph cluster_graph {', 'color="white";'];
  const initial = new Set(kept.initial);
  const label = (s: number): string => dotString(tlaStateLines(program, states[s]).join('\n'));
  for (const s of kept.initial) out.push(`${s} [label="${label(s)}",style = filled]`);
  for (let s = 0; s < graph.size; s++) if (!initial.has(s)) out.push(`${s} [label="${label(s)}",tooltip="${label(s)}"];`);
  for (let s = 0; s < graph.size; s++) {
    for (let e = graph.start[s]; e < graph.start[s + 1]; e++) {
      out.push(`${s} -> ${graph.target[e]} [label="${dotString(stepName(program, graph.instance[e], graph.label[e]))}",color="black",fontcolor="black"];`);
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
