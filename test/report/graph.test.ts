// The kept state graph and `--dump-graph`: every state and every step of the search in TLC's dot
// format (-dump dot,actionlabels), the usage errors of the option, and the graph left out of a
// check that asks for a smaller one than it explores.
import { runCheck } from '../../src/cli/commands.js';
import { checkModel } from '../../src/pipeline/check-file.js';
import { stateGraphDot, stateLevels, tlaStateLines } from '../../src/report/graph.js';
import { memoryIo, writeModel } from '../helpers.js';

const PETERSON = 'examples/peterson.lspec';
const args = { deadlock: true, engine: 'compiled' as const, format: 'text' as const };

/** The dot file's node lines and edge lines. */
function parts(dot: string): { nodes: Map<string, string>; edges: [string, string, string][]; ranks: string[][] } {
  const nodes = new Map<string, string>();
  const edges: [string, string, string][] = [];
  const ranks: string[][] = [];
  for (const line of dot.split('\n')) {
    let m = /^(\d+) \[label="(.*?)",(?:style = filled|tooltip=)/.exec(line);
    if (m) nodes.set(m[1], m[2]);
    m = /^(\d+) -> (\d+) \[label="(.*?)",color="black",fontcolor="black"\];$/.exec(line);
    if (m) edges.push([m[1], m[2], m[3]]);
    m = /^\{rank = same; (.*)\}$/.exec(line);
    if (m) ranks.push(m[1].split(';').filter(Boolean));
  }
  return { nodes, edges, ranks };
}

describe('the state graph in TLC dot format', () => {
  test("Peterson's graph: 42 states and 76 steps (TLC's -dump dot of the same model has the same states and steps)", () => {
    const o = checkModel(PETERSON, { keepGraph: { maxStates: Infinity } });
    expect(o.stateGraph).toBeTruthy();
    const dot = stateGraphDot(o.program!, o.stateGraph!);
    expect(dot.split('\n').slice(0, 5)).toEqual(['strict digraph DiskGraph {', 'node [shape=box,style=rounded]', 'nodesep=0.35;', 'subgraph cluster_graph {', 'color="white";']);
    expect(dot.endsWith('}\n}\n')).toBe(true);
    const { nodes, edges, ranks } = parts(dot);
    expect(nodes.size).toBe(42);
    expect(edges).toHaveLength(o.generated - 1);
    // The initial state, filled, as TLC prints it (variables sorted by name, pc over the process ids).
    expect(dot).toContain('0 [label="/\\\\ flag = (0 :> FALSE @@ 1 :> FALSE)\\n/\\\\ pc = (0 :> \\"ncs\\" @@ 1 :> \\"ncs\\")\\n/\\\\ turn = 0",style = filled]');
    expect(edges.filter(([from]) => from === '0').map(([, , label]) => label).sort()).toEqual(['ncs(0)', 'ncs(1)']);
    // Every state on exactly one rank, ranks by breadth-first level (depth 11: levels 0..10).
    expect(ranks.flat().sort()).toEqual([...nodes.keys()].sort());
    expect(ranks).toHaveLength(11);
    expect(new Set(nodes.values()).size).toBe(42);
  });

  test('labels escape quotes and backslashes the way DotStateWriter does', () => {
    const file = writeModel(`algorithm Q { variables s = "a\\"b"; process (P = 1) { a: s := "c"; } }`);
    const o = checkModel(file, { keepGraph: { maxStates: Infinity } });
    const dot = stateGraphDot(o.program!, o.stateGraph!);
    expect(tlaStateLines(o.program!, o.stateGraph!.states[0])).toEqual(['/\\ pc = <<"a">>', '/\\ s = "a\\"b"']);
    expect(dot).toContain('0 [label="/\\\\ pc = <<\\"a\\">>\\n/\\\\ s = \\"a\\\\\\"b\\"",style = filled]');
    expect(parts(dot).edges).toEqual([['0', '1', 'a(1)']]);
  });

  test('the breadth-first levels of the kept graph are the search depth', () => {
    const o = checkModel(PETERSON, { keepGraph: { maxStates: Infinity } });
    expect(Math.max(...stateLevels(o.stateGraph!)) + 1).toBe(o.depth);
  });

  test('a graph larger than asked for is not kept', () => {
    expect(checkModel(PETERSON, { keepGraph: { maxStates: 41 } }).stateGraph).toBeNull();
    expect(checkModel(PETERSON, { keepGraph: { maxStates: 42 } }).stateGraph?.states).toHaveLength(42);
    expect(checkModel(PETERSON).stateGraph).toBeUndefined();
  });
});

describe('--dump-graph', () => {
  test('writes the dot file', () => {
    const io = memoryIo();
    expect(runCheck({ ...args, file: PETERSON, 'dump-graph': 'out.dot' }, io, () => false)).toBe(0);
    expect(parts(io.files.get('out.dot')!).nodes.size).toBe(42);
  });

  test('with --fingerprint: LS5040, nothing checked', () => {
    const io = memoryIo();
    expect(runCheck({ ...args, file: PETERSON, fingerprint: true, 'dump-graph': 'out.dot' }, io, () => false)).toBe(2);
    expect(io.errs.join('\n')).toContain('LS5040');
    expect(io.files.size).toBe(0);
  });

  test('for a file of several designs without --design: LS5041 names them', () => {
    const io = memoryIo();
    expect(runCheck({ ...args, file: 'spec/bh-migration/bh_migration.lspec', 'dump-graph': 'out.dot' }, io, () => false)).toBe(2);
    expect(io.errs.join('\n')).toMatch(/LS5041.*expected --design with one of racy_norefs, hold_private_lock, evict_buffers, page_lock_lookup/);
    expect(io.files.size).toBe(0);
  });
});
