// `check --workers N` (src/checker/parallel/). With the helpers ready before the search starts
// (LOCKSPEC_WORKERS_SYNC_START), two threads share every level, down to single states when a level
// is small; the whole JSON report (verdict, counts, depth, trace, lock statistics, dead labels,
// per-label coverage) must be that of one thread, on every example, on violations, a deadlock, a
// failing assert, a runtime error, symmetry, values built at run time, designs. The searches run
// in-process through the built commands (dist/: the helper threads run the built worker script);
// what only the command line does (the text report, the resident-memory limit, Ctrl-C) runs the
// built CLI as a child, and so does the model of a million values (in jest's module sandbox its
// search takes several times the CLI's time).
import { jest } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CHILD_TIMEOUT_MS, interruptCli, writeModel } from '../../../helpers.js';
import { builtModule, checkBuilt as check, type CheckOptions as Options } from './built-check.js';

const CLI = join(process.cwd(), 'dist/src/cli/main.js');

/** `check --workers N --format json` on the built CLI, a child process. */
function checkCli(args: string[], workers: number): { code: number; report: any } {
  const r = spawnSync(process.execPath, [CLI, 'check', ...args, '--workers', String(workers), '--format', 'json'], { encoding: 'utf8' });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, report: JSON.parse(r.stdout) };
}

/** A file with designs reports one object per design. */
const perDesign = (report: any): any[] => (Array.isArray(report) ? report : [report]);

/**
 * The report without what depends on timing or on the number of workers; per-label coverage (steps
 * taken, new states) included: the threads' counts add up to one thread's.
 */
function figures(report: any): unknown {
  const { elapsedMs: _e, statesPerSecond: _s, workers: _w, ...rest } = report;
  return rest;
}

const DEADLOCK = 'algorithm D {\n  variables x = 0, y = 0;\n  process P \\in 1..2 { a: y := y + 1; b: await x = 1; }\n}\n';
const ASSERT = 'algorithm A {\n  variables x = 0;\n  process P \\in 1..3 { s1: while (TRUE) { s2: assert x # 4; x := x + 1; } }\n}\n';
const RUNTIME = 'algorithm R {\n  variables x = 0;\n  process P \\in 1..2 { s1: while (TRUE) { s2: x := x + 1; s3: x := 10 \\div (5 - x); } }\n}\n';
/** Sequences built at run time: codes every thread must agree on through the shared dictionary. */
const QUEUE =
  'algorithm Q {\n  variables q = <<>>, sent = 0;\n  invariant Short == Len(q) <= 3;\n' +
  '  process P \\in 1..3 { s: while (sent < 4) { put: if (Len(q) < 3) { q := Append(q, self); sent := sent + 1; } else { q := Tail(q); } } }\n}\n';

const cases: [string, string, Options][] = [
  ...readdirSync('examples')
    .filter((f) => f.endsWith('.lspec'))
    .map((f): [string, string, Options] => [f, join('examples', f), {}]),
  ['the kernel designs', 'spec/bh-migration/bh_migration.lspec', {}],
  ['ticketlock MAXT=1 (violation)', 'examples/ticketlock.lspec', { const: ['MAXT=1'] }],
  ['refpool ATOMIC_PUT=FALSE (violation)', 'examples/refpool.lspec', { const: ['ATOMIC_PUT=FALSE'] }],
  ['refpool, 3 users, symmetry', 'examples/refpool.lspec', { const: ['USERS={u1, u2, u3}'], symmetry: 'USERS,OBJS' }],
  ['lockinc --max-depth', 'examples/lockinc.lspec', { 'max-depth': 12 }],
  ['a deadlock', writeModel(DEADLOCK), {}],
  ['a failing assert', writeModel(ASSERT), {}],
  ['a runtime error', writeModel(RUNTIME), {}],
  ['sequences built at run time', writeModel(QUEUE), {}],
];

