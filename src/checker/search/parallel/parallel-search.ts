// `--workers N`: the breadth-first search of ../explore.ts on N threads sharing one store and one
// hash table (shared.ts). This thread computes the initial states, then runs the search level by
// level together with N-1 helper threads (worker.ts): each thread claims runs of the level's
// states, expands them and inserts the successors itself (search.ts). Between levels, with every
// helper waiting, this thread sorts the new level by the key each state was first reached with
// (its parent's rank, its place among that parent's successors): the order one thread stores
// states in. So ids, counts, depth and traces are those of one thread, whatever the timing; when a
// level holds failures, the one a single thread meets first is reported, with the figures a
// single thread has at that moment. Per-label coverage is one thread's too: each thread counts
// the steps it takes per label in a level, added up when the level is done (a level a failure
// stopped is counted again up to the failure, as one thread stops there), and each new state is
// credited to the label of the step its key names, the step one thread reaches it by first.
// Helpers get the lowered program (transfer.ts); value codes are shared through codes.ts, and rows
// are bit-packed in shared dictionaries (packing.ts).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { CompiledEngine } from '../../engine/compiled/compiled-engine.js';
import type { RowStore } from '../../engine/compiled/store.js';
import { BASE } from '../../engine/compiled/valuetable.js';
import { StepFailure, type Engine, type Failure } from '../../engine/contract.js';
import { explore, rebuildTrace, type ExploreOptions } from '../breadth-first.js';
import { defaultMemoryLimit, INTERRUPTED_TEXT, limitReached, maxDepthText, memoryLimitText, memoryReadClock, searchEnd, stutteringSteps, type ExploreResult, type LabelCounts } from '../results.js';
import { allocateValueBuffers, CodeMap, valueBytes, type SharedValueBuffers } from './codes.js';
import type { FromHelper, HelperSetup } from './protocol.js';
import { encodeProgram } from './transfer.js';
import { SearchThread, type FailureRecord } from './level-expansion.js';
import {
  ACTIVE,
  allocateSpace,
  bytesPerState,
  CHUNK,
  CURSOR,
  CUTOFF,
  DICTIONARY_ROOM,
  FINISHED,
  FULL,
  GEN,
  HOLE,
  JOINED,
  LEVEL_SIZE,
  LEVEL_START,
  MAX_THREADS,
  NEXT_BASE,
  OPEN,
  POSTED,
  QUIT,
  SHARED_SIZE,
  SharedSpace,
  STOP,
  STORE_ROOM,
  takenStride,
} from './shared.js';
import { SLOT_VALUES_TEXT } from './packing.js';

export interface WorkersReport {
  requested: number;
  used: number;
  /**
   * Threads that expanded states: a helper joins once it has loaded the model (about 0.2 s), so
   * a search that ends sooner is done by fewer.
   */
  joined: number;
  /** Why fewer workers than requested were used (null when all were). */
  fallbackReason: string | null;
}

/**
 * Set (to anything) to start each level only once every helper has joined it: tests use it so
 * that all threads share even the smallest levels.
 */
export const SYNC_START_ENV = 'LOCKSPEC_WORKERS_SYNC_START';

const HELPER_SCRIPT = new URL('./search-worker.js', import.meta.url);
/** Most states a shared store is reserved for (ids and table entries are int32). */
const MAX_CAPACITY = 1 << 29;
/** Ends the count of a state's steps once the steps one thread takes from it are counted. */
const COUNTED = new Error('counted');

export function exploreParallel(engine: Engine, opts: ExploreOptions, requested: number): { result: ExploreResult; workers: WorkersReport } {
  const alone = (reason: string): { result: ExploreResult; workers: WorkersReport } => ({
    result: explore(engine, opts),
    workers: { requested, used: 1, joined: 1, fallbackReason: reason },
  });
  if (!(engine instanceof CompiledEngine)) return alone('the reference engine runs on one thread');
  if (engine.frontierOnly) return alone('fingerprint mode runs on one thread');
  if (requested > MAX_THREADS) return alone(`at most ${MAX_THREADS} workers`);
  if (!existsSync(fileURLToPath(HELPER_SCRIPT))) return alone('the worker script is not built');
  return new ParallelSearch(engine, opts, requested).run();
}

/** A level's first position in canonical order and its size. */
interface Level {
  start: number;
  size: number;
}

