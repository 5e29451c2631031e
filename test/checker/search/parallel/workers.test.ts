// `check --workers N` (src/checker/parallel/). With the helpers ready before the search starts
// (LOCKSPEC_WORKERS_SYNC_START), two threads share every level, down to single states when a level
// is small; the whole JSON report (verdict, counts, depth, trace, lock statistics, dead labels,
// per-label coverage) must be that of one thread, on every example, on violations, a deadlock, a
// failing assert, a runtime error, symmetry, values built at run time, designs. The searches run
// in-process through the built commands (dist/: the helper threads run the built worker script);
// what only the command line does (the text report, the resident-memory limit, Ctrl-C) runs the
// built CLI as a child, and so does the model of a million values (in jest's module sandbox its
// search takes several times the CLI's time).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CHILD_TIMEOUT_MS, interruptCli, writeModel } from '../../../helpers.js';
import { checkBuilt as check, type CheckOptions as Options } from './built-check.js';

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
