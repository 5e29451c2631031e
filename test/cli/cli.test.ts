// End-to-end tests of the command line, run as a child process on the built CLI (npm test builds
// first): exit codes, located errors without stack traces, JSON reports, limits; and TLC's figures
// with both engines, through the check command's own function in-process.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCheck } from '../../src/cli/commands.js';
import { CHILD_TIMEOUT_MS, interruptCli, memoryIo, SLOW_DESIGNS, writeModel } from '../helpers.js';

const CLI = join(process.cwd(), 'dist/src/cli/main.js');

function run(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function json(...args: string[]): { code: number; report: any } {
  const r = run(...args, '--format', 'json');
  return { code: r.code, report: JSON.parse(r.out) };
}

const NO_STACK = /^\s+at .*\(.*:\d+:\d+\)$/m;

/** A function's result, computed on the first call: one run of the CLI that several tests read. */
function once<T>(f: () => T): () => T {
  let result: { value: T } | null = null;
  return () => (result ??= { value: f() }).value;
}

/** TicketLock with MAXT=1 (a Mutex violation after 8 steps), its JSON report and its trace written as ITF. */
const TRACE_OUT = writeModel('', 'trace.itf.json');
const ticketViolation = once(() => json('check', 'examples/ticketlock.lspec', '--const', 'MAXT=1', '--trace-format', 'itf', '--trace-out', TRACE_OUT));
/** Peterson's text report, with the progress lines on stderr. */
const petersonText = once(() => run('check', 'examples/peterson.lspec', '--progress'));

test('the built CLI runs as the package binary (npx lockspec)', () => {
  const r = spawnSync(CLI, ['parse', 'examples/peterson.lspec'], { encoding: 'utf8' });
  expect(r.error).toBeUndefined();
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('examples/peterson.lspec: ok');
});

describe('lockspec parse', () => {
  test('every model in examples/ and spec/ parses', () => {
    const files = ['examples', 'spec/bh-migration'].flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.lspec')).map((f) => join(dir, f)));
    expect(files.length).toBeGreaterThanOrEqual(6);
    const r = run('parse', ...files);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n')).toHaveLength(files.length);
    expect(r.out).toMatch(/kernel\.lspec: ok: module kernel: \d+ macros/);
    expect(r.out).toContain('examples/lockinc.lspec: ok: 1 process (3 instances), 5 labels, 2 variables, 5 properties');
  });

  const broken: [string, string, RegExp][] = [
    ['garbage', '\u0001\u0002 %%% garbage ###\n', /:1:4: error LS1001: expected "algorithm" or "module"/],
    ['truncated', readFileSync('examples/ticketlock.lspec', 'utf8').slice(0, 1000), /error LS1001: expected/],
    ['unknown name', readFileSync('examples/lockinc.lspec', 'utf8').replace('tmp := counter', 'tmp := counterr'), /error LS2001: unknown name "counterr"/],
    ['missing brace', readFileSync('examples/refpool.lspec', 'utf8').replace('} else {\n      obj[o].refs', ' else {\n      obj[o].refs'), /error LS1001: expected/],
    ['assignment to a lock', 'algorithm A {\n  spinlock bl[b \\in 1..2];\n  process P = 1 { a: bl[1] := 1; }\n}\n', /:3:22: error LS3050: cannot assign to the lock "bl": a lock changes only by lock\(\), unlock\(\) and trylock\(\), which check its holder/],
  ];
  test.each(broken)('%s: exit 2, file:line:col, a caret, no stack trace', (_name, text, message) => {
    const file = writeModel(text);
    const r = run('parse', file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: error`));
    expect(r.err).toMatch(/\n\s*\|\s*\^+/);
    expect(r.err).not.toMatch(NO_STACK);
  });

  test('a missing file is a located error, exit 2', () => {
    const r = run('parse', 'no/such/file.lspec');
    expect(r.code).toBe(2);
    expect(r.err).toContain('cannot read no/such/file.lspec: no such file');
  });
});

describe('lockspec check: the TLC reference figures', () => {
  /** File, `--const` values, verdict, distinct and generated states, trace length. */
  const rows: [string, string[], string, number | null, number | null, number | null][] = [
    ['examples/peterson.lspec', [], 'ok', 42, 77, null],
    ['examples/ticketlock.lspec', [], 'ok', 16412, 50317, null],
    ['examples/ticketlock.lspec', ['MAXT=1'], 'violation', null, null, 9],
    ['examples/refpool.lspec', [], 'ok', 196, 404, null],
    ['examples/refpool.lspec', ['USERS={u1,u2,u3}'], 'ok', 1372, 3696, null],
    ['examples/refpool.lspec', ['ATOMIC_PUT=FALSE'], 'violation', null, null, 9],
    ['examples/lockinc.lspec', [], 'ok', 22436, 47749, null],
  ];
  test.each(rows)('%s %j', (file, consts, verdict, distinct, generated, traceLength) => {
    for (const engine of ['compiled', 'reference'] as const) {
      const io = memoryIo();
      const code = runCheck({ file, const: consts, deadlock: true, 'lock-order': true, engine, format: 'json' }, io, () => false);
      const report = JSON.parse(io.outs.join('\n'));
      expect(report.verdict).toBe(verdict);
      expect(code).toBe(verdict === 'ok' ? 0 : 1);
      if (distinct !== null) expect(report.states.distinct).toBe(distinct);
      if (generated !== null) expect(report.states.generated).toBe(generated);
      if (traceLength !== null) expect(report.trace).toHaveLength(traceLength);
    }
  });

  test('the violation names the property and the trace starts at the initial state', () => {
    const { report } = ticketViolation();
    expect(report.property).toBe('Mutex');
    expect(report.trace[0]).toMatchObject({ process: null, label: null });
    expect(report.trace[0].state).toHaveProperty('owner', 0);
    expect(report.trace[1]).toHaveProperty('process');
    expect(report.trace[1]).toHaveProperty('changes');
  });

  test('text report: header, trace in process columns, failing state', () => {
    const r = run('check', 'examples/refpool.lspec', '--const', 'ATOMIC_PUT=FALSE');
    expect(r.code).toBe(1);
    expect(r.out).toContain('lockspec check examples/refpool.lspec');
    expect(r.out).toContain('ATOMIC_PUT = FALSE');
    expect(r.out).toContain('Invariant NoUseAfterFree violated after 8 steps (shortest trace, 9 states)');
    expect(r.out).toMatch(/owner\s+user\(u1\)/);
    expect(r.out).toContain('State 9 violates NoUseAfterFree.');
  });

  test('a passing run reports figures and coverage', () => {
    const r = petersonText();
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/No violation: 42 distinct states, 77 generated, depth 11/);
    expect(r.out).toContain('Every label was executed.');
  });
});

describe('lockspec check: limits, errors, options', () => {
  test('--max-states ends incomplete with exit 3 and the figures so far', () => {
    const { code, report } = json('check', 'examples/lockinc.lspec', '--max-states', '1000');
    expect(code).toBe(3);
    expect(report.verdict).toBe('incomplete');
    expect(report.limit).toBe('max-states 1000');
    expect(report.states.distinct).toBeGreaterThanOrEqual(1000);
  });
  test('--max-depth ends incomplete', () => {
    const { code, report } = json('check', 'examples/lockinc.lspec', '--max-depth', '5');
    expect(code).toBe(3);
    expect(report.limit).toBe('max-depth 5');
    expect(report.states.depth).toBe(5);
  });
  test('deadlock is found by default and not with --no-deadlock', () => {
    const file = writeModel('algorithm D {\n  variables x = 0;\n  process P = 1 { a: await x = 1; }\n}\n');
    const on = json('check', file);
    expect(on.code).toBe(1);
    expect(on.report.verdict).toBe('deadlock');
    expect(on.report.trace).toHaveLength(1);
    const off = json('check', file, '--no-deadlock');
    expect(off.code).toBe(0);
    expect(off.report.verdict).toBe('ok');
  });
  test('a bad --const is a usage error', () => {
    const r = run('check', 'examples/peterson.lspec', '--const', 'nonsense');
    expect(r.code).toBe(2);
    expect(r.err).toContain('bad --const "nonsense": expected NAME=EXPRESSION');
  });
  test('a --const that does not parse is located in the option', () => {
    const r = run('check', 'examples/lockinc.lspec', '--const', 'N=3 +');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--const N:1:4: error LS1001: expected an expression/);
  });
  test('--format json reports a spec that does not parse as JSON on stdout, exit 2', () => {
    const r = run('check', writeModel('algorithm Broken { variables x = ; }'), '--format', 'json');
    expect(r.code).toBe(2);
    const report = JSON.parse(r.out);
    expect(report.verdict).toBe('error');
    expect(report.diagnostics[0]).toMatchObject({ code: 'LS1001', location: expect.stringMatching(/:1:\d+$/) });
    const usage = run('compare', 'examples/peterson.lspec', '--const', 'N', '--format', 'json');
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.out)[0].diagnostics[0].code).toBe('LS2013');
  });
  test('an unknown option is a usage error', () => {
    const r = run('check', 'examples/peterson.lspec', '--frobnicate');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/error LS5054: unknown option --frobnicate: expected one of/);
    // Reported before the search is sent to its worker: nothing is searched.
    expect(r.out).toBe('');
  });
  test('--progress prints TLC-style progress lines on stderr, the last with the final figures', () => {
    const r = petersonText();
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^Progress: depth 11, 42 distinct, 77 generated \([\d,]+ s\/s\), queue 0$/m);
  });
  test('two runs give the same trace', () => {
    const again = run('check', 'examples/ticketlock.lspec', '--const', 'MAXT=1', '--format', 'json');
    expect(JSON.parse(again.out).trace).toEqual(ticketViolation().report.trace);
  });
  test('--trace-format itf writes the trace', () => {
    expect(ticketViolation().code).toBe(1);
    const itf = JSON.parse(readFileSync(TRACE_OUT, 'utf8'));
    expect(itf.states).toHaveLength(9);
    expect(itf.vars).toContain('owner');
    expect(itf.states[0].owner).toEqual({ '#bigint': '0' });
  });
});

describe('lockspec simulate', () => {
  test('finds the racy refpool violation and prints the seed', () => {
    const r = run('simulate', 'examples/refpool.lspec', '--const', 'ATOMIC_PUT=FALSE', '--runs', '2000', '--depth', '30', '--seed', '7');
    expect(r.code).toBe(1);
    expect(r.out).toContain('Seed 7');
    expect(r.out).toContain('lockspec simulate examples/refpool.lspec');
    expect(r.out).toMatch(/Invariant NoUseAfterFree violated after \d+ steps \(a random walk's trace, \d+ states\)/);
  });
  test('passes on a correct model', () => {
    const r = run('simulate', 'examples/peterson.lspec', '--runs', '50', '--depth', '40', '--seed', '1');
    expect(r.code).toBe(0);
    expect(r.out).toContain('No violation');
  });
});

describe('graceful ends', () => {
  test('an exploding model ends incomplete at the memory ceiling, with figures, never a crash', () => {
    const procs = 'algorithm Boom {\n  process P \\in 1..20 variables c = 0; { a: while (TRUE) { c := (c + 1) % 7; } }\n}\n';
    const r = run('check', writeModel(procs), '--memory-limit', '120', '--format', 'json');
    expect(r.code).toBe(3);
    const report = JSON.parse(r.out);
    expect(report.verdict).toBe('incomplete');
    expect(report.limit).toMatch(/^memory-limit 120 MiB/);
    expect(report.states.distinct).toBeGreaterThan(10000);
  });

  test('Ctrl-C prints the figures so far and exits 3', async () => {
    const { code, out } = await interruptCli(['check', 'examples/lockinc.lspec', '--const', 'N=6', '--engine', 'reference']);
    expect(code).toBe(3);
    expect(out).toMatch(/Incomplete: stopped by interrupted after [\d,]+ distinct states/);
  }, CHILD_TIMEOUT_MS);

  test('SIGTERM ends a search like Ctrl-C: the figures so far, exit 3', async () => {
    const { code, out } = await interruptCli(['check', 'examples/lockinc.lspec', '--const', 'N=6', '--engine', 'reference'], 'SIGTERM');
    expect(code).toBe(3);
    expect(out).toMatch(/Incomplete: stopped by interrupted after [\d,]+ distinct states/);
  }, CHILD_TIMEOUT_MS);

  test('Ctrl-C during compare exits 3, even when another design found a violation', async () => {
    const file = writeModel(SLOW_DESIGNS);
    const { code, out } = await interruptCli(['compare', file, '--engine', 'reference']);
    expect(code).toBe(3);
    expect(out).toMatch(/incomplete/);
  }, CHILD_TIMEOUT_MS);

  test('--time-limit ends incomplete', () => {
    const { code, report } = json('check', 'examples/lockinc.lspec', '--const', 'N=6', '--time-limit', '1');
    expect(code).toBe(3);
    expect(report.limit).toBe('time-limit 1s');
  });
});

describe('lockspec compare', () => {
  test('text, markdown and JSON tables of a file with designs', () => {
    const file = writeModel(`algorithm Two {
  spinlock l;
  variables x = 0;
  process P \\in 1..2 { a: lock(l); b: x := x + 1; c: unlock(l); }
  design racy { process P \\in 1..2 { a: x := x + 1; } }
  design locked "the base model's body" { invariant Small == x <= 2; }
  invariant Small == x <= 1;
}
`);
    const text = run('compare', file);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/design\s+verdict\s+property\s+trace\s+distinct\s+time\s+l hold\/waiters/);
    expect(text.out).toMatch(/base\s+violation\s+Small\s+6/);
    expect(text.out).toMatch(/racy\s+violation\s+Small\s+3/);
    expect(text.out).toMatch(/locked\s+ok\s+-\s+-\s+\d+\s+[\d.]+ s\s+3 \/ 1/);
    const md = run('compare', file, '--format', 'markdown');
    expect(md.out.split('\n')[1]).toMatch(/^\| --- \| --- \|/);
    const js = JSON.parse(run('compare', file, '--format', 'json').out);
    expect(js.map((o: any) => [o.design, o.verdict])).toEqual([['base', 'violation'], ['racy', 'violation'], ['locked', 'ok']]);
    expect(js[2].lockStats.l).toEqual({ maxHoldSteps: 3, maxHoldCost: 3, maxWaiters: 1, maxBypass: 0, starvation: null });
  });

  test('the reach column: how many cover properties hold, and the ones no reachable state satisfies', () => {
    const file = writeModel(`algorithm Cover {
  variables x = 0;
  process P = 1 { a: x := x + 1; }
  reachable One == x = 1;
  design stuck { process P = 1 { a: skip; } }
  reachable Two == x = 2;
}
`);
    const text = run('compare', file);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/design\s+verdict\s+property\s+trace\s+distinct\s+time\s+reach\n/);
    expect(text.out).toMatch(/base\s+violation\s+Two\s+-\s+2\s+[\d.]+ s\s+1\/2 \(not reached: Two\)\n/);
    expect(text.out).toMatch(/stuck\s+violation\s+One \(\+1 more\)\s+-\s+2\s+[\d.]+ s\s+0\/2 \(not reached: One, Two\)/);
    const js = JSON.parse(run('compare', file, '--format', 'json').out);
    expect(js[0].reachable).toEqual([{ name: 'One', holds: true }, { name: 'Two', holds: false }]);
    // check says so too: a cover property that fails is a violation.
    const check = run('check', file, '--design', 'base');
    expect(check.code).toBe(1);
    expect(check.out).toMatch(/no reachable state satisfies Two/);
  });
});
