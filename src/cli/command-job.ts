// A search command's job, run on the search's worker thread (command-worker.ts): check, compare
// or simulate, with the streams and the interrupt flag the main thread set up. The build bundles
// this file with the whole checker into one CommonJS file, which the worker loads through V8's
// code cache (code-cache.ts).
import { processIo, runCheck, runCompare, runSimulate } from './commands.js';

/** What the main thread sets up when it starts the worker, before it has read the arguments. */
export interface Setup {
  flag: Int32Array;
  isTTY: boolean;
  width: number;
}

/** The command and its arguments, sent once yargs has read them. */
export interface Job {
  command: 'check' | 'compare' | 'simulate';
  argv: never;
}

/** Runs `job`; its exit code. */
export function runJob(job: Job, setup: Setup): number {
  const io = processIo(setup.isTTY, setup.width);
  const interrupted = (): boolean => Atomics.load(setup.flag, 0) === 1;
  return job.command === 'check' ? runCheck(job.argv, io, interrupted) : job.command === 'compare' ? runCompare(job.argv, io, interrupted) : runSimulate(job.argv, io, interrupted);
}
