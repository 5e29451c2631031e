// `--workers N`: the breadth-first search of explore.ts with the successors computed by N worker
// threads (worker.ts). This thread keeps the one store, the ids and the parent links: it sends
// consecutive runs of states (batches) to the workers as soon as they are stored, and takes the
// answers in id order, storing each state's successors in the order its worker computed them —
// the order the single-threaded search stores them in. Ids, parents, counts and traces are
// therefore the same as with one thread, whatever the timing. Workers check every successor's
// properties, so this thread only stores. Value codes must mean the same in every thread: each
// thread warms its engine identically, and a successor holding a value a worker built at run time
// is never sent; at the first such state this thread goes on alone (the report says why).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { CompiledEngine, type RowAccess } from '../compiled/engine.js';
import { StepFailure, type Engine, type Failure } from '../engine.js';
import { defaultMemoryLimit, explore, limitReached, ParentLinks, rebuildTrace, type ExploreOptions, type ExploreResult, type Verdict } from '../explore.js';
import type { Batch, BatchResult, FromWorker, WorkerSetup } from './protocol.js';

export interface WorkersReport {
  requested: number;
  used: number;
  /** Why fewer workers than requested were used (null when all were). */
  fallbackReason: string | null;
}

/** What a worker needs to load the model the coordinator checks. */
export interface ModelSource {
  file: string;
  design: string | null;
  consts: [string, string][];
  symmetry?: string[];
}

/** Rows per batch: enough to make a message cheap next to its work, few enough to keep workers busy. */
const MAX_BATCH = 2048;
const MIN_BATCH = 64;
/** Batches a worker may have queued at once. */
const IN_FLIGHT = 2;

const WORKER_SCRIPT = new URL('./worker.js', import.meta.url);

export function exploreParallel(engine: Engine, opts: ExploreOptions, source: ModelSource, requested: number): { result: ExploreResult; workers: WorkersReport } {
  const alone = (reason: string): { result: ExploreResult; workers: WorkersReport } => ({
    result: explore(engine, opts),
    workers: { requested, used: 1, fallbackReason: reason },
  });
  if (!(engine instanceof CompiledEngine)) return alone('the reference engine runs on one thread');
  if (engine.frontierOnly) return alone('fingerprint mode runs on one thread');
  if (!existsSync(fileURLToPath(WORKER_SCRIPT))) return alone('the worker script is not built');
  const pool = new Pool(source, requested);
  try {
    return new ParallelSearch(engine, engine.rowAccess(), pool, opts, requested).run();
  } finally {
    pool.close();
  }
}

/** The worker threads and their ports, driven synchronously through a shared counter. */
class Pool {
  readonly ports: MessagePort[] = [];
  private readonly threads: Worker[] = [];
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  /** Answers received and not yet taken, per worker. */
  private readonly inbox: FromWorker[][] = [];

  constructor(source: ModelSource, n: number) {
    for (let i = 0; i < n; i++) {
      const { port1, port2 } = new MessageChannel();
      const setup: WorkerSetup = { ...source, port: port2, signal: this.signal };
      const thread = new Worker(WORKER_SCRIPT, { workerData: setup, transferList: [port2] });
      thread.unref();
      this.threads.push(thread);
      this.ports.push(port1);
      this.inbox.push([]);
    }
  }

  send(worker: number, batch: Batch): void {
    this.ports[worker].postMessage(batch, [batch.rows.buffer as ArrayBuffer]);
  }

  /** The next message from `worker`, waiting at most `ms` (null if none came). */
  take(worker: number, ms: number): FromWorker | null {
    const deadline = Date.now() + ms;
    for (;;) {
      const seen = Atomics.load(this.signal, 0);
      this.drain();
      const msg = this.inbox[worker].shift();
      if (msg) {
        if (msg.kind === 'error') throw new Error(`a search worker failed: ${msg.message}`);
        return msg;
      }
      const left = deadline - Date.now();
      if (left <= 0) return null;
      Atomics.wait(this.signal, 0, seen, left);
    }
  }

  private drain(): void {
    this.ports.forEach((port, i) => {
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) this.inbox[i].push(m.message as FromWorker);
    });
  }

  close(): void {
    for (const port of this.ports) port.close();
    for (const thread of this.threads) void thread.terminate();
  }
}

/** Thrown to leave a state's successors at the first failing state, as explore.ts does. */
const STOP = new Error('stop');

interface InFlight {
  start: number;
  count: number;
  worker: number;
  result: BatchResult | null;
  /** The successors in `result` before those of state start + `at` (summed as states are taken). */
  offset: number;
  at: number;
}

/** A worker's successors of one state: batch row `index`, successors from `offset` on. */
interface Answer {
  batch: BatchResult;
  index: number;
  offset: number;
}