describe('check --workers 2 gives the report of --workers 1', () => {
  test.each(cases)('%s', (_name, file, options) => {
    const one = check(file, options, 1);
    const two = check(file, options, 2, true);
    expect(two.code).toBe(one.code);
    expect(perDesign(two.report).map(figures)).toEqual(perDesign(one.report).map(figures));
    for (const r of perDesign(one.report)) expect(r.workers).toEqual({ requested: 1, used: 1, joined: 1, fallbackReason: null });
    for (const r of perDesign(two.report)) expect(r.workers).toEqual({ requested: 2, used: 2, joined: 2, fallbackReason: null });
  });

  test('a search stopped by --max-states stops with either, with the same verdict and limit', () => {
    const options = { 'max-states': 5000 };
    const [one, two] = [check('examples/lockinc.lspec', options, 1), check('examples/lockinc.lspec', options, 2, true)];
    expect(two.code).toBe(3);
    expect([two.report.verdict, two.report.limit]).toEqual([one.report.verdict, one.report.limit]);
    expect(two.report.states.distinct).toBeGreaterThanOrEqual(5000);
  });
});

test('the lock order under --workers 2 records the steps that may take a lock, and builds no state graph', async () => {
  const { GraphRecorder } = await builtModule<typeof import('../../../../src/checker/search/state-graph.js')>('checker/search/state-graph.js');
  const { checkModel } = await builtModule<typeof import('../../../../src/pipeline/check-file.js')>('pipeline/check-file.js');
  const { SYNC_START_ENV } = await builtModule<typeof import('../../../../src/checker/search/parallel/parallel-search.js')>('checker/search/parallel/parallel-search.js');
  // As the text report checks: without lock statistics, which read every edge.
  const checkWith = (workers: number) => checkModel('spec/bh-migration/bh_migration.lspec', { design: 'hold_private_lock', workers, lockStatistics: false });
  const { Column } = await builtModule<typeof import('../../../../src/checker/search/column.js')>('checker/search/column.js');
  const { CompiledEngine } = await builtModule<typeof import('../../../../src/checker/engine/compiled/compiled-engine.js')>('checker/engine/compiled/compiled-engine.js');
  const { loadModel } = await builtModule<typeof import('../../../../src/pipeline/load-model.js')>('pipeline/load-model.js');
  const one = checkWith(1);
  process.env[SYNC_START_ENV] = '1';
  const graph = jest.spyOn(GraphRecorder.prototype, 'graph');
  const recorded = jest.spyOn(GraphRecorder.prototype, 'recordedBySource');
  const logged = jest.spyOn(Column.prototype, 'push');
  try {
    const two = checkWith(2);
    expect(two.workers?.joined).toBe(2);
    expect(two.lockOrder!.edges.length).toBeGreaterThan(0);
    expect(two.lockOrder).toEqual(one.lockOrder);
    expect(graph).not.toHaveBeenCalled();
    // The edges come from the threads' logs out of source order: sorted, as one thread records them.
    expect(recorded).toHaveBeenCalled();
    // This thread's log (per state expanded: its id, its edge count, then target, instance, label
    // per edge) holds the steps that may take or release a lock alone, fewer than it expanded.
    const program = loadModel('spec/bh-migration/bh_migration.lspec', { design: 'hold_private_lock' }).program!;
    const lockStep = new CompiledEngine(program).mayChange(program.locks.flatMap((l) => (l.readers === undefined ? [l.global] : [l.global, l.readers])));
    const log = new Set(logged.mock.contexts as InstanceType<typeof Column>[]);
    expect(log.size).toBe(1);
    const { data, length } = [...log][0];
    let [states, edges, others] = [0, 0, 0];
    for (let at = 0; at < length; states++) {
      const n = data[at + 1];
      at += 2;
      for (let e = 0; e < n; e++, at += 3, edges++) if (!lockStep(data[at + 1], data[at + 2])) others++;
    }
    expect([states > 0, edges > 0, others]).toEqual([true, true, 0]);
  } finally {
    delete process.env[SYNC_START_ENV];
    graph.mockRestore();
    recorded.mockRestore();
    logged.mockRestore();
  }
});

