// A helper thread of the parallel search (explore.ts): takes the program the coordinator checks
// (transfer.ts), builds the same compiled engine and warms it the same way, so that the codes below the shared
// limit mean the same in both (codes.ts); then joins each level as it opens, expands its share
// (search.ts), and hands over its edge log when told to quit.
import { workerData } from 'node:worker_threads';
import { CompiledEngine } from '../../engine/compiled/compiled-engine.js';
import { BASE } from '../../engine/compiled/valuetable.js';
import { StepFailure } from '../../engine/contract.js';
import { CodeMap } from './codes.js';
import type { FromHelper, HelperSetup } from './protocol.js';
import { SearchThread } from './level-expansion.js';
import { decodeProgram } from './transfer.js';
import { ACTIVE, GEN, JOINED, OPEN, POSTED, QUIT, SHARED_SIZE, SharedSpace, STOP } from './shared.js';

const setup = workerData as HelperSetup;
const space = new SharedSpace(setup.space);
const header = space.header;

function post(msg: FromHelper, transfer: ArrayBuffer[] = []): void {
  setup.port.postMessage(msg, transfer);
  Atomics.add(header, POSTED, 1);
  Atomics.notify(header, POSTED);
}

/** The search thread, once the model is loaded and its codes agree with the coordinator's. */
function prepare(): SearchThread | null {
  const engine = new CompiledEngine(decodeProgram(setup.program));
  // The coordinator's order exactly: warm, then the initial states.
  engine.warm();
  try {
    engine.initial(() => {});
  } catch (e) {
    if (!(e instanceof StepFailure)) throw e;
  }
  // The coordinator publishes its table's size before it opens the first level.
  while (Atomics.load(header, GEN) === 0) Atomics.wait(header, GEN, 0);
  if (Atomics.load(header, QUIT) !== 0) return null;
  if (engine.table.size !== header[SHARED_SIZE]) {
    post({ kind: 'mismatch' });
    return null;
  }
  const codes = new CodeMap(setup.values, engine.table, BASE + engine.table.size);
  engine.orderCodes((c) => codes.global(c));
  space.useCodes(codes);
  return new SearchThread(space, engine, setup.thread, setup.deadlock, setup.logEdges);
}

/** Joins each level while it is open, until the coordinator says to quit. */
function serve(thread: SearchThread): void {
  for (let done = 0; ; ) {
    const gen = Atomics.load(header, GEN);
    if (Atomics.load(header, QUIT) !== 0) break;
    if (gen === done || Atomics.load(header, OPEN) === 0) {
      Atomics.wait(header, GEN, gen);
      continue;
    }
    // Join, unless the level closed meanwhile (the coordinator closes it before counting ACTIVE).
    space.unpark();
    Atomics.add(header, ACTIVE, 1);
    if (Atomics.load(header, OPEN) !== 0 && Atomics.load(header, GEN) === gen) {
      Atomics.store(header, JOINED + setup.thread, gen);
      Atomics.notify(header, ACTIVE);
      try {
        thread.runLevel();
      } catch (e) {
        post({ kind: 'error', message: (e as Error).stack ?? String(e) });
        Atomics.store(header, STOP, 1);
      }
      if (thread.failures.length > 0) {
        post({ kind: 'failures', records: thread.failures });
        thread.failures = [];
      }
      done = gen;
    }
    space.park();
    Atomics.sub(header, ACTIVE, 1);
    Atomics.notify(header, ACTIVE);
  }
  const log = thread.log?.data ?? new Int32Array(0);
  post({ kind: 'log', log, length: thread.log?.length ?? 0 }, [log.buffer as ArrayBuffer]);
}

try {
  const thread = prepare();
  if (thread) serve(thread);
} catch (e) {
  post({ kind: 'error', message: (e as Error).stack ?? String(e) });
}
