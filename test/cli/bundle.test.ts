// The build bundles the command line and its worker each into one file (scripts/finish-build.js):
// a search starts about a tenth of a second sooner. These read the built files (npm test builds
// first): neither loads a module of lockspec's or of yargs at start, and each resource a bundled
// module finds from its own URL is still found (the parallel search's helper, the parse cache's
// digest of the parser, the package's version).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

test('the worker is one file: it imports only node\'s own modules', () => {
  const { statics, dynamics } = imports('command-worker.js');
  expect(statics.length).toBeGreaterThan(0);
  expect(statics.filter((m) => !builtin(m))).toEqual([]);
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
    const env = { ...process.env, LOCKSPEC_PARSE_CACHE: cache };
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
