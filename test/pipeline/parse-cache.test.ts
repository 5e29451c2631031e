// The parse cache: a file read back from it is the tree the parser gives, an edited file or a
// renamed one is parsed afresh, an entry damaged on disk is a miss, only clean parses are kept,
// the least recently used go past the limit, and a cache that cannot be written changes nothing.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { parseSource } from '../../src/parser/parse.js';
import { MAX_ENTRIES, ParseCache } from '../../src/pipeline/parse-cache.js';
import { cacheDirectory } from '../../src/cli/io.js';
import { formatDiagnostic } from '../../src/diagnostics/diagnostics.js';
import { CHILD_TIMEOUT_MS } from '../helpers.js';

const freshDir = (): string => mkdtempSync(join(tmpdir(), 'lockspec-parse-cache-test-'));
const entries = (dir: string): string[] => readdirSync(dir).filter((n) => n.endsWith('.ast'));

const modelFiles = (dir: string): string[] => readdirSync(dir).filter((n) => n.endsWith('.lspec')).map((n) => join(dir, n));
const MODELS = [...modelFiles('examples'), ...modelFiles('spec/bh-migration')];

/** Rewrites the one entry of `dir` to hold `tree`, digest and all, as a run would have written it. */
function replaceEntry(dir: string, tree: unknown): void {
  const [entry] = entries(dir);
  const body = serialize(tree);
  writeFileSync(join(dir, entry), Buffer.concat([createHash('sha256').update(body).digest(), body]));
}

describe('parse cache', () => {
  test.each(MODELS)('%s read back is the tree the parser gives', (file) => {
    const text = readFileSync(file, 'utf8');
    const dir = freshDir();
    const [, parsed] = parseSource(text, file);
    expect(new ParseCache(dir).parse(text, file)).toEqual([[], parsed]);
    expect(entries(dir)).toHaveLength(1);
    expect(new ParseCache(dir).parse(text, file)).toEqual([[], parsed]);
  });

  test('a second run reads the tree from the entry, not from the parser', () => {
    const dir = freshDir();
    const text = 'module M { variables x = 0; }';
    const [, tree] = new ParseCache(dir).parse(text, 'm.lspec');
    const marked = { ...tree!, name: { ...tree!.name, name: 'ReadBack' } };
    replaceEntry(dir, marked);
    expect(new ParseCache(dir).parse(text, 'm.lspec')[1]!.name.name).toBe('ReadBack');
  });

  test('an edited file, or the same text under another name, is parsed afresh', () => {
    const dir = freshDir();
    const cache = new ParseCache(dir);
    cache.parse('module M { variables x = 0; }', 'm.lspec');
    const [, edited] = cache.parse('module M { variables x = 1; }', 'm.lspec');
    expect(edited).toEqual(parseSource('module M { variables x = 1; }', 'm.lspec')[1]);
    const [, renamed] = cache.parse('module M { variables x = 0; }', 'n.lspec');
    expect(renamed!.span.file).toBe('n.lspec');
    expect(entries(dir)).toHaveLength(3);
  });

  test('an entry damaged on disk is a miss, and is written again', () => {
    const dir = freshDir();
    const text = 'module M { variables x = 0; }';
    const cache = new ParseCache(dir);
    const [, tree] = cache.parse(text, 'm.lspec');
    const entry = join(dir, entries(dir)[0]);
    const bytes = readFileSync(entry);
    bytes[bytes.length - 3] ^= 0xff;
    writeFileSync(entry, bytes);
    expect(cache.parse(text, 'm.lspec')).toEqual([[], tree]);
    const body = readFileSync(entry).subarray(32);
    expect(deserialize(body)).toEqual(tree);
    writeFileSync(entry, 'not an entry');
    expect(cache.parse(text, 'm.lspec')).toEqual([[], tree]);
  });

  test('a file with a syntax error gives the parser\'s diagnostic, and nothing is kept', () => {
    const dir = freshDir();
    const text = 'module M { variables x = ; }';
    const [diagnostics, tree] = new ParseCache(dir).parse(text, 'm.lspec');
    expect(tree).toBeNull();
    const sources = new Map([['m.lspec', text]]);
    expect(diagnostics.map((d) => formatDiagnostic(d, sources))).toEqual(parseSource(text, 'm.lspec')[0].map((d) => formatDiagnostic(d, sources)));
    expect(readdirSync(dir)).toEqual([]);
  });

  test('a directory that cannot be made is a cache that misses', () => {
    const file = join(freshDir(), 'a-file');
    writeFileSync(file, '');
    const text = 'module M { variables x = 0; }';
    expect(new ParseCache(join(file, 'cache')).parse(text, 'm.lspec')).toEqual(parseSource(text, 'm.lspec'));
  });

  test(`past ${MAX_ENTRIES} entries the least recently used are removed`, () => {
    const dir = freshDir();
    const cache = new ParseCache(dir);
    const text = (i: number): string => `module M { variables x = ${i}; }`;
    for (let i = 0; i < MAX_ENTRIES; i++) cache.parse(text(i), 'm.lspec');
    expect(entries(dir)).toHaveLength(MAX_ENTRIES);
    // The first one used again is the most recently used: it stays.
    replaceEntryOf(dir, cache, text(0));
    cache.parse(text(MAX_ENTRIES), 'm.lspec');
    expect(entries(dir)).toHaveLength((MAX_ENTRIES * 3) / 4);
    expect(cache.parse(text(0), 'm.lspec')[1]!.name.name).toBe('StillKept');
  });

  test('LOCKSPEC_PARSE_CACHE names the directory, off turns it off; unset, the user\'s cache directory', () => {
    expect(cacheDirectory({ LOCKSPEC_PARSE_CACHE: '/x/y' }, 'parse')).toBe('/x/y');
    expect(cacheDirectory({ LOCKSPEC_PARSE_CACHE: 'off' }, 'parse')).toBeNull();
    expect(cacheDirectory({ XDG_CACHE_HOME: '/c', HOME: '/h' }, 'parse')).toBe('/c/lockspec/parse');
    expect(cacheDirectory({ HOME: '/h' }, 'parse')).toBe('/h/.cache/lockspec/parse');
  });

  test('the command line keeps what it parsed, and a second run reports the same', () => {
    const run = (env: NodeJS.ProcessEnv) =>
      spawnSync(process.execPath, ['dist/src/cli/main.js', 'check', 'spec/bh-migration/bh_migration.lspec', '--design', 'evict_buffers'], {
        encoding: 'utf8',
        env: { ...process.env, LOCKSPEC_PARSE_CACHE: undefined, ...env },
      });
    const report = (out: string): string => out.replace(/, [\d.]+ s \([\d,]+ states\/s\)/, '');
    const named = freshDir();
    const first = run({ LOCKSPEC_PARSE_CACHE: named });
    expect(first.status).toBe(0);
    // The model, the module it imports and the kernel library (lib/linux.lspec).
    expect(entries(named)).toHaveLength(3);
    const second = run({ LOCKSPEC_PARSE_CACHE: named });
    expect(report(second.stdout)).toBe(report(first.stdout));
    expect(report(first.stdout)).toMatch(/No violation: 2,397 distinct states, 6,111 generated, depth 30\./);
    const userCache = freshDir();
    expect(run({ XDG_CACHE_HOME: userCache }).status).toBe(0);
    expect(entries(join(userCache, 'lockspec', 'parse'))).toHaveLength(3);
    const turnedOff = freshDir();
    expect(run({ XDG_CACHE_HOME: turnedOff, LOCKSPEC_PARSE_CACHE: 'off' }).status).toBe(0);
    expect(readdirSync(turnedOff)).toEqual([]);
  }, CHILD_TIMEOUT_MS);
});

