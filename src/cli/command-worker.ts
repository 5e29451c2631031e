// Runs a long command (check, compare, simulate) on a worker thread, so that the main thread stays
// free to hear Ctrl-C while the search runs synchronously here: the main thread raises a flag in
// shared memory and the search stops at its next poll with the figures so far (exit code 3).
import { parentPort, workerData } from 'node:worker_threads';
import { processIo, runCheck, runCompare, runSimulate } from './commands.js';

/** What the main thread sets up when it starts the worker, before it has read the arguments. */
interface Setup {
  flag: Int32Array;
  isTTY: boolean;
  width: number;
}

/** The command and its arguments, sent once yargs has read them. */
interface Job {
  command: 'check' | 'compare' | 'simulate';
  argv: never;
}

const setup = workerData as Setup;
const io = processIo(setup.isTTY, setup.width);
const interrupted = (): boolean => Atomics.load(setup.flag, 0) === 1;
parentPort!.once('message', (job: Job) => {
  const code =
    job.command === 'check' ? runCheck(job.argv, io, interrupted) : job.command === 'compare' ? runCompare(job.argv, io, interrupted) : runSimulate(job.argv, io, interrupted);
  parentPort!.postMessage(code);
});
