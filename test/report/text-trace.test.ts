// Traces a person can read in a terminal: positions (pc) shown, the failing state in full for what
// the property reads, lines that fit the width (LOCKSPEC_WIDTH, else the terminal's, else 100).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { writeModel } from '../helpers.js';

const CLI = join(process.cwd(), 'dist/src/cli/main.js');

function run(args: string[], env: Record<string, string> = {}): { code: number; out: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status ?? -1, out: r.stdout };
}

const seqlock = writeModel(`algorithm Seq {
  variables rhi = 0, lo = 0;
  process W = 1 { w: lo := 1; }
  invariant Consistent == rhi = lo;
}
`);

test('the failing state shows every variable the property reads, also one that never changed', () => {
  const r = run(['check', seqlock]);
  expect(r.code).toBe(1);
  expect(r.out).toContain('State 2 violates Consistent.\nWhat Consistent reads there: rhi=0 lo=1');
});

test('text and JSON traces show where each process is (pc), as ITF does', () => {
  const text = run(['check', seqlock]).out;
  expect(text).toMatch(/Initial state: rhi=0 lo=0 pc\[1\]="w"/);
  expect(text).toMatch(/1 w\n {4}lo=1 pc="Done"/);
  const json = JSON.parse(run(['check', seqlock, '--format', 'json']).out);
  expect(json.trace[1].changes).toEqual({ lo: 1, pc: 'Done' });
  expect(json.trace[0].state.pc).toEqual({ W: 'w' });
});

test('a trace of three processes fits 100 columns by default, and the width asked for', () => {
  const args = ['check', 'examples/refpool.lspec', '--const', 'ATOMIC_PUT=FALSE'];
  const wide = (out: string): number => Math.max(...out.split('\n').map((l) => l.length));
  expect(wide(run(args).out)).toBeLessThanOrEqual(100);
  expect(wide(run(args, { LOCKSPEC_WIDTH: '200' }).out)).toBeGreaterThan(100);
  expect(wide(run(args, { LOCKSPEC_WIDTH: '90' }).out)).toBeLessThanOrEqual(90);
});

test('the headline stays under 100 characters', () => {
  const long = writeModel(`algorithm Long {
  variables x = 0;
  process P = 1 { a: x := 1; b: assert x = 0 \\/ x = 2 \\/ x = 3 \\/ x = 4 \\/ x = 5 \\/ x = 6 \\/ x = 7 \\/ x = 8 \\/ x = 9 \\/ x = 10; }
}
`);
  const r = run(['check', long]);
  expect(r.code).toBe(1);
  const headline = r.out.split('\n').findIndex((l) => l.startsWith('Assertion failed'));
  expect(headline).toBeGreaterThan(0);
  expect(r.out.split('\n')[headline].length).toBeLessThan(100);
  expect(r.out.split('\n')[headline + 1]).toMatch(/^ {2}\S/);
});