describe('a run whose every parse is kept', () => {
  // In a child process (the built modules): load a design with --const values through the cache,
  // check it, and say whether ohm was loaded (node's require cache) and what the check found.
  const SCRIPT = `
    import { createRequire } from 'node:module';
    const [dir] = process.argv.slice(1);
    const { ParseCache } = await import('./dist/src/pipeline/parse-cache.js');
    const { ModelFiles, loadModel } = await import('./dist/src/pipeline/load-model.js');
    const { checkModel } = await import('./dist/src/pipeline/check-file.js');
    const files = new ModelFiles(undefined, null, new ParseCache(dir));
    const file = 'spec/bh-migration/bh_migration.lspec';
    const opts = { design: 'evict_buffers', consts: [['NCPU', '2'], ['NLOOKUP', '1']], files };
    const loaded = loadModel(file, opts);
    const outcome = checkModel(file, opts);
    const ohm = Object.keys(createRequire(import.meta.url).cache).some((path) => path.includes('/ohm-js/'));
    console.log(JSON.stringify({ program: loaded.program !== null, verdict: outcome.verdict, distinct: outcome.distinct, ohm }));
  `;
  const run = (dir: string) => {
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', SCRIPT, dir], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    return JSON.parse(child.stdout) as { program: boolean; verdict: string; distinct: number; ohm: boolean };
  };

  test('loads no ohm and builds no grammar: the files and the --const values are read back', () => {
    const dir = freshDir();
    const first = run(dir);
    expect(first).toMatchObject({ program: true, verdict: 'ok', ohm: true });
    // The model, its module, the kernel library, and the two --const values.
    expect(entries(dir)).toHaveLength(5);
    expect(run(dir)).toEqual({ ...first, ohm: false });
  }, CHILD_TIMEOUT_MS);
});

/** Marks the entry of `text` (so that its reading back shows) and uses it, which makes it the most recently used. */
function replaceEntryOf(dir: string, cache: ParseCache, text: string): void {
  const before = new Set(entries(dir));
  const other = freshDir();
  const [, tree] = new ParseCache(other).parse(text, 'm.lspec');
  const [name] = entries(other);
  expect(before.has(name)).toBe(true);
  const body = serialize({ ...tree!, name: { ...tree!.name, name: 'StillKept' } });
  writeFileSync(join(dir, name), Buffer.concat([createHash('sha256').update(body).digest(), body]));
  expect(cache.parse(text, 'm.lspec')[1]!.name.name).toBe('StillKept');
}