class ParallelSearch {
  private readonly started = Date.now();
  private readonly memory = defaultMemoryLimit();
  private readonly helpers: { thread: Worker; port: MessagePort }[] = [];
  private space!: SharedSpace;
  private values!: SharedValueBuffers;
  private limit: string | null = null;
  private readonly memoryDue = memoryReadClock();
  private lastProgress = Date.now();
  private depth = 0;
  private readonly levels: Level[] = [];
  private helperError: string | null = null;
  private readonly records: FailureRecord[] = [];
  private readonly logs: { log: Int32Array; length: number }[] = [];
  private readonly syncStart = !!process.env[SYNC_START_ENV];
  /** Successors generated and finished states expanded in the levels done. */
  private generatedBefore = 0;
  private finishedBefore = 0;
  /** The level whose expansions are in SpaceBuffers.expanded and not yet counted above. */
  private expanding: Level | null = null;
  /** Helpers whose value table differed from this thread's: they sat the search out. */
  private satOut = 0;
  /** Per label, steps taken and new states found in the levels counted so far. */
  private readonly coverage: LabelCounts;

  constructor(
    private readonly engine: CompiledEngine,
    private readonly opts: ExploreOptions,
    private readonly requested: number,
  ) {
    const labels = engine.program.labels.length;
    this.coverage = { taken: new Float64Array(labels), newStates: new Float64Array(labels) };
  }

  run(): { result: ExploreResult; workers: WorkersReport } {
    const engine = this.engine;
    this.allocate();
    try {
      // Helpers build their engines while this thread warms up and computes the initial states;
      // they join the search as they become ready.
      this.startHelpers();
      // The order every helper follows too: warm, then the initial states; the table's size then
      // is the vocabulary all threads share.
      engine.warm();
      const initial: [number, boolean][] = [];
      let initialFailure: StepFailure | null = null;
      try {
        engine.initial((id, isNew) => initial.push([id, isNew]));
      } catch (e) {
        if (!(e instanceof StepFailure)) throw e;
        initialFailure = e;
      }
      const shared = engine.table.size;
      // The initial states as explore.ts takes them: the first failing one stops the rest.
      let distinct = 0;
      for (let i = 0; i < initial.length; i++) {
        const [id, isNew] = initial[i];
        if (!isNew) continue;
        distinct++;
        const failure = engine.checkState(id);
        if (failure) return this.resultBeforeLevels(failure, id, distinct, i + 1);
      }
      if (initialFailure) return this.resultBeforeLevels(initialFailure.failure, -1, distinct, initial.length);
      this.space.header[SHARED_SIZE] = shared;
      const codes = new CodeMap(this.values, engine.table, BASE + shared);
      engine.orderCodes((c) => codes.global(c));
      this.space.useCodes(codes);
      this.storeInitial();
      // The first progress line, once the initial states are stored (as the one-thread search).
      this.opts.progress?.({ distinct, generated: initial.length, depth: 0, queue: distinct, elapsedMs: Date.now() - this.started });
      return this.search(initial.length);
    } finally {
      this.stopHelpers();
    }
  }

  private allocate(): void {
    const width = this.engine.width;
    const budget = this.opts.maxMemoryBytes ?? this.memory.totalBytes;
    const capacity = Math.max(1 << 16, Math.min(MAX_CAPACITY, Math.floor(budget / bytesPerState(width))));
    const labels = this.engine.program.labels.length;
    const buffers = allocateSpace(this.requested, width, capacity, labels);
    this.space = new SharedSpace(buffers);
    this.values = allocateValueBuffers();
  }

  private startHelpers(): void {
    const program = encodeProgram(this.engine.program);
    for (let t = 1; t < this.requested; t++) {
      const { port1, port2 } = new MessageChannel();
      const setup: HelperSetup = { program, space: this.space.buffers, values: this.values, thread: t, deadlock: this.opts.deadlock, logEdges: this.logEdges(), port: port2 };
      const thread = new Worker(HELPER_SCRIPT, { workerData: setup, transferList: [port2] });
      thread.unref();
      this.helpers.push({ thread, port: port1 });
    }
  }

  /** What each thread logs for the observer: nothing, the edges of the steps it reads, or every edge. */
  private logEdges(): boolean | number[] {
    return !this.opts.observer ? false : (this.opts.observedGlobals ?? true);
  }

  /** Tells the helpers to quit (each that joined sends its edge log first). */
  private quit(): void {
    const h = this.space.header;
    Atomics.store(h, QUIT, 1);
    Atomics.add(h, GEN, 1);
    Atomics.notify(h, GEN);
  }

