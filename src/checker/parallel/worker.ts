// A worker thread of the parallel search (explore.ts): loads the model the coordinator checks,
// builds the same compiled engine and warms it the same way, so that every value code means the
// same in both; then answers batches of rows with their successors, each checked against the
// properties. A successor holding a code the coordinator may not know (a value this thread
// interned while searching) is not sent: the batch stops there and says so.
import { workerData } from 'node:worker_threads';
import { StepFailure, type Failure } from '../engine.js';
import { CompiledEngine } from '../compiled/engine.js';
import { BASE } from '../compiled/valuetable.js';
import { evaluateConstant } from '../constant.js';
import { loadModel } from '../../lang/load.js';
import type { Batch, BatchResult, FromWorker, WorkerSetup } from './protocol.js';

/** Thrown from the successor callback at the first row with a foreign code. */
const FOREIGN = new Error('a value built at run time');

const setup = workerData as WorkerSetup;
const { port, signal } = setup;

function post(msg: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(msg, transfer);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

try {
  const loaded = loadModel(setup.file, { design: setup.design, consts: setup.consts, symmetry: setup.symmetry, evaluate: evaluateConstant });
  if (!loaded.program) throw new Error('the model no longer loads');
  const engine = new CompiledEngine(loaded.program);
  const access = engine.rowAccess();
  // The coordinator's order exactly: warm, then the initial states.
  access.warm();
  try {
    engine.initial(() => {});
  } catch (e) {
    if (!(e instanceof StepFailure)) throw e;
  }
  const limit = BASE + access.tableSize();
  const width = access.width;
  post({ kind: 'ready', tableSize: access.tableSize() });

  // Rows already checked and found to hold every property, direct-mapped by hash: most successors
  // are states seen before (interleavings meet), and checking is most of a worker's work. A row
  // is skipped only when it equals a cached one in full.
  const CACHE_BITS = 14;
  const cache = new Int32Array((1 << CACHE_BITS) * width);
  const cached = new Uint8Array(1 << CACHE_BITS);
  const checkOnce = (row: Int32Array): Failure | null => {
    let h = 0x811c9dc5;
    for (let k = 0; k < width; k++) h = Math.imul(h ^ row[k], 0x01000193);
    const slot = (h ^ (h >>> CACHE_BITS)) & ((1 << CACHE_BITS) - 1);
    const base = slot * width;
    if (cached[slot]) {
      let k = 0;
      while (k < width && cache[base + k] === row[k]) k++;
      if (k === width) return null;
    }
    const f = access.check(row);
    if (!f) {
      cache.set(row, base);
      cached[slot] = 1;
    }
    return f;
  };

  const answer = ({ start, count, rows }: Batch): void => {
    const counts = new Int32Array(count);
    let out = new Int32Array(Math.max(width, count * 4 * width));
    let steps = new Int32Array(count * 8);
    let n = 0;
    const failures: [number, Failure][] = [];
    let stepFailure: BatchResult['stepFailure'] = null;
    let foreign = false;
    let answered = 0;
    const src = new Int32Array(width);
    const emit = (row: Int32Array, instance: number, label: number): void => {
      for (let k = 0; k < width; k++) if (row[k] >= limit) foreign = true;
      if (foreign) throw FOREIGN;
      if ((n + 1) * width > out.length) {
        const bigger = new Int32Array(out.length * 2);
        bigger.set(out);
        out = bigger;
      }
      if (2 * n + 2 > steps.length) {
        const bigger = new Int32Array(steps.length * 2 + 2);
        bigger.set(steps);
        steps = bigger;
      }
      out.set(row, n * width);
      steps[2 * n] = instance;
      steps[2 * n + 1] = label;
      const f = checkOnce(row);
      if (f) failures.push([n, f]);
      n++;
    };
    for (let i = 0; i < count && !stepFailure && !foreign; i++) {
      src.set(rows.subarray(i * width, (i + 1) * width));
      const before = n;
      answered++;
      try {
        access.successors(src, emit);
      } catch (e) {
        if (e === FOREIGN) {
          n = before;
          while (failures.length && failures[failures.length - 1][0] >= before) failures.pop();
        } else if (e instanceof StepFailure) {
          stepFailure = { failure: e.failure, instance: e.instance, label: e.label };
        } else throw e;
      }
      counts[i] = n - before;
    }
    const msg: BatchResult = { kind: 'result', start, answered, counts, rows: out, steps, failures, stepFailure, foreign };
    post(msg, [counts.buffer as ArrayBuffer, out.buffer as ArrayBuffer, steps.buffer as ArrayBuffer]);
  };
  port.on('message', (batch: Batch) => {
    try {
      answer(batch);
    } catch (e) {
      post({ kind: 'error', message: (e as Error).stack ?? String(e) });
    }
  });
} catch (e) {
  post({ kind: 'error', message: (e as Error).stack ?? String(e) });
}
