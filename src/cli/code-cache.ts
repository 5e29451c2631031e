// The search's worker loads the checker from one CommonJS bundle (scripts/finish-build.js) through
// V8's code cache, as node 22's module.enableCompileCache() does and node 20 cannot: compiling the
// bundle's 800 KB, then each function as a run first calls it, is some 30-50 ms of a small check
// (docs/performance.md). After a job the bytecode of every function compiled so far is kept on
// disk; the next run hands it to V8 (vm.Script's cachedData), which takes it only if its own
// version, flags and the source's length match. An entry is named by a digest of the bundle's
// text and node's version, so a rebuilt bundle never meets an old entry, and is read only when its
// own digest matches (cache-entries.ts). Nothing here changes a result: a cache that cannot be
// read, is refused or cannot be written is a compilation.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { readEntry, writeEntry } from '../pipeline/cache-entries.js';

/** The entries kept: one per bundle and node, for the few installs that share a cache directory. */
export const MAX_CODE_ENTRIES = 8;

/** What became of the cache when a bundle was loaded. */
export type CodeCacheUse = 'off' | 'missed' | 'used' | 'refused';

export interface LoadedBundle {
  /** The bundle's `module.exports`. */
  exports: unknown;
  use: CodeCacheUse;
  /** Keeps the code compiled so far, unless it was read from the cache (V8 took it). */
  save(): void;
}

/** Runs the CommonJS file `file` as node would, its compiled code from `cacheDir` (null: no cache). */
export function loadBundle(file: string, cacheDir: string | null): LoadedBundle {
  // The digest reads the file's bytes, which costs less than reading the string again as UTF-8.
  const bytes = readFileSync(file);
  const source = bytes.toString('utf8');
  const entry = cacheDir === null ? null : `${createHash('sha256').update(`${process.version}\0${process.arch}\0`).update(bytes).digest('hex').slice(0, 40)}.v8`;
  const cached = entry === null ? null : readEntry(join(cacheDir!, entry));
  // Node's own wrapper for a CommonJS file, on the bundle's first line: its lines keep their numbers.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cached ? { cachedData: cached } : {}),
  });
  const use: CodeCacheUse = entry === null ? 'off' : cached === null ? 'missed' : script.cachedDataRejected ? 'refused' : 'used';
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dirname(file));
  return {
    exports: module.exports,
    use,
    save: () => {
      if (entry !== null && use !== 'used') writeEntry(cacheDir!, entry, script.createCachedData(), '.v8', MAX_CODE_ENTRIES);
    },
  };
}