  private stopHelpers(): void {
    this.quit();
    for (const { thread, port } of this.helpers) {
      port.close();
      void thread.terminate();
    }
  }

  /** The initial states (in this thread's own store so far) into the shared store, ids kept. */
  private storeInitial(): void {
    const { space, engine } = this;
    const n = engine.size();
    const row = new Int32Array(engine.width);
    for (let id = 0; id < n; id++) {
      engine.readRow(id, row);
      space.insert(row, -1, id, -1);
      space.order[id] = id;
      space.position[id] = id;
    }
    space.releaseIds();
    this.levels.push({ start: 0, size: n });
  }

  private search(initialGenerated: number): { result: ExploreResult; workers: WorkersReport } {
    const { space, opts } = this;
    const h = space.header;
    const thread = new SearchThread(space, this.engine, 0, opts.deadlock, this.logEdges());
    const poll = (): void => this.poll();
    let failure: ReturnType<ParallelSearch['resolve']> | null = null;
    for (;;) {
      const level = this.levels[this.levels.length - 1];
      this.depth++;
      if (opts.maxDepth !== undefined && this.depth > opts.maxDepth) {
        this.limit = maxDepthText(opts.maxDepth);
        this.depth--;
        break;
      }
      const nextBase = space.count();
      space.expanded.fill(0, 0, level.size);
      this.expanding = level;
      h[LEVEL_START] = level.start;
      h[LEVEL_SIZE] = level.size;
      h[NEXT_BASE] = nextBase;
      h[CURSOR] = 0;
      h[CHUNK] = Math.min(1024, Math.max(1, Math.ceil(level.size / (this.requested * 32))));
      h[CUTOFF] = 0x7fffffff;
      Atomics.store(h, OPEN, 1);
      Atomics.add(h, GEN, 1);
      Atomics.notify(h, GEN);
      if (this.syncStart) this.awaitJoined();
      thread.runLevel(poll);
      // Close the level and wait for the helpers in it, parked: one may still grow the table.
      Atomics.store(h, OPEN, 0);
      space.park();
      for (let n = Atomics.load(h, ACTIVE); n !== 0; n = Atomics.load(h, ACTIVE)) {
        Atomics.wait(h, ACTIVE, n, 50);
        this.poll();
      }
      space.unpark();
      this.drain();
      if (this.helperError) throw new Error(`a search worker failed: ${this.helperError}`);
      this.records.push(...thread.failures);
      thread.failures = [];
      if (this.records.length > 0) {
        this.levels.push(this.sortLevel(level, nextBase, space.count()));
        failure = this.resolve(level);
        break;
      }
      const full = Atomics.load(h, FULL);
      if (full === STORE_ROOM) this.limit ??= memoryLimitText(this.opts.maxMemoryBytes ?? this.memory.totalBytes);
      if (full === DICTIONARY_ROOM) this.limit ??= SLOT_VALUES_TEXT;
      if (Atomics.load(h, STOP) !== 0 || this.limit) {
        this.limit ??= this.limitNow() ?? INTERRUPTED_TEXT;
        this.addTaken();
        // The states stored so far of the next level get their ids too: the reports read them.
        const partial = this.sortLevel(level, nextBase, space.count());
        this.creditNew(partial.start, partial.start + partial.size);
        if (partial.size > 0) this.levels.push(partial);
        break;
      }
      const [generated, finished] = this.tally(level.size);
      this.generatedBefore += generated;
      this.finishedBefore += finished;
      this.expanding = null;
      this.addTaken();
      const next = this.sortLevel(level, nextBase, space.count());
      this.creditNew(next.start, next.start + next.size);
      if (next.size === 0) break;
      this.levels.push(next);
    }
    // The logs come last, once the helpers have quit.
    this.quit();
    this.collectLogs();
    if (thread.log) this.logs.push({ log: thread.log.data, length: thread.log.length });
    return this.finish(failure, initialGenerated);
  }

