// The HTML report's data, without a browser: the trace's columns, rows, changes, refcount changes,
// freed objects and hold spans for bh-migration's racy design; a lasso's loop; the state graph
// view and its path; and the page itself (self-contained: no external resource).
import { checkModel } from '../../src/pipeline/check-file.js';
import { GRAPH_VIEW_MAX_STATES, reportView } from '../../src/report/html-data.js';
import { reportHtml } from '../../src/report/html.js';
import { writeModel } from '../helpers.js';

const BH = 'spec/bh-migration/bh_migration.lspec';
const keepGraph = { maxStates: GRAPH_VIEW_MAX_STATES };

describe("the racy design's trace", () => {
  const o = checkModel(BH, { design: 'racy_norefs', keepGraph });
  const view = reportView('check', BH, [o]);
  const design = view.designs[0];
  const trace = design.traces[0];

  test('the JSON report, the columns of the text trace and a row per state', () => {
    expect(view.summary).toBeNull();
    expect(design.json.verdict).toBe('violation');
    expect(design.constants).toBe('NCPU = 2, NBUF = 1, NLOOKUP = 1');
    expect(trace.property).toBe('NoLostUpdate');
    expect(trace.columns).toEqual(['Lookup(1)', 'Migrate']);
    expect(trace.rows.map((r) => r.step)).toEqual([...Array(18).keys()]);
    expect(trace.violatingRow).toBe(17);
    expect(trace.loop).toBeNull();
    expect(trace.rows[9]).toMatchObject({ column: 0, label: 'get_bh_pl', changes: ['b_count[1]=1', 'PL=1', 'pc="unlock_pl_u"', 'got=1'], refcounts: [{ name: 'b_count[1]', from: 0, to: 1 }], failure: null });
    expect(trace.rows[14].refcounts).toEqual([{ name: 'page_ref[NEW]', from: 1, to: 2 }, { name: 'page_ref[OLD]', from: 0, to: 2 }]);
  });

  test('the state after each step: every pc and variable, the changed ones marked', () => {
    const row = trace.rows[9];
    expect(row.pcs).toEqual([
      { name: 'Lookup(1)', value: 'unlock_pl_u', changed: true },
      { name: 'Lookup(2)', value: 'lookup', changed: false },
      { name: 'Migrate', value: 'freeze', changed: false },
    ]);
    expect(row.variables.filter((e) => e.changed).map((e) => `${e.name}=${e.value}`)).toEqual(['b_count=<<1>>', 'PL=1', 'got[Lookup(1)]=1']);
    expect(row.variables.find((e) => e.name === 'pg[Lookup(2)]')).toEqual({ name: 'pg[Lookup(2)]', value: 'NONE', changed: false });
    expect(trace.rows[0].variables.some((e) => e.changed)).toBe(false);
  });

  test('hold spans: each lock element, who held it, from which step to which', () => {
    expect(trace.holds.filter((h) => h.lock === 'PL')).toEqual([
      { lock: 'PL', holder: 'Migrate', column: 1, from: 7, to: 8 },
      { lock: 'PL', holder: 'Lookup(1)', column: 0, from: 9, to: 10 },
    ]);
    expect(trace.holds.filter((h) => h.to === null).map((h) => h.lock)).toEqual(['FL[NEW]', 'FL[OLD]', 'BL[1]']);
    expect(trace.holds.find((h) => h.lock === 'XA')).toEqual({ lock: 'XA', holder: 'Migrate', column: 1, from: 13, to: 14 });
  });

  test('the state graph: every state by level, the trace on it', () => {
    const g = design.graph!;
    expect(g.nodes).toHaveLength(o.distinct);
    expect(g.levels).toBe(o.depth);
    expect(g.path).toHaveLength(18);
    expect(g.path!.map((s) => g.nodes[s].level)).toEqual([...Array(18).keys()]);
    expect(g.nodes[g.path![0]].initial).toBe(true);
    expect(g.nodes.every((n) => n.x > 0 && n.x < 1)).toBe(true);
    expect(design.graphNote).toBeNull();
  });

  test('the page: one file, the data inline, no external resource', () => {
    const html = reportHtml(view);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    const json = /<script id="report-data" type="application\/json">(.*?)<\/script>/s.exec(html)![1];
    expect(json).not.toContain('<');
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(view)));
  });
});

test('a failing step is a row of its own with the message; a freed object is marked', () => {
  const file = writeModel(`algorithm Uaf {
  object o[k \\in {1}] = [v |-> 0];
  refcount r[k \\in {1}] = 1 of o;
  process (A = 1) { drop: put(r[1]); free(o[1]); use: o[1].v := 1; }
}`);
  const o = checkModel(file, {});
  const trace = reportView('check', file, [o]).designs[0].traces[0];
  expect(trace.rows.map((r) => r.label)).toEqual([null, 'drop', 'use']);
  expect(trace.rows[1].freed).toEqual(['o[1]']);
  expect(trace.rows[1].refcounts).toEqual([{ name: 'r[1]', from: 1, to: 0 }]);
  expect(trace.rows[2]).toMatchObject({ step: 2, column: 0, pcs: [], variables: [] });
  expect(trace.rows[2].failure).toMatch(/^NoUseAfterFree: write to freed o/);
  expect(trace.violatingRow).toBeNull();
});

test("a lasso's loop and cycle", () => {
  const o = checkModel('examples/tas-progress.lspec', { design: 'weak' });
  const trace = reportView('check', 'x', [o]).designs[0].traces[0];
  const last = trace.rows.length - 1;
  expect(trace.loop).toEqual({ from: o.violations[0].loop, to: last, text: `steps ${o.violations[0].loop! + 1}-${last} and back to state ${o.violations[0].loop}: repeats for ever` });
  expect(trace.cycle).toHaveLength(3);
  expect(trace.cycle[0]).toMatch(/^proc\(1\): weakly fair, disabled at lock_/);
});

test('a compare report: the summary table, and the graph left out above the limit', () => {
  const outcomes = ['racy_norefs', 'hold_private_lock'].map((design) => checkModel(BH, { design, keepGraph, continue: true }));
  const view = reportView('compare', 'spec/bh-migration', outcomes);
  expect(view.summary!.rows.map((r) => r.slice(0, 2))).toEqual([['racy_norefs', 'violation'], ['hold_private_lock', 'ok']]);
  expect(view.designs.map((d) => d.traces.length)).toEqual([3, 0]);
  expect(view.designs.map((d) => d.graph)).toEqual([null, null]);
  expect(view.designs[1].graphNote).toBe('The state graph is left out: 4,104 states, the view draws at most 3,000.');
});

test('under symmetry the graph holds representatives: the trace is not drawn on it, and the page says so', () => {
  const file = writeModel(`algorithm Sym {
  constants CPUS = {c1, c2};
  values c1, c2;
  symmetry CPUS;
  variables last = c1, n = 0;
  invariant Small == n < 2;
  process (cpu \\in CPUS) { inc: last := self; n := n + 1; }
}`);
  const design = reportView('check', file, [checkModel(file, { keepGraph })]).designs[0];
  expect(design.traces[0].rows).toHaveLength(3);
  expect(design.graph!.nodes).toHaveLength(3);
  expect(design.graph!.path).toBeNull();
  expect(design.graphNote).toBe('The trace is not drawn on the graph: under symmetry the graph holds one state per orbit.');
});