class ParallelSearch {
  private readonly started = Date.now();
  private readonly executed: Uint8Array;
  private readonly parent = new ParentLinks();
  private readonly enabled: Uint8Array;
  private readonly row: Int32Array;
  private generated = 0;
  private failure: Failure | null = null;
  private failingStep: { instance: number; label: number } | null = null;
  private failedAt = -1;
  private limit: string | null = null;
  private finishedStates = 0;
  private current = -1;
  private anySuccessor = false;
  private fallbackReason: string | null = null;
  /** Batches sent and not yet taken, in id order; `sent` is the first state not sent. */
  private readonly flight: InFlight[] = [];
  private sent = 0;
  private readonly load: number[];
  private readonly memory = defaultMemoryLimit();

  constructor(
    private readonly engine: CompiledEngine,
    private readonly access: RowAccess,
    private readonly pool: Pool,
    private readonly opts: ExploreOptions,
    private readonly requested: number,
  ) {
    this.executed = new Uint8Array(engine.program.labels.length);
    this.enabled = new Uint8Array(engine.program.instances.length);
    this.row = new Int32Array(access.width);
    this.load = new Array<number>(requested).fill(0);
  }

  run(): { result: ExploreResult; workers: WorkersReport } {
    const { engine, opts } = this;
    // The order every worker follows too: warm, then the initial states; the table's size then is
    // the vocabulary all threads share.
    this.access.warm();
    const initial: [number, boolean][] = [];
    let initialFailure: StepFailure | null = null;
    try {
      engine.initial((id, isNew) => initial.push([id, isNew]));
    } catch (e) {
      if (!(e instanceof StepFailure)) throw e;
      initialFailure = e;
    }
    const shared = this.access.tableSize();
    // The initial states as explore.ts takes them: the first failing one stops the rest.
    let distinctInitial = 0;
    for (const [id, isNew] of initial) {
      this.generated++;
      if (!isNew) continue;
      distinctInitial++;
      this.parent.set(id, -1);
      this.failure = engine.checkState(id);
      if (this.failure) {
        this.failedAt = id;
        return this.finish(0, distinctInitial);
      }
    }
    if (initialFailure) {
      this.failure = initialFailure.failure;
      return this.finish(0, engine.size());
    }

    if (!this.workersReady(shared)) return this.finish(0, engine.size());
    let depth = 0;
    let levelEnd = 0;
    let lastProgress = this.started;
    const progressEvery = opts.progressEveryMs ?? 10_000;
    for (this.current = 0; !this.failure && this.current < engine.size(); this.current++) {
      const current = this.current;
      if (current === levelEnd) {
        depth++;
        levelEnd = engine.size();
        if (opts.maxDepth !== undefined && depth > opts.maxDepth) {
          this.limit = `max-depth ${opts.maxDepth}`;
          depth--;
          break;
        }
      }
      if ((current & 1023) === 0) {
        this.limit = this.stopForLimit((current & 8191) === 0);
        if (this.limit) break;
        if (opts.progress && Date.now() - lastProgress >= progressEvery) {
          lastProgress = Date.now();
          opts.progress({ distinct: engine.size(), generated: this.generated, depth, queue: engine.size() - current, elapsedMs: lastProgress - this.started });
        }
      }
      this.anySuccessor = false;
      if (opts.observer) this.enabled.fill(0);
      const answer = this.fallbackReason === null ? this.answerFor(current) : null;
      if (this.limit) break;
      try {
        if (answer) this.replay(answer);
        else engine.successors(current, (id, isNew, instance, label) => this.step(id, isNew, instance, label, isNew ? engine.checkState(id) : null));
        opts.observer?.expanded(current, this.enabled);
      } catch (e) {
        if (e === STOP) break;
        if (!(e instanceof StepFailure)) throw e;
        this.failure = e.failure;
        this.failingStep = { instance: e.instance, label: e.label };
        this.failedAt = current;
        break;
      }
      if (engine.allDone(current)) {
        this.generated++;
        this.finishedStates++;
      } else if (!this.anySuccessor && opts.deadlock && !this.failure) {
        this.failure = { kind: 'deadlock', property: 'Deadlock', message: 'no process can take a step and not every process has finished', span: null };
        this.failedAt = current;
      }
    }
    return this.finish(depth, engine.size());
  }

  /** Waits for every worker's first message; false (and the reason set) if they cannot share codes. */
  private workersReady(shared: number): boolean {
    for (let w = 0; w < this.requested; w++) {
      let msg: FromWorker | null = null;
      while (!msg) {
        msg = this.pool.take(w, 50);
        if (!msg && (this.limit = this.stopForLimit(false))) return false;
      }
      if (msg.kind !== 'ready' || msg.tableSize !== shared) {
        this.fallbackReason = "a worker's value table differs from this thread's";
        return true;
      }
    }
    return true;
  }

