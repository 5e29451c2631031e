// `check --format json` in-process through the built commands (dist/): a search with --workers
// starts its helper threads from the built worker script, which the sources under test/ lack, so
// the tests of the parallel search run the built commands without a CLI start-up per check.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { CheckArgs } from '../../../../src/cli/commands.js';
import { SYNC_START_ENV } from '../../../../src/checker/search/parallel/parallel-search.js';
import { memoryIo } from '../../../helpers.js';

/** The built module at `path` under dist/src/ (the parallel search's helper threads run the built worker script). */
export async function builtModule<T>(path: string): Promise<T> {
  return (await import(pathToFileURL(join(process.cwd(), 'dist/src', path)).href)) as T;
}

const built = await builtModule<typeof import('../../../../src/cli/commands.js')>('cli/commands.js');

/**
 * Each search with workers reserves shared buffers sized to half the machine's memory (untouched,
 * so it costs no memory); a process holding several such reservations that await collection can no
 * longer start a child (spawn fails with ENOMEM). So the buffers of each check are collected before
 * the next test runs, and after the last one, before the next test file in this jest worker.
 */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
afterAll(collectGarbage);

/** A check's options beside the file and the workers, as the command line takes them (`const`, `symmetry` as given there). */
export type CheckOptions = Partial<Omit<CheckArgs, 'file' | 'format' | 'workers'>>;

/**
 * `check FILE --workers N --format json` with the command line's defaults: the exit code and the
 * JSON report; `sync`: every helper joins every level (LOCKSPEC_WORKERS_SYNC_START).
 */
export function checkBuilt(file: string, options: CheckOptions, workers: number, sync = false): { code: number; report: any } {
  const io = memoryIo();
  if (sync) process.env[SYNC_START_ENV] = '1';
  try {
    const code = built.runCheck({ deadlock: true, engine: 'compiled', 'lock-order': true, ...options, file, workers, format: 'json' }, io, () => false);
    return { code, report: JSON.parse(io.outs.join('\n')) };
  } finally {
    delete process.env[SYNC_START_ENV];
    collectGarbage();
  }
}
