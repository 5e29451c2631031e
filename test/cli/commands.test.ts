// The commands run in-process: each model file is read and parsed once per command, whatever
// the number of designs; each command has its own options; usage errors are coded diagnostics.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { runCheck, runCompare, runParse } from '../../src/cli/commands.js';
import { memoryIo } from '../helpers.js';

const CLI = resolve('dist/src/cli/main.js');
const SPEC = 'spec/bh-migration';
const searchArgs = { deadlock: true, engine: 'compiled' as const };

function run(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** The number of reads of each file, by base name. */
function readsByName(reads: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...reads].map(([path, n]) => [path.split('/').pop()!, n]));
}

describe('one load per file', () => {
  test('compare reads each file of a folder once, for all four designs', () => {
    const io = memoryIo();
    expect(runCompare({ ...searchArgs, path: SPEC, format: 'json' }, io, () => false)).toBe(0);
    expect(JSON.parse(io.outs.join('\n'))).toHaveLength(4);
    expect(readsByName(io.reads)).toEqual({ 'bh_migration.lspec': 1, 'kernel.lspec': 1, 'linux.lspec': 1 });
  });

  test('check of a file with designs reads it once', () => {
    const io = memoryIo();
    expect(runCheck({ ...searchArgs, file: `${SPEC}/bh_migration.lspec`, format: 'json' }, io, () => false)).toBe(1);
    expect(JSON.parse(io.outs.join('\n'))).toHaveLength(4);
    expect(readsByName(io.reads)).toEqual({ 'bh_migration.lspec': 1, 'kernel.lspec': 1, 'linux.lspec': 1 });
  });

  test('parse reads each file once', () => {
    const io = memoryIo();
    expect(runParse([`${SPEC}/bh_migration.lspec`], io)).toBe(0);
    expect(readsByName(io.reads)).toEqual({ 'bh_migration.lspec': 1, 'kernel.lspec': 1, 'linux.lspec': 1 });
  });
});

describe('each command has its own options', () => {
  test.each([['--symmetry', 'USERS'], ['--max-states', '10'], ['--time-limit', '1'], ['--workers', '2'], ['--fingerprint'], ['--progress']])(
    'simulate rejects the search option %s',
    (...option) => {
      const r = run('simulate', 'examples/peterson.lspec', '--runs', '2', ...option);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(new RegExp(`error LS5054: unknown option ${option[0]}: expected one of --help, --version, --design`));
    },
  );

  test('simulate honours --engine', () => {
    const r = run('simulate', 'examples/peterson.lspec', '--runs', '5', '--depth', '10', '--seed', '1', '--engine', 'reference');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/engine\s+reference/);
  });

  test("check's JSON and HTML reports carry lock statistics (its text report shows none)", () => {
    const file = `${SPEC}/bh_migration.lspec`;
    const json = memoryIo();
    expect(runCheck({ ...searchArgs, file, design: 'hold_private_lock', format: 'json' }, json, () => false)).toBe(0);
    const stats = JSON.parse(json.outs.join('\n')).lockStats;
    expect(Object.keys(stats).length).toBeGreaterThan(0);
    for (const s of Object.values(stats) as { maxHoldSteps: number }[]) expect(s.maxHoldSteps).toBeGreaterThan(0);
    const page = memoryIo();
    expect(runCheck({ ...searchArgs, file, design: 'hold_private_lock', format: 'text', html: 'r.html' }, page, () => false)).toBe(0);
    expect(page.files.get('r.html')).toContain(JSON.stringify(stats).slice(1, -1));
  });

  test('check has no --seed (its search is deterministic)', () => {
    expect(run('check', 'examples/peterson.lspec', '--seed', '1').err).toMatch(/error LS5054: unknown option --seed: expected one of/);
  });
});

describe('usage errors are coded diagnostics, exit 2', () => {
  test.each([
    [['check', 'examples/missing.lspec'], /error LS1004: cannot read examples\/missing.lspec: no such file/],
    [['check', 'examples/peterson.lspec', '--design', 'nope'], /error LS2009: unknown design "nope"/],
    [['check', 'examples/peterson.lspec', '--const', 'N'], /error LS2013: bad --const "N"/],
    [['check', 'examples/peterson.lspec', '--fingerprint', '--engine', 'reference'], /error LS5002: --fingerprint needs the compiled engine/],
    [['check', 'examples/peterson.lspec', '--trace-format', 'itf'], /error LS5003: --trace-format itf needs a file to write/],
    [['check', 'examples/peterson.lspec', '--continue', '--workers', '2'], /error LS5004: --continue needs the search of one thread/],
    [['check'], /error LS5001: Not enough non-option arguments/],
  ])('%j', (args, message) => {
    const r = run(...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    // One error, said once.
    expect(r.err.match(/error LS/g)).toHaveLength(1);
  });
});

describe('--continue', () => {
  test('check --continue reports every violated property, each with its trace; JSON lists them; exit 1', () => {
    const io = memoryIo();
    const args = { ...searchArgs, file: `${SPEC}/bh_migration.lspec`, design: 'racy_norefs', continue: true };
    expect(runCheck({ ...args, format: 'text' }, io, () => false)).toBe(1);
    const text = io.outs.join('\n');
    expect(text).toMatch(/3 properties violated: NoLostUpdate, NoUseAfterFree, NoMoveWhileReferenced\./);
    expect(text).toMatch(/State 18 violates NoLostUpdate\./);
    expect(text).toMatch(/State 31 violates NoMoveWhileReferenced\./);
    const json = memoryIo();
    expect(runCheck({ ...args, format: 'json' }, json, () => false)).toBe(1);
    const o = JSON.parse(json.outs.join('\n'));
    expect(o.property).toBe('NoLostUpdate');
    expect(o.violations.map((v: { property: string; trace: unknown[] }) => [v.property, v.trace.length])).toEqual([
      ['NoLostUpdate', 18], ['NoUseAfterFree', 21], ['NoMoveWhileReferenced', 31],
    ]);
    expect(o.violations[1].failingStep).not.toBeNull();
  });

  test('compare continues by default: the failing design has exact hold spans', () => {
    const io = memoryIo();
    expect(runCompare({ ...searchArgs, path: SPEC, format: 'text' }, io, () => false)).toBe(0);
    const racy = io.outs.join('\n').split('\n').find((l) => l.startsWith('racy_norefs'))!;
    expect(racy).toMatch(/violation\s+NoLostUpdate \(\+2 more\)\s+18\s+10,921\s/);
    expect(racy).not.toMatch(/\?/);
    const stopped = memoryIo();
    runCompare({ ...searchArgs, path: SPEC, format: 'text', continue: false }, stopped, () => false);
    expect(stopped.outs.join('\n')).toMatch(/racy_norefs\s+violation\s+NoLostUpdate\s+18\s+1,785\s.*\? \/ 2/);
  });
});