  /**
   * The worker's answer for state `id`, sending more batches first; null once this thread must
   * go on alone (the reason set), or when a limit stopped the wait (the limit set).
   */
  private answerFor(id: number): Answer | null {
    for (;;) {
      this.dispatch();
      const head = this.flight[0];
      if (!head) throw new Error('parallel search: no batch holds the state to expand');
      if (id >= head.start + head.count) {
        this.flight.shift();
        this.load[head.worker]--;
        continue;
      }
      if (!head.result) {
        const msg = this.pool.take(head.worker, 50);
        if (msg?.kind === 'result') head.result = msg;
        else if (!msg && (this.limit = this.stopForLimit(false))) return null;
        continue;
      }
      const r = head.result;
      const index = id - head.start;
      if (r.foreign && index === r.answered - 1) {
        this.fallbackReason = 'this model builds values at run time';
        return null;
      }
      while (head.at < index) head.offset += r.counts[head.at++];
      return { batch: r, index, offset: head.offset };
    }
  }

  /** Sends batches of stored, unsent states to workers with room, largest first when many wait. */
  private dispatch(): void {
    const size = this.engine.size();
    const width = this.access.width;
    for (;;) {
      const waiting = size - this.sent;
      if (waiting <= 0) return;
      if (waiting < MIN_BATCH && this.flight.length > 0) return;
      let worker = 0;
      for (let w = 1; w < this.requested; w++) if (this.load[w] < this.load[worker]) worker = w;
      if (this.load[worker] >= IN_FLIGHT) return;
      const count = Math.min(waiting, MAX_BATCH, Math.max(MIN_BATCH, Math.ceil(waiting / this.requested)));
      const rows = new Int32Array(count * width);
      for (let i = 0; i < count; i++) {
        this.access.read(this.sent + i, this.row);
        rows.set(this.row, i * width);
      }
      this.pool.send(worker, { start: this.sent, count, rows });
      this.flight.push({ start: this.sent, count, worker, result: null, offset: 0, at: 0 });
      this.load[worker]++;
      this.sent += count;
    }
  }

  /** Stores the successors a worker computed for state `current`, as explore.ts's sink would. */
  private replay({ batch, index, offset }: Answer): void {
    const width = this.access.width;
    const { rows, steps, failures } = batch;
    const row = this.row;
    const n = batch.counts[index];
    let f = 0;
    while (f < failures.length && failures[f][0] < offset) f++;
    for (let j = offset; j < offset + n; j++) {
      const base = j * width;
      for (let k = 0; k < width; k++) row[k] = rows[base + k];
      const stored = this.access.insert(row);
      const isNew = stored >= 0;
      const failure = f < failures.length && failures[f][0] === j ? failures[f++][1] : null;
      this.step(isNew ? stored : ~stored, isNew, steps[2 * j], steps[2 * j + 1], isNew ? failure : null);
    }
    if (batch.stepFailure && index === batch.answered - 1) {
      const { failure, instance, label } = batch.stepFailure;
      throw new StepFailure(failure, instance, label);
    }
  }

  /** explore.ts's sink: one successor of `current`, with the failure of its properties if it is new. */
  private step(id: number, isNew: boolean, instance: number, label: number, failure: Failure | null): void {
    this.generated++;
    this.executed[label] = 1;
    this.anySuccessor = true;
    if (this.opts.observer) {
      this.enabled[instance] = 1;
      this.opts.observer.edge(this.current, id, instance, label);
    }
    if (!isNew) return;
    this.parent.set(id, this.current);
    if (failure && !this.failure) {
      this.failure = failure;
      this.failedAt = id;
      throw STOP;
    }
  }

  private stopForLimit(readMemory: boolean): string | null {
    return limitReached(this.opts, this.engine.size(), this.started, this.memory, readMemory);
  }

  private finish(depth: number, distinct: number): { result: ExploreResult; workers: WorkersReport } {
    const { failure, engine } = this;
    // A last progress line with the final figures, as explore.ts prints one.
    this.opts.progress?.({ distinct, generated: this.generated, depth, queue: Math.max(0, distinct - this.current - 1), elapsedMs: Date.now() - this.started });
    const trace = !failure ? null : this.failedAt < 0 ? [] : rebuildTrace(engine, this.failedAt, this.parent);
    if (failure && trace) depth = Math.max(depth, trace.length);
    const verdict: Verdict = failure ? (failure.kind === 'deadlock' ? 'deadlock' : 'violation') : this.limit ? 'incomplete' : 'ok';
    return {
      result: {
        verdict,
        failure,
        failingStep: this.failingStep,
        limit: failure ? null : this.limit,
        distinct,
        generated: this.generated,
        depth,
        elapsedMs: Date.now() - this.started,
        trace,
        executed: this.executed,
        finishedStates: this.finishedStates,
        traceBytes: this.parent.bytes(),
      },
      workers: { requested: this.requested, used: this.fallbackReason ? 1 : this.requested, fallbackReason: this.fallbackReason },
    };
  }
}