  /**
   * The level reached from `level`, stored at ids [from, to), in canonical order: a counting sort
   * by parent rank, then by successor index.
   */
  private sortLevel(level: Level, from: number, to: number): Level {
    const space = this.space;
    const { order, position, parentRank } = space;
    const start = level.start + level.size;
    const firstOf = new Int32Array(level.size + 1);
    let size = 0;
    for (let id = from; id < to; id++) {
      if (parentRank[id] === HOLE) continue;
      firstOf[parentRank[id] + 1]++;
      size++;
    }
    for (let r = 0; r < level.size; r++) firstOf[r + 1] += firstOf[r];
    for (let id = from; id < to; id++) if (parentRank[id] !== HOLE) order[start + firstOf[parentRank[id]]++] = id;
    // Within one parent, by successor index: nearly sorted already (one thread stored them in order).
    const end = start + size;
    for (let p = start + 1; p < end; p++) {
      const id = order[p];
      let q = p - 1;
      while (q >= start && parentRank[order[q]] === parentRank[id] && space.successorIndexOf(order[q]) > space.successorIndexOf(id)) {
        order[q + 1] = order[q];
        q--;
      }
      order[q + 1] = id;
    }
    for (let p = start; p < end; p++) position[order[p]] = p;
    return { start, size };
  }

  /**
   * The failure a single thread meets first in `level`, and that thread's figures then: the
   * states it has stored, the position of the state it stops at (expanded ones are before it),
   * and the successors it has generated from that state.
   */
  private resolve(level: Level): {
    failure: Failure;
    failingStep: { instance: number; label: number } | null;
    failedAt: number;
    distinct: number;
    stoppedAt: number;
    expandedEnd: number;
    partial: number;
  } {
    const space = this.space;
    const { parentRank, position } = space;
    const keyOf = (f: FailureRecord): [number, number] => (f.kind === 'state' ? [parentRank[f.at], space.successorIndexOf(f.at)] : [f.at, f.index]);
    let first = this.records[0];
    for (const f of this.records) {
      const [r, i] = keyOf(f);
      const [fr, fi] = keyOf(first);
      if (r < fr || (r === fr && i < fi)) first = f;
    }
    const [rank, index] = keyOf(first);
    const next = this.levels[this.levels.length - 1];
    // States of the next level stored before the failure: those reached by a smaller key (the order is sorted by key).
    let stored = next.start;
    while (stored < next.start + next.size) {
      const id = this.space.order[stored];
      const r = parentRank[id];
      if (r > rank || (r === rank && space.successorIndexOf(id) > index)) break;
      if (r === rank && space.successorIndexOf(id) === index && first.kind !== 'state') break;
      stored++;
    }
    return {
      failure: first.failure,
      failingStep: first.step,
      failedAt: first.kind === 'state' ? position[first.at] : level.start + rank,
      distinct: stored,
      stoppedAt: level.start + rank,
      // A deadlocked state was expanded (it has no successors); a state left at a failure was not.
      expandedEnd: level.start + rank + (first.kind === 'deadlock' ? 1 : 0),
      partial: first.kind === 'state' ? index + 1 : first.kind === 'step' ? index : 0,
    };
  }

  private finish(failed: ReturnType<ParallelSearch['resolve']> | null, initialGenerated: number): { result: ExploreResult; workers: WorkersReport } {
    const { space, engine, opts } = this;
    const last = this.levels[this.levels.length - 1];
    const distinct = failed ? failed.distinct : last.start + last.size;
    // Expanded states in canonical order: all before the failing one, those of the level a limit
    // stopped and before, or every one stored.
    const expandedLevel = this.expanding ?? last;
    const expandedEnd = failed ? failed.stoppedAt : expandedLevel.start + expandedLevel.size;
    let generated = initialGenerated + this.generatedBefore;
    let finishedStates = this.finishedBefore;
    if (this.expanding) {
      const [g, f] = this.tally(failed ? failed.stoppedAt - this.expanding.start : this.expanding.size);
      generated += g;
      finishedStates += f;
    }
    if (failed && this.expanding) {
      generated += this.countTakenUpTo(this.expanding, failed.stoppedAt - this.expanding.start, failed.partial);
      this.creditNew(last.start, failed.distinct);
    }
    // The per-level columns (successor index and label, expansion) hold the widest level at most.
    const levelColumns = 12 * this.levels.reduce((widest, l) => Math.max(widest, l.size), space.count() - (last.start + last.size));
    engine.adoptStore(new SharedRowStore(space, distinct, valueBytes(this.values) + levelColumns));
    this.replayLogs(failed ? failed.expandedEnd : expandedEnd);
    opts.progress?.({ distinct, generated, depth: this.depth, queue: Math.max(0, distinct - expandedEnd), elapsedMs: Date.now() - this.started });
    const failure = failed?.failure ?? null;
    const trace = failed ? rebuildTrace(engine, failed.failedAt, (c) => this.parentOf(c)) : null;
    return {
      result: {
        ...searchEnd(failure, failed?.failingStep ?? null, this.limit, trace, this.depth),
        distinct,
        generated,
        elapsedMs: Date.now() - this.started,
        executed: Uint8Array.from(space.executed),
        coverage: this.coverage,
        finishedStates,
        traceBytes: 0,
        // Every stored state is in a level, sorted: its first parent is known as one thread's is.
        parentOf: (id: number) => this.parentOf(id),
      },
      workers: this.workersReport(),
    };
  }

