// What passes between the parallel search's coordinating thread (explore.ts) and its helper
// threads (worker.ts). The search itself runs in shared memory (shared.ts, codes.ts); messages
// carry only what is rare: the failures a helper found in a level, its edge log at the end, a
// value table that differs, and errors. After each message a helper bumps POSTED, since the coordinator runs synchronously and
// waits with Atomics.wait rather than an event loop.
import type { MessagePort } from 'node:worker_threads';
import type { SharedValueBuffers } from './codes.js';
import type { FailureRecord } from './level-expansion.js';
import type { SpaceBuffers } from './shared.js';

export interface HelperSetup {
  /** The program, as encodeProgram (transfer.ts) gives it. */
  program: unknown;
  space: SpaceBuffers;
  values: SharedValueBuffers;
  /** This helper's thread number (the coordinator is 0). */
  thread: number;
  deadlock: boolean;
  /** Whether the edges are logged for an observer: all, or those of the steps that may change these globals. */
  logEdges: boolean | number[];
  port: MessagePort;
}

export type FromHelper =
  | { kind: 'failures'; records: FailureRecord[] }
  | { kind: 'log'; log: Int32Array; length: number }
  /** The helper's value table differs from the coordinator's: it sits the search out. */
  | { kind: 'mismatch' }
  | { kind: 'error'; message: string };
