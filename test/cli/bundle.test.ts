// The build bundles the command line and its worker each into one file, and the worker's job into
// one CommonJS file it runs through V8's code cache (scripts/finish-build.js): a search starts about
// a tenth of a second sooner. These read the built files (npm test builds first): none loads a
// module of lockspec's or of yargs at start, each resource a bundled module finds from its own URL
// is still found (the parallel search's helper, the parse cache's digest of the parser, the
// package's version), the code cache is kept and read, and after a `tsc` alone (an older bundle)
// the worker runs the modules.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SYNC_START_ENV } from '../../src/checker/search/parallel/parallel-search.js';

const CLI_DIR = join(process.cwd(), 'dist/src/cli');

/** The modules a built file imports statically, and those it imports on demand. */
function imports(file: string): { statics: string[]; dynamics: string[] } {
  const js = readFileSync(join(CLI_DIR, file), 'utf8');
  return {
    statics: [...js.matchAll(/^import\s[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]),
    dynamics: [...js.matchAll(/\bimport\("([^"]+)"\)/g)].map((m) => m[1]),
  };
}

/** TLC's distinct count for LockInc with N = 3, M = 3 (../shared/tlc-reference, test/tla/read-spec.test.ts). */
const LOCKINC_N3_M3 = 22_436;

const builtin = (m: string): boolean => m.startsWith('node:') || ['path', 'fs', 'util', 'url', 'assert'].includes(m);

/** The modules a built CommonJS file requires, and those it imports on demand. */
function requires(file: string): { required: string[]; dynamics: string[] } {
  const js = readFileSync(join(CLI_DIR, file), 'utf8');
  expect(js).not.toMatch(/^import\s/m);
  return {
    required: [...js.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]),
    dynamics: [...js.matchAll(/\bimport\("([^"]+)"\)/g)].map((m) => m[1]),
  };
}

test('the worker is one CommonJS file: it requires only node\'s own modules (the job\'s modules only when compiled alone)', () => {
  const { required, dynamics } = requires('command-worker.cjs');
  expect(required.length).toBeGreaterThan(0);
  expect(required.filter((m) => !builtin(m))).toEqual([]);
  expect(dynamics).toEqual(['./command-job.js']);
});

test('the worker\'s job is one CommonJS file: it requires only node\'s own modules', () => {
  const { required, dynamics } = requires('command-job.cjs');
  expect(required.length).toBeGreaterThan(0);
  expect(required.filter((m) => !builtin(m))).toEqual([]);
  expect(dynamics).toEqual([]);
});

test('the command line is one file with yargs: only the commands that run on its own thread load later', () => {
  const { statics, dynamics } = imports('main.js');
  expect(statics.filter((m) => !builtin(m))).toEqual([]);
  expect([...new Set(dynamics)].sort()).toEqual(['./commands.js', './explore-command.js']);
});

test('bundled modules find their resources from their own files', () => {
  const cache = mkdtempSync(join(tmpdir(), 'lockspec-bundle-'));
  try {
    // Each level waits for both threads (a helper joins however fast the search ends).
    const env = { ...process.env, LOCKSPEC_PARSE_CACHE: cache, [SYNC_START_ENV]: '1' };
    const run = (...args: string[]) => spawnSync(process.execPath, [join(CLI_DIR, 'main.js'), ...args], { encoding: 'utf8', env });
    const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
    expect(run('--version').stdout.trim()).toBe(version);
    // Twice: parsed, then read back from the cache; with helpers on two threads.
    for (let i = 0; i < 2; i++) {
      const r = run('check', 'examples/lockinc.lspec', '--const', 'N=3', '--const', 'M=3', '--workers', '2', '--format', 'json');
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report.states.distinct).toBe(LOCKINC_N3_M3);
      expect(report.workers).toMatchObject({ used: 2, joined: 2, fallbackReason: null });
    }
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

/** A check of LockInc N = 3, M = 3 by the built command line in `cli`, with `env`: its distinct count. */
function checkLockInc(cli: string, env: NodeJS.ProcessEnv): number {
  const r = spawnSync(process.execPath, [join(cli, 'main.js'), 'check', 'examples/lockinc.lspec', '--const', 'N=3', '--const', 'M=3', '--format', 'json'], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout).states.distinct;
}

test('the worker keeps its compiled code after a job, and the next run reads it', () => {
  const cache = mkdtempSync(join(tmpdir(), 'lockspec-code-cache-'));
  try {
    expect(checkLockInc(CLI_DIR, { LOCKSPEC_CODE_CACHE: cache })).toBe(LOCKINC_N3_M3);
    const kept = readdirSync(cache).filter((n) => n.endsWith('.v8'));
    expect(kept).toHaveLength(1);
    const entry = join(cache, kept[0]);
    const past = new Date(2000, 0, 1);
    utimesSync(entry, past, past);
    expect(checkLockInc(CLI_DIR, { LOCKSPEC_CODE_CACHE: cache })).toBe(LOCKINC_N3_M3);
    // Read (a read marks the entry used), and nothing else written.
    expect(statSync(entry).mtimeMs).toBeGreaterThan(past.getTime());
    expect(readdirSync(cache)).toEqual(kept);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

test('after a tsc alone, which leaves the bundles older than the modules, the worker runs the modules', () => {
  const copy = mkdtempSync(join(tmpdir(), 'lockspec-stale-bundle-'));
  try {
    cpSync('dist', join(copy, 'dist'), { recursive: true });
    cpSync('package.json', join(copy, 'package.json'));
    symlinkSync(join(process.cwd(), 'node_modules'), join(copy, 'node_modules'));
    const cli = join(copy, 'dist/src/cli');
    // Bundles that would fail, older than the modules.
    const past = new Date(2000, 0, 1);
    for (const bundle of ['command-worker.cjs', 'command-job.cjs']) {
      writeFileSync(join(cli, bundle), `throw new Error("the stale ${bundle} ran");\n`);
      utimesSync(join(cli, bundle), past, past);
    }
    expect(checkLockInc(cli, { LOCKSPEC_CODE_CACHE: 'off' })).toBe(LOCKINC_N3_M3);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});