  /** Adds the threads' steps taken per label in the level just expanded to the counts, and clears them for the next. */
  private addTaken(): void {
    const { taken } = this.space;
    const counts = this.coverage.taken;
    const stride = takenStride(counts.length);
    for (let t = 0; t < this.requested; t++) for (let l = 0; l < counts.length; l++) counts[l] += taken[t * stride + l];
    taken.fill(0);
  }

  /** Credits each state at canonical positions [from, to) of the level just built to the label of the step its key names. */
  private creditNew(from: number, to: number): void {
    for (let p = from; p < to; p++) this.coverage.newStates[this.space.successorLabelOf(this.space.order[p])]++;
  }

  /**
   * The steps taken per label in the level a failure stopped, as one thread takes them: from every
   * state before the failing one, and the failing one's first `partial` successors. The threads
   * went on past the failure, so these states are expanded again here. Returns the successors
   * TLC generates for the failing one's first `partial` (SuccessorSink's copies).
   */
  private countTakenUpTo(level: Level, rank: number, partial: number): number {
    const { space, engine } = this;
    const taken = this.coverage.taken;
    const row = new Int32Array(engine.width);
    let left = 0;
    let generated = 0;
    const count = (_row: Int32Array, _instance: number, label: number, copies: number): void => {
      if (left-- === 0) throw COUNTED;
      taken[label]++;
      generated += copies;
    };
    for (let r = 0; r <= rank; r++) {
      space.read(space.order[level.start + r], row);
      left = r < rank ? Infinity : partial;
      generated = 0;
      try {
        engine.expandRow(row, count);
      } catch (e) {
        // The failing state's own failing step, if the failure is one, ends its count as it ends the search.
        if (e !== COUNTED && !(r === rank && e instanceof StepFailure)) throw e;
      }
    }
    return generated;
  }

  /** Successors generated by the first `ranks` states of the level being expanded, and how many of them had finished. */
  private tally(ranks: number): [number, number] {
    const expanded = this.space.expanded;
    let generated = 0;
    let finished = 0;
    for (let r = 0; r < ranks; r++) {
      const e = expanded[r];
      const isFinished = (e & FINISHED) !== 0;
      generated += (e & ~FINISHED) + stutteringSteps(isFinished);
      if (isFinished) finished++;
    }
    return [generated, finished];
  }

