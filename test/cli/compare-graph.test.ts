// End-to-end tests (the built CLI as a child process) of the state graph of every design of a
// `compare`: `--dump-graph` writes one dot file per design, named as `--trace-out` names its
// files, each failing design's counterexample in red, and the `--html` page draws the same graph
// on each design's tab, under the check page's size limit.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHILD_TIMEOUT_MS } from '../helpers.js';

const CLI = join(process.cwd(), 'dist/src/cli/main.js');

function run(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** A lost update: the base model holds, design racy's invariant fails after 4 steps; 13 states each. */
const TWO_DESIGNS = `algorithm Two {
  constants N = 2;
  variables counter = 0;
  process P \\in 1..N variables tmp = 0;
  { rd: tmp := counter; wr: counter := tmp + 1; }
  invariant Fine == counter >= 0;
  design racy { invariant Both == (\\A p \\in 1..N: pc[p] = "Done") => counter = N; }
}
`;

/** 3,102 states in each of two designs: more than the page draws. */
const LARGE = `algorithm Large {
  variables x = 0;
  process (P = 1) { l: while (x < 3100) { x := x + 1; } }
  design other { invariant Low == x < 3200; }
}
`;

/** A fresh folder holding `files` (name to text). */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lockspec-graph-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** A dot file's nodes and edges, and which of them are drawn red. */
function dotParts(dot: string): { nodes: string[]; redNodes: string[]; edges: string[]; redEdges: string[]; dashed: string[] } {
  const lines = dot.split('\n');
  const nodes = lines.filter((l) => /^\d+ \[label=/.test(l));
  const edges = lines.filter((l) => /^\d+ -> \d+ /.test(l));
  const edge = (l: string): string => l.replace(/^(\d+ -> \d+) \[label="([^"]*)".*$/, '$1 $2');
  return {
    nodes: nodes.map((l) => l.split(' ')[0]),
    redNodes: nodes.filter((l) => l.includes('color="red"')).map((l) => l.split(' ')[0]),
    edges: edges.map(edge),
    redEdges: edges.filter((l) => l.includes('color="red"') && !l.includes('dashed')).map(edge),
    dashed: edges.filter((l) => l.includes('dashed')).map(edge),
  };
}

/** The data an HTML report embeds (html.ts), per design: the graph's node count, the drawn path, the note. */
function pageGraphs(file: string): { name: string; nodes: number | null; path: number[] | null; note: string | null }[] {
  const m = /<script id="report-data" type="application\/json">(.*?)<\/script>/s.exec(readFileSync(file, 'utf8'));
  const view = JSON.parse(m![1]) as { designs: { name: string; graph: { nodes: unknown[]; path: number[] | null } | null; graphNote: string | null }[] };
  return view.designs.map((d) => ({ name: d.name, nodes: d.graph?.nodes.length ?? null, path: d.graph?.path ?? null, note: d.graphNote }));
}

describe('compare --dump-graph', () => {
  test("one dot file per design, named as --trace-out names them; the failing design's trace in red, as on the page", () => {
    const dir = folder({ 'two.lspec': TWO_DESIGNS });
    const out = join(dir, 'out.dot');
    const r = run('compare', join(dir, 'two.lspec'), '--dump-graph', out, '--html', join(dir, 'c.html'), '--format', 'json');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as { design: string; verdict: string; states: { distinct: number } }[];
    expect(rows.map((row) => [row.design, row.verdict])).toEqual([['base', 'ok'], ['racy', 'violation']]);
    expect(existsSync(out)).toBe(false);
    const base = dotParts(readFileSync(join(dir, 'out.base.dot'), 'utf8'));
    const racy = dotParts(readFileSync(join(dir, 'out.racy.dot'), 'utf8'));
    expect(r.err).toContain(`wrote the state graph of design racy of ${join(dir, 'two.lspec')} to ${join(dir, 'out.racy.dot')}`);
    expect(base.nodes).toHaveLength(13);
    expect(base.redNodes).toEqual([]);
    expect(base.redEdges).toEqual([]);
    // The trace's 5 states and 4 steps, each step the trace's own (label and process).
    expect(racy.nodes).toHaveLength(rows[1].states.distinct);
    expect(racy.redNodes).toHaveLength(5);
    expect(racy.redEdges).toHaveLength(4);
    expect(racy.redEdges.map((e) => e.split(' ')[3])).toEqual(['rd(1)', 'rd(2)', 'wr(1)', 'wr(2)']);
    expect(racy.dashed).toEqual([]);
    // The page draws the same graphs, the same path.
    const page = pageGraphs(join(dir, 'c.html'));
    expect(page.map((d) => [d.name, d.nodes])).toEqual([['base', 13], ['racy', 13]]);
    expect(page[0].path).toBeNull();
    expect(new Set(page[1].path!.map(String))).toEqual(new Set(racy.redNodes));
    const pathEdges = page[1].path!.slice(1).map((t, i) => `${page[1].path![i]} -> ${t}`);
    expect(racy.redEdges.map((e) => e.split(' ').slice(0, 3).join(' '))).toEqual(pathEdges);
  }, CHILD_TIMEOUT_MS);

  test('check --dump-graph draws the counterexample the same way', () => {
    const dir = folder({ 'two.lspec': TWO_DESIGNS });
    const out = join(dir, 'one.dot');
    expect(run('check', join(dir, 'two.lspec'), '--design', 'racy', '--dump-graph', out).code).toBe(1);
    const racy = dotParts(readFileSync(out, 'utf8'));
    expect(racy.redNodes).toHaveLength(5);
    expect(racy.redEdges.map((e) => e.split(' ')[3])).toEqual(['rd(1)', 'rd(2)', 'wr(1)', 'wr(2)']);
  }, CHILD_TIMEOUT_MS);

  test('a folder whose files share a design name: the file named before the design', () => {
    const dir = folder({ 'a.lspec': TWO_DESIGNS, 'b.lspec': TWO_DESIGNS.replace('algorithm Two', 'algorithm Other') });
    const out = join(dir, 'g.dot');
    expect(run('compare', dir, '--dump-graph', out).code).toBe(0);
    for (const name of ['a.base', 'a.racy', 'b.base', 'b.racy']) expect(dotParts(readFileSync(join(dir, `g.${name}.dot`), 'utf8')).nodes).toHaveLength(13);
  }, CHILD_TIMEOUT_MS);

  test('the dot file has every state; the page leaves out a graph past its limit and says so, as on check', () => {
    const dir = folder({ 'large.lspec': LARGE });
    const r = run('compare', join(dir, 'large.lspec'), '--dump-graph', join(dir, 'l.dot'), '--html', join(dir, 'l.html'));
    expect(r.code).toBe(0);
    expect(dotParts(readFileSync(join(dir, 'l.other.dot'), 'utf8')).nodes).toHaveLength(3102);
    const check = run('check', join(dir, 'large.lspec'), '--design', 'other', '--html', join(dir, 'check.html'));
    expect(check.code).toBe(0);
    const note = 'The state graph is left out: 3,102 states, the view draws at most 3,000.';
    expect(pageGraphs(join(dir, 'check.html'))[0].note).toBe(note);
    expect(pageGraphs(join(dir, 'l.html')).map((d) => [d.name, d.nodes, d.note])).toEqual([['base', null, note], ['other', null, note]]);
  }, CHILD_TIMEOUT_MS);

  test('with --fingerprint: LS5040, nothing checked or written', () => {
    const dir = folder({ 'two.lspec': TWO_DESIGNS });
    const r = run('compare', join(dir, 'two.lspec'), '--fingerprint', '--dump-graph', join(dir, 'f.dot'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('LS5040');
    expect(existsSync(join(dir, 'f.base.dot'))).toBe(false);
  }, CHILD_TIMEOUT_MS);
});