describe('check --workers: which threads take part', () => {
  test('helpers join a search already under way: LockInc N=4, its known counts', () => {
    const two = check('examples/lockinc.lspec', { const: ['N=4'] }, 2);
    expect(two.report.states).toEqual({ distinct: 1_752_112, generated: 4_716_249, depth: 65 });
    expect(two.report.workers).toEqual({ requested: 2, used: 2, joined: 2, fallbackReason: null });
  });

  test('fingerprint mode runs on one thread, and the text report says so', () => {
    expect(check('examples/peterson.lspec', { fingerprint: true }, 2).report.workers).toEqual({ requested: 2, used: 1, joined: 1, fallbackReason: 'fingerprint mode runs on one thread' });
    const text = spawnSync(process.execPath, [CLI, 'check', 'examples/peterson.lspec', '--fingerprint', '--workers', '2'], { encoding: 'utf8' });
    expect(text.stdout).toContain('Workers: 1 (fingerprint mode runs on one thread).');
  });

  test('the text report says when a search ended before the helpers had loaded the model', () => {
    const text = spawnSync(process.execPath, [CLI, 'check', 'examples/peterson.lspec', '--workers', '2'], { encoding: 'utf8' });
    expect(text.stdout).toMatch(/Workers: 2(; 1 expanded states, the others were still loading the model when the search ended)?\./);
  });
});

describe('check --workers: limits end the search as incomplete, exit 3', () => {
  test('a search stopped by a limit gives every state it stored an id, a row of its own and a first parent', async () => {
    const { exploreParallel, SYNC_START_ENV } = await builtModule<typeof import('../../../../src/checker/search/parallel/parallel-search.js')>('checker/search/parallel/parallel-search.js');
    const { CompiledEngine } = await builtModule<typeof import('../../../../src/checker/engine/compiled/compiled-engine.js')>('checker/engine/compiled/compiled-engine.js');
    const { rebuildTrace } = await builtModule<typeof import('../../../../src/checker/search/breadth-first.js')>('checker/search/breadth-first.js');
    const { loadModel } = await builtModule<typeof import('../../../../src/pipeline/load-model.js')>('pipeline/load-model.js');
    const engine = new CompiledEngine(loadModel('examples/lockinc.lspec').program!);
    process.env[SYNC_START_ENV] = '1';
    let result;
    try {
      ({ result } = exploreParallel(engine, { deadlock: true, maxStates: 5000 }, 2));
    } finally {
      delete process.env[SYNC_START_ENV];
    }
    expect(result.limit).toBe('max-states 5000');
    // The level the limit stopped in was stored in part: its states are read like any other.
    expect(result.distinct).toBeGreaterThan(5000);
    expect(engine.size()).toBe(result.distinct);
    const row = new Int32Array(engine.width);
    const rows = new Set<string>();
    for (let id = 0; id < engine.size(); id++) {
      engine.readRow(id, row);
      rows.add(row.join());
    }
    expect(rows.size).toBe(result.distinct);
    // The last state's trace: each step from the state before it (rebuildTrace fails on a parent that cannot reach it).
    const trace = rebuildTrace(engine, result.distinct - 1, result.parentOf!);
    expect(trace.length).toBe(result.depth + 1);
  });

  test('--time-limit', () => {
    const r = check('examples/lockinc.lspec', { const: ['N=6'], 'time-limit': 1 }, 2);
    expect(r.code).toBe(3);
    expect(r.report.limit).toBe('time-limit 1s');
  });

  test('--memory-limit (the resident memory of the process: the CLI\'s own)', () => {
    const r = checkCli(['examples/lockinc.lspec', '--const', 'N=6', '--memory-limit', '150'], 2);
    expect(r.code).toBe(3);
    expect(r.report.limit).toBe('memory-limit 150 MiB');
    expect(r.report.states.distinct).toBeGreaterThan(10000);
  });

  test('a variable taking more values than the shared store packs per slot', () => {
    const big = writeModel('algorithm Big {\n  variables x = 0;\n  process P \\in 1..1 { a: with (v \\in 0..1100000) { x := v; } }\n}\n');
    const r = checkCli([big], 2);
    expect(r.code).toBe(3);
    expect(r.report.limit).toMatch(/^a variable taking more than 1,048,576 values/);
    expect(checkCli([big], 1).report.verdict).toBe('ok');
  });

  test('Ctrl-C prints the figures so far', async () => {
    const { code, out } = await interruptCli(['check', 'examples/lockinc.lspec', '--const', 'N=6', '--workers', '2']);
    expect(code).toBe(3);
    expect(out).toMatch(/Incomplete: stopped by interrupted after [\d,]+ distinct states/);
  }, CHILD_TIMEOUT_MS);
});
