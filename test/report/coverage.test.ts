// Coverage as TLC's -coverage gives it: per label, the steps taken and the new states they found,
// the same from both engines, in JSON always and in text with --coverage.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { checkModel } from '../../src/pipeline/check-file.js';
import { checkToJson } from '../../src/report/json.js';
import { writeModel } from '../helpers.js';

const CLI = join(process.cwd(), 'dist/src/cli/main.js');

const sum = (xs: Float64Array): number => xs.reduce((a, b) => a + b, 0);

test.each(['examples/peterson.lspec', 'examples/refpool.lspec', 'examples/dining.lspec'])('%s: both engines count the same; the new states are the distinct states but the initial one', (file) => {
  const [compiled, reference] = (['compiled', 'reference'] as const).map((engine) => checkModel(file, { engine }));
  expect(compiled.labelCounts).not.toBeNull();
  expect(Array.from(compiled.labelCounts!.taken)).toEqual(Array.from(reference.labelCounts!.taken));
  expect(Array.from(compiled.labelCounts!.newStates)).toEqual(Array.from(reference.labelCounts!.newStates));
  expect(sum(compiled.labelCounts!.newStates)).toBe(compiled.distinct - 1);
  expect(sum(compiled.labelCounts!.taken)).toBeLessThanOrEqual(compiled.generated - 1);
});

test('peterson: the counts TLC reports (77 generated = 1 initial + 76 steps)', () => {
  const json = checkToJson(checkModel('examples/peterson.lspec')) as { coverage: { labels: { owner: string; label: string; taken: number; newStates: number }[] } };
  expect(json.coverage.labels.map((l) => [l.owner, l.label, l.taken, l.newStates])).toEqual([
    ['P', 'ncs', 18, 11], ['P', 'set', 18, 12], ['P', 'give', 18, 8], ['P', 'wait', 6, 4], ['P', 'cs', 8, 5], ['P', 'exit', 8, 1],
  ]);
});

test('--coverage prints a row per label; a label never reached in a complete search is a warning that it may be vacuous', () => {
  const file = writeModel(`algorithm Dead {
  variables x = 0;
  process P = 1 { a: x := 1; b: if (x = 5) { never: x := 2; }; }
  invariant Small == x < 2;
}
`);
  const r = spawnSync(process.execPath, [CLI, 'check', file, '--coverage'], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('Warning: labels never executed: never (what holds only because they never run holds vacuously)');
  expect(r.stdout).toMatch(/Coverage: steps taken from each label and the new states they found\n {2}process {2}label {2}taken {2}new states\n {2}P {8}a {10}1 {11}1\n {2}P {8}b {10}1 {11}1\n {2}P {8}never {6}0 {11}0/);
  const json = JSON.parse(spawnSync(process.execPath, [CLI, 'check', file, '--format', 'json'], { encoding: 'utf8' }).stdout);
  expect(json.coverage).toEqual({ deadLabels: ['never'], labels: [
    { owner: 'P', label: 'a', taken: 1, newStates: 1 },
    { owner: 'P', label: 'b', taken: 1, newStates: 1 },
    { owner: 'P', label: 'never', taken: 0, newStates: 0 },
  ] });
});

test('with several workers the text table is that of one thread', () => {
  const coverage = (workers: string): string => {
    const r = spawnSync(process.execPath, [CLI, 'check', 'examples/lockinc.lspec', '--workers', workers, '--coverage'], { encoding: 'utf8', env: { ...process.env, LOCKSPEC_WORKERS_SYNC_START: '1' } });
    expect(r.status).toBe(0);
    return r.stdout.slice(r.stdout.indexOf('Coverage'));
  };
  const one = coverage('1');
  expect(one).toMatch(/^Coverage: steps taken from each label and the new states they found\n/);
  expect(coverage('2')).toBe(one);
});
