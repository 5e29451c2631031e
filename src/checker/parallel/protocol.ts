// The messages between the parallel search's coordinating thread (explore.ts) and its worker
// threads (worker.ts). Rows travel as transferable Int32Arrays; a worker answers each batch with
// the successors of its rows, in order, and wakes the coordinator through a shared counter, since
// the coordinator runs synchronously and waits with Atomics.wait rather than an event loop.
import type { MessagePort } from 'node:worker_threads';
import type { Failure } from '../engine.js';

/** What a worker needs to build the same engine as the coordinator's. */
export interface WorkerSetup {
  file: string;
  design: string | null;
  consts: [string, string][];
  symmetry?: string[];
  port: MessagePort;
  /** Index 0 is incremented, and notified, after every message a worker posts. */
  signal: Int32Array;
}

/** A worker's first message: its value table's size once warmed, which must equal the coordinator's. */
export interface Ready {
  kind: 'ready';
  tableSize: number;
}

/** `count` rows of the frontier, from state `start` on. */
export interface Batch {
  start: number;
  count: number;
  rows: Int32Array;
}

export interface BatchResult {
  kind: 'result';
  start: number;
  /** Rows answered: all of the batch unless one stopped it (a failing step, a foreign value). */
  answered: number;
  /** Per answered row, its number of successors. */
  counts: Int32Array;
  /** The successor rows, one after another (only the first sum(counts) rows are meaningful). */
  rows: Int32Array;
  /** Per successor, its instance then its label. */
  steps: Int32Array;
  /** Successors that violate a property: [successor index, failure], in order. */
  failures: [number, Failure][];
  /** The last answered row's step failed after its counted successors. */
  stepFailure: { failure: Failure; instance: number; label: number } | null;
  /** The last answered row has a successor holding a value built at run time: its successors are not given. */
  foreign: boolean;
}

export interface WorkerError {
  kind: 'error';
  message: string;
}

export type FromWorker = Ready | BatchResult | WorkerError;