  /** The canonical position of the parent of the state at position `c` (-1 for an initial state). */
  private parentOf(c: number): number {
    const levels = this.levels;
    let lo = 0;
    let hi = levels.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (levels[mid].start <= c) lo = mid;
      else hi = mid - 1;
    }
    return lo === 0 ? -1 : levels[lo - 1].start + this.space.parentRank[this.space.order[c]];
  }

  /** Between runs of states and while waiting: limits, and progress lines. */
  private poll(): void {
    const h = this.space.header;
    if (!this.limit && (this.limit = this.limitNow())) Atomics.store(h, STOP, 1);
    const { progress, progressEveryMs } = this.opts;
    if (progress && Date.now() - this.lastProgress >= (progressEveryMs ?? 10_000)) {
      this.lastProgress = Date.now();
      const level = this.levels[this.levels.length - 1];
      const generated = this.sumStats(0);
      progress({ distinct: this.sumStats(1), generated, depth: this.depth, queue: Math.max(0, level.size - Atomics.load(h, CURSOR)), elapsedMs: this.lastProgress - this.started });
    }
  }

  private limitNow(): string | null {
    return limitReached(this.opts, this.sumStats(1), this.started, this.memory, this.memoryDue());
  }

  /** Figure `k` of SpaceBuffers.stats, summed over the threads. */
  private sumStats(k: number): number {
    let sum = 0;
    for (let t = 0; t < this.requested; t++) sum += this.space.stats[2 * t + k];
    return sum;
  }

  /** Takes every message the helpers have posted. */
  private drain(): void {
    for (const { port } of this.helpers) {
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
        const msg = m.message as FromHelper;
        if (msg.kind === 'error') this.helperError ??= msg.message;
        else if (msg.kind === 'mismatch') this.satOut++;
        else if (msg.kind === 'failures') this.records.push(...msg.records);
        else this.logs.push({ log: msg.log, length: msg.length });
      }
    }
  }

  /** Waits for the edge log of every helper that joined the search (each sends it as it quits). */
  private collectLogs(): void {
    const h = this.space.header;
    let joined = 0;
    for (let t = 1; t < this.requested; t++) joined += h[JOINED + t] > 0 ? 1 : 0;
    for (;;) {
      const posted = Atomics.load(h, POSTED);
      this.drain();
      if (this.helperError) throw new Error(`a search worker failed: ${this.helperError}`);
      if (this.logs.length >= joined) return;
      Atomics.wait(h, POSTED, posted, 50);
    }
  }

  /** The observer's edges and expansions, for the states expanded before position `end`, in canonical ids. */
  private replayLogs(end: number): void {
    const observer = this.opts.observer;
    if (!observer) return;
    const { position } = this.space;
    const enabled = new Uint8Array(this.engine.program.instances.length);
    for (const { log, length } of this.logs) {
      for (let at = 0; at < length; ) {
        const from = position[log[at]];
        const edges = log[at + 1];
        at += 2;
        const expanded = from < end;
        enabled.fill(0);
        for (let e = 0; e < edges; e++, at += 3) {
          if (!expanded) continue;
          enabled[log[at + 1]] = 1;
          observer.edge(from, position[log[at]], log[at + 1], log[at + 2]);
        }
        if (expanded) observer.expanded(from, enabled);
      }
    }
  }

  /** A result decided by the initial states alone, as explore.ts gives it. */
  private resultBeforeLevels(failure: Failure, failedAt: number, distinct: number, generated: number): { result: ExploreResult; workers: WorkersReport } {
    const trace = failedAt < 0 ? [] : rebuildTrace(this.engine, failedAt, () => -1);
    return {
      result: {
        ...searchEnd(failure, null, null, trace, 0),
        distinct,
        generated,
        elapsedMs: Date.now() - this.started,
        executed: new Uint8Array(this.engine.program.labels.length),
        coverage: this.coverage,
        finishedStates: 0,
        traceBytes: 0,
      },
      workers: this.workersReport(),
    };
  }

  private workersReport(): WorkersReport {
    let joined = 1;
    for (let t = 1; t < this.requested; t++) joined += this.space.header[JOINED + t] > 0 ? 1 : 0;
    return {
      requested: this.requested,
      used: this.requested - this.satOut,
      joined,
      fallbackReason: this.satOut > 0 ? "a worker's value table differs from this thread's" : null,
    };
  }

  /** Waits until every helper has joined the level just opened (SYNC_START_ENV). */
  private awaitJoined(): void {
    const h = this.space.header;
    const gen = Atomics.load(h, GEN);
    const joinedThis = (): number => this.helpers.reduce((n, _, i) => n + (Atomics.load(h, JOINED + i + 1) === gen ? 1 : 0), 0);
    for (let n = Atomics.load(h, ACTIVE); joinedThis() < this.helpers.length - this.satOut && !this.limit; n = Atomics.load(h, ACTIVE)) {
      Atomics.wait(h, ACTIVE, n, 50);
      this.drain();
      if (this.helperError) throw new Error(`a search worker failed: ${this.helperError}`);
      this.limit = this.limitNow();
    }
  }
}

/**
 * The shared store seen through canonical ids, once the search has ended: the engine's store from
 * then on (traces, lock statistics, reports). Looking a row up never stores it.
 */
class SharedRowStore implements RowStore {
  wasNew = false;

  constructor(
    private readonly space: SharedSpace,
    private readonly distinct: number,
    /** Bytes held besides the store's own: the value dictionary, the per-level columns. */
    private readonly otherBytes: number,
  ) {}

  insert(row: Int32Array): number {
    const id = this.space.find(row);
    return id < 0 ? -1 : this.space.position[id];
  }

  read(id: number, out: Int32Array): void {
    this.space.read(this.space.order[id], out);
  }

  slot(id: number, k: number): number {
    return this.space.slot(this.space.order[id], k);
  }

  size(): number {
    return this.distinct;
  }

  bytes(): number {
    return this.space.bytes() + this.otherBytes;
  }
}
