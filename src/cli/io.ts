// The command line's streams and exit codes, apart from the commands: the main thread needs them
// before it knows which command runs, and loading them must not load the checker (start-up).
import { readFileSync, writeFileSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Reads a model file: each file of a command's models is read (and parsed) once. */
  readFile: (path: string) => string;
  writeFile: (path: string, text: string) => void;
  isTTY: boolean;
  /** The width text reports fit: LOCKSPEC_WIDTH, else the terminal's, else 100 columns. */
  width: number;
  /** Where parsed model files are kept between runs (src/pipeline/parse-cache.ts); null: nowhere. */
  parseCacheDir: string | null;
}

/**
 * Writes to stdout (fd 1) or stderr (fd 2) at once. A search runs synchronously on a worker
 * thread, whose stream writes would wait for the search to end; progress lines and each design's
 * result must not.
 */
function writeNow(fd: 1 | 2, text: string): void {
  let buf = Buffer.from(text);
  while (buf.length > 0) {
    try {
      buf = buf.subarray(writeSync(fd, buf));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
    }
  }
}

/** The width of text reports: LOCKSPEC_WIDTH, else the terminal's columns (stdout's, read on the main thread), else 100. */
export function reportWidth(terminalColumns: number | undefined): number {
  const asked = Number(process.env.LOCKSPEC_WIDTH);
  return Number.isInteger(asked) && asked >= 40 ? asked : terminalColumns && terminalColumns >= 40 ? terminalColumns : 100;
}

/** The caches kept between runs, each under the variable that names its directory. */
const CACHE_VARIABLES = { parse: 'LOCKSPEC_PARSE_CACHE', code: 'LOCKSPEC_CODE_CACHE' } as const;

/**
 * A cache's directory: its variable (LOCKSPEC_PARSE_CACHE for parsed files, LOCKSPEC_CODE_CACHE for
 * the worker's compiled code); `off` for none; unset, lockspec/parse or lockspec/code in the user's
 * cache directory ($XDG_CACHE_HOME, else ~/.cache).
 */
export function cacheDirectory(env: NodeJS.ProcessEnv, cache: keyof typeof CACHE_VARIABLES): string | null {
  const asked = env[CACHE_VARIABLES[cache]];
  if (asked === 'off') return null;
  if (asked) return asked;
  const home = env.HOME || homedir();
  const base = env.XDG_CACHE_HOME || (home ? join(home, '.cache') : null);
  return base ? join(base, 'lockspec', cache) : null;
}

/** Io on this process's streams. */
export function processIo(isTTY: boolean, width: number): Io {
  return {
    out: (s) => writeNow(1, s.endsWith('\n') ? s : s + '\n'),
    err: (s) => writeNow(2, s.endsWith('\n') ? s : s + '\n'),
    readFile: (path) => readFileSync(path, 'utf8'),
    writeFile: (path, text) => writeFileSync(path, text),
    isTTY,
    width,
    parseCacheDir: cacheDirectory(process.env, 'parse'),
  };
}

export const EXIT = { ok: 0, violation: 1, error: 2, incomplete: 3 } as const;
