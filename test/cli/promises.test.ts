// End-to-end tests of what the command line promises beyond a verdict: numbers it validates, the
// trace files it writes, results shown as each design finishes, --version, "did you mean", and
// each command's own help.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHILD_TIMEOUT_MS, SLOW_DESIGNS, writeModel } from '../helpers.js';

const CLI = join(process.cwd(), 'dist/src/cli/main.js');

function run(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe('numbers are validated', () => {
  test.each([
    [['check', 'examples/peterson.lspec', '--max-states', 'abc'], /error LS5050: --max-states must be a positive integer, got a value that is not a number/],
    [['check', 'examples/peterson.lspec', '--max-depth', '-3'], /error LS5050: --max-depth must be a positive integer, got -3/],
    [['check', 'examples/peterson.lspec', '--workers', '1.5'], /error LS5050: --workers must be a positive integer, got 1.5/],
    [['check', 'examples/peterson.lspec', '--time-limit', '0'], /error LS5051: --time-limit must be a positive number, got 0/],
    [['compare', 'examples/peterson.lspec', '--memory-limit', 'x'], /error LS5051: --memory-limit must be a positive number/],
    [['simulate', 'examples/peterson.lspec', '--runs', '0'], /error LS5050: --runs must be a positive integer, got 0/],
    [['simulate', 'examples/peterson.lspec', '--depth', '-3'], /error LS5050: --depth must be a positive integer, got -3/],
    [['simulate', 'examples/peterson.lspec', '--seed', 'x'], /error LS5052: --seed must be an integer from 0 to 2147483647/],
  ])('%j is a usage error, exit 2', (args, message) => {
    const r = run(...args);
    expect(r.err).toMatch(message);
    expect(r.out).not.toMatch(/stopped by/);
    expect(r.code).toBe(2);
  });
});

describe('trace files', () => {
  test('--trace-out alone writes the ITF trace', () => {
    const out = writeModel('', 'alone.itf.json');
    const r = run('check', 'examples/ticketlock.lspec', '--const', 'MAXT=1', '--trace-out', out);
    expect(r.code).toBe(1);
    expect(JSON.parse(readFileSync(out, 'utf8')).states).toHaveLength(9);
  });

  test('several failing designs: one trace file per design, each named on stderr', () => {
    const file = writeModel(`algorithm TwoBad {
  variables x = 0;
  process P = 1 { a: x := 1; b: x := 2; }
  invariant Small == x < 1;
  design later { invariant Small == x < 2; }
}
`);
    const out = writeModel('', 'two.itf.json');
    const r = run('check', file, '--trace-out', out);
    expect(r.code).toBe(1);
    const base = out.replace(/two\.itf\.json$/, 'two.base.itf.json');
    const later = out.replace(/two\.itf\.json$/, 'two.later.itf.json');
    expect(JSON.parse(readFileSync(base, 'utf8')).states).toHaveLength(2);
    expect(JSON.parse(readFileSync(later, 'utf8')).states).toHaveLength(3);
    expect(r.err).toContain(`wrote the trace of design base to ${base}`);
    expect(r.err).toContain(`wrote the trace of design later to ${later}`);
  });
});

describe('check shows each design as it finishes', () => {
  test('the first design\'s result is printed while the second is still searching; progress names the design', async () => {
    // The base model fails at once; design long_search would run until the memory ceiling. The
    // child is interrupted as soon as the base model's result is on stdout: that ends
    // long_search, which must then be the design the interrupt stopped.
    const file = writeModel(SLOW_DESIGNS);
    const child = spawn(process.execPath, [CLI, 'check', file, '--engine', 'reference', '--memory-limit', '400', '--progress']);
    let out = '';
    let err = '';
    let sent = false;
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      if (!sent && /Invariant Small violated/.test(out)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(out).toMatch(/Invariant Small violated[\s\S]*design\s+long_search[\s\S]*Incomplete: stopped by interrupted/);
    expect(code).toBe(3);
    expect(err).toMatch(/^Progress \(design long_search\): depth \d+/m);
  }, CHILD_TIMEOUT_MS);
});

describe('usage', () => {
  test('--version prints the package version', () => {
    const r = run('--version');
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });

  test('a mistyped command: did you mean', () => {
    const r = run('chek', 'examples/peterson.lspec');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/error LS5053: unknown command "chek": did you mean "check"\?/);
  });

  test('a mistyped option: did you mean', () => {
    const r = run('check', 'examples/peterson.lspec', '--max-state', '10');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/error LS5054: unknown option --max-state: did you mean --max-states\?/);
  });

  test.each(['parse', 'check', 'compare', 'simulate', 'export-tla'])('%s --help: its own options, each described, then an example', (command) => {
    const r = run(command, '--help');
    expect(r.code).toBe(0);
    const options = r.out.split('\nExamples:')[0].split('\n').filter((l) => /^ {2}--?[a-z]/.test(l));
    expect(options.length).toBeGreaterThan(0);
    // Each option line has a description before its [type] (or the option name is followed by text).
    for (const line of options) expect(line).toMatch(/^ {2}\S+(, \S+)?\s{2,}[A-Za-z(]/);
    if (command !== 'parse' && command !== 'export-tla') expect(r.out).not.toMatch(/--cfg-out/);
    if (command !== 'simulate') expect(r.out).not.toMatch(/--runs/);
    // The help ends with its example.
    expect(r.out).toMatch(new RegExp(`\nExamples:\n {2}lockspec ${command} [^\n]+(\n {2}[^\n]+)*\n*$`));
  });
});

test('no trace file is left behind by a passing check', () => {
  const out = writeModel('', 'none.itf.json').replace(/none/, 'never');
  const r = run('check', 'examples/peterson.lspec', '--trace-out', out);
  expect(r.code).toBe(0);
  expect(existsSync(out)).toBe(false);
});

test('simulate prints the wait-for cycle of a deadlock, as check does', () => {
  const file = writeModel(`algorithm ABBA {
  spinlock l;
  spinlock m;
  process A = 1 { a1: lock(l); a2: lock(m); a3: unlock(m); a4: unlock(l); }
  process B = 2 { b1: lock(m); b2: lock(l); b3: unlock(l); b4: unlock(m); }
}
`);
  const checked = run('check', file);
  expect(checked.out).toMatch(/wait-for cycle: \S+ waits for \S+ held by \S+, which waits for \S+ held by \S+/);
  const simulated = run('simulate', file, '--runs', '200', '--depth', '10', '--seed', '1');
  expect(simulated.code).toBe(1);
  expect(simulated.out).toMatch(/Deadlock after \d+ steps/);
  expect(simulated.out).toMatch(/wait-for cycle: \S+ waits for \S+ held by \S+, which waits for \S+ held by \S+/);
});
