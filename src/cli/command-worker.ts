// Runs a long command (check, compare, simulate) on a worker thread, so that the main thread stays
// free to hear Ctrl-C while the search runs synchronously here: the main thread raises a flag in
// shared memory and the search stops at its next poll with the figures so far (exit code 3).
// The build bundles this file as CommonJS (a worker thread starts one sooner than an ES module,
// without node's module loader), and the job's code (command-job.ts and the whole checker) into
// one CommonJS file run through V8's code cache (code-cache.ts), which is kept after the job.
// After a `tsc` alone main.ts starts the compiled module instead, which imports the job's modules.
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { loadBundle } from './code-cache.js';
import type { Job, Setup } from './command-job.js';
import { cacheDirectory } from './io.js';

/** Run as the build's CommonJS bundle (which has `require`), the job's bundle; else null. */
const bundle = typeof require === 'function' ? loadBundle(fileURLToPath(new URL('./command-job.cjs', import.meta.url)), cacheDirectory(process.env, 'code')) : null;
const jobCode = (bundle ? Promise.resolve(bundle.exports) : import('./command-job.js')) as Promise<typeof import('./command-job.js')>;

parentPort!.once('message', (job: Job) => {
  void jobCode.then(({ runJob }) => {
    const code = runJob(job, workerData as Setup);
    bundle?.save();
    parentPort!.postMessage(code);
  });
});
