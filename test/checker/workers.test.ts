// `check --workers N` (src/checker/parallel/) on the built CLI: two worker threads give the same
// verdict, counts, depth and trace as one, on every example, on violations, a deadlock, a failing
// assert, a runtime error and limits; a model that builds values at run time falls back and says so.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeModel } from '../helpers.js';

const CLI = join(process.cwd(), 'dist/src/cli/main.js');

function check(args: string[], workers: number): { code: number; report: any } {
  const r = spawnSync(process.execPath, [CLI, 'check', ...args, '--workers', String(workers), '--format', 'json'], { encoding: 'utf8' });
  return { code: r.status ?? -1, report: JSON.parse(r.stdout) };
}

/** What must not depend on the number of workers. */
function figures(report: any): unknown {
  return {
    verdict: report.verdict,
    property: report.property,
    limit: report.limit,
    states: report.states,
    trace: report.trace?.length ?? null,
    failingStep: report.failingStep,
    deadLabels: report.coverage.deadLabels,
    lockStats: report.lockStats,
  };
}

const DEADLOCK = 'algorithm D {\n  variables x = 0, y = 0;\n  process P \\in 1..2 { a: y := y + 1; b: await x = 1; }\n}\n';
const ASSERT = 'algorithm A {\n  variables x = 0;\n  process P \\in 1..3 { s1: while (TRUE) { s2: assert x # 4; x := x + 1; } }\n}\n';
const RUNTIME = 'algorithm R {\n  variables x = 0;\n  process P \\in 1..2 { s1: while (TRUE) { s2: x := x + 1; s3: x := 10 \\div (5 - x); } }\n}\n';

const cases: [string, string[]][] = [
  ...readdirSync('examples')
    .filter((f) => f.endsWith('.lspec'))
    .map((f): [string, string[]] => [f, [join('examples', f)]]),
  ['ticketlock MAXT=1 (violation)', ['examples/ticketlock.lspec', '--const', 'MAXT=1']],
  ['refpool ATOMIC_PUT=FALSE (violation)', ['examples/refpool.lspec', '--const', 'ATOMIC_PUT=FALSE']],
  ['lockinc --max-states', ['examples/lockinc.lspec', '--max-states', '5000']],
  ['lockinc --max-depth', ['examples/lockinc.lspec', '--max-depth', '12']],
  ['a deadlock', [writeModel(DEADLOCK)]],
  ['a failing assert', [writeModel(ASSERT)]],
  ['a runtime error', [writeModel(RUNTIME)]],
];

/** A file with designs reports one object per design. */
const perDesign = (report: any): any[] => (Array.isArray(report) ? report : [report]);

describe('check --workers 2 gives the figures of --workers 1', () => {
  test.each(cases)('%s', (_name, args) => {
    const one = check(args, 1);
    const two = check(args, 2);
    expect(two.code).toBe(one.code);
    expect(perDesign(two.report).map(figures)).toEqual(perDesign(one.report).map(figures));
    for (const r of perDesign(one.report)) expect(r.workers).toEqual({ requested: 1, used: 1, fallbackReason: null });
    for (const r of perDesign(two.report)) expect(r.workers.requested).toBe(2);
  });
});

describe('check --workers: which models use them', () => {
  test('a model of integers in flat slots uses every worker', () => {
    expect(check(['examples/lockinc.lspec'], 2).report.workers).toEqual({ requested: 2, used: 2, fallbackReason: null });
  });
  test('a model that builds values at run time falls back to one, and the text report says so', () => {
    expect(check(['examples/refpool.lspec'], 2).report.workers).toEqual({ requested: 2, used: 1, fallbackReason: 'this model builds values at run time' });
    const text = spawnSync(process.execPath, [CLI, 'check', 'examples/refpool.lspec', '--workers', '2'], { encoding: 'utf8' });
    expect(text.stdout).toContain('Workers: 1 (this model builds values at run time).');
  });
});
