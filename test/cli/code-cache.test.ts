// The worker's code cache (src/cli/code-cache.ts): a CommonJS file runs as node runs one, with or
// without a cache; what a run compiled is kept and handed to V8 by the next; a changed file never
// meets the old entry; an entry damaged on disk, or one V8 refuses, is a compilation, and is
// written again. Each load runs in a process of its own (the built module, as the worker runs it):
// V8 keeps what a process compiled, and would hand a second load of the same text that instead.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeCacheUse } from '../../src/cli/code-cache.js';
import { cacheDirectory } from '../../src/cli/io.js';
import { CHILD_TIMEOUT_MS } from '../helpers.js';

const CODE_CACHE_MODULE = pathToFileURL(join(process.cwd(), 'dist/src/cli/code-cache.js')).href;

interface Loaded {
  use: CodeCacheUse;
  exports: unknown;
  save(): void;
}

/** loadBundle(file, cacheDir) in a fresh node; `save` is that of the same load, so it loads again and saves. */
function loadBundle(file: string, cacheDir: string | null): Loaded {
  const run = (save: boolean): { use: CodeCacheUse; exports: unknown } => {
    const script = `import { loadBundle } from ${JSON.stringify(CODE_CACHE_MODULE)};
const loaded = loadBundle(${JSON.stringify(file)}, ${JSON.stringify(cacheDir)});
if (${save}) loaded.save();
process.stdout.write(JSON.stringify({ use: loaded.use, exports: loaded.exports }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: CHILD_TIMEOUT_MS });
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout);
  };
  return { ...run(false), save: () => void run(true) };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lockspec-code-cache-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const cacheDir = (): string => join(dir, 'cache');
const entries = (): string[] => readdirSync(cacheDir()).filter((n) => n.endsWith('.v8'));

/** A CommonJS file whose exports tell what it was run with; `n` varies its text. */
function writeBundle(n: number): string {
  const file = join(dir, 'bundle.cjs');
  writeFileSync(
    file,
    `"use strict";
const { join } = require("node:path");
function sum(k) { let s = 0; for (let i = 0; i < k; i++) s += i; return s; }
module.exports = { n: ${n}, file: __filename, dir: __dirname, joined: join("a", "b"), sum: sum(10), strict: (function () { return this === undefined; })() };
`,
  );
  return file;
}

test('a CommonJS file runs as node runs one, with no cache and with one', () => {
  const file = writeBundle(1);
  const expected = { n: 1, file, dir, joined: join('a', 'b'), sum: 45, strict: true };
  const off = loadBundle(file, null);
  expect(off.use).toBe('off');
  expect(off.exports).toEqual(expected);
  off.save();
  expect(readdirSync(dir)).toEqual(['bundle.cjs']);
  const first = loadBundle(file, cacheDir());
  expect(first.use).toBe('missed');
  expect(first.exports).toEqual(expected);
});

test('what a run compiled is kept, and the next run hands it to V8', () => {
  const file = writeBundle(2);
  loadBundle(file, cacheDir()).save();
  expect(entries()).toHaveLength(1);
  const [entry] = entries();
  const past = new Date(2000, 0, 1);
  utimesSync(join(cacheDir(), entry), past, past);
  const second = loadBundle(file, cacheDir());
  expect(second.use).toBe('used');
  expect(second.exports).toMatchObject({ n: 2, sum: 45 });
  // Read (marked used), not written again: a used entry is what V8 already has.
  expect(statSync(join(cacheDir(), entry)).mtimeMs).toBeGreaterThan(past.getTime());
  const before = readFileSync(join(cacheDir(), entry));
  second.save();
  expect(readFileSync(join(cacheDir(), entry)).equals(before)).toBe(true);
});

test('a changed file does not meet the entry of the old one', () => {
  loadBundle(writeBundle(3), cacheDir()).save();
  const changed = loadBundle(writeBundle(4), cacheDir());
  expect(changed.use).toBe('missed');
  expect(changed.exports).toMatchObject({ n: 4 });
  changed.save();
  expect(entries()).toHaveLength(2);
});

/** Flips the last byte of an entry: its digest no longer matches. */
function damage(path: string): void {
  const bytes = readFileSync(path);
  bytes[bytes.length - 1] ^= 0xff;
  writeFileSync(path, bytes);
}

/** A well-formed entry (its digest matches) that holds no code V8 can take. */
function notV8Code(path: string): void {
  const body = Buffer.from('not code that V8 made');
  writeFileSync(path, Buffer.concat([createHash('sha256').update(body).digest(), body]));
}

test.each([
  ['an entry damaged on disk is a miss', damage, 'missed'],
  ['code V8 refuses is compiled afresh', notV8Code, 'refused'],
] as const)('%s, and is written again', (_name, spoil, use) => {
  const file = writeBundle(5);
  loadBundle(file, cacheDir()).save();
  spoil(join(cacheDir(), entries()[0]));
  const spoiled = loadBundle(file, cacheDir());
  expect(spoiled.use).toBe(use);
  expect(spoiled.exports).toMatchObject({ n: 5, sum: 45 });
  spoiled.save();
  expect(loadBundle(file, cacheDir()).use).toBe('used');
});

test('LOCKSPEC_CODE_CACHE names the directory, off turns it off; unset, the user\'s cache directory', () => {
  expect(cacheDirectory({ LOCKSPEC_CODE_CACHE: '/x/y', LOCKSPEC_PARSE_CACHE: '/p' }, 'code')).toBe('/x/y');
  expect(cacheDirectory({ LOCKSPEC_CODE_CACHE: 'off' }, 'code')).toBeNull();
  expect(cacheDirectory({ XDG_CACHE_HOME: '/c', HOME: '/h', LOCKSPEC_PARSE_CACHE: 'off' }, 'code')).toBe('/c/lockspec/code');
  expect(cacheDirectory({ HOME: '/h' }, 'code')).toBe('/h/.cache/lockspec/code');
});
