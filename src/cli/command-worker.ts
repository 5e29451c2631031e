// Runs a long command (check, compare, simulate) on a worker thread, so that the main thread stays
// free to hear Ctrl-C while the search runs synchronously here: the main thread raises a flag in
// shared memory and the search stops at its next poll with the figures so far (exit code 3).
import { parentPort, workerData } from 'node:worker_threads';
import { processIo, runCheck, runCompare, runSimulate } from './commands.js';

interface Job {
  command: 'check' | 'compare' | 'simulate';
  argv: never;
  flag: Int32Array;
  isTTY: boolean;
  width: number;
}

const job = workerData as Job;
const io = processIo(job.isTTY, job.width);
const interrupted = (): boolean => Atomics.load(job.flag, 0) === 1;
const code =
  job.command === 'check' ? runCheck(job.argv, io, interrupted) : job.command === 'compare' ? runCompare(job.argv, io, interrupted) : runSimulate(job.argv, io, interrupted);
parentPort!.postMessage(code);
