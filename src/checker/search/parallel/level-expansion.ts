// One thread's share of a level of the parallel search, the same code on the coordinating thread
// and on each helper: claim a run of the level's states (by canonical rank, from a shared cursor),
// expand each, store every successor in the shared table with the key (rank, successor index)
// that orders it (lowering the key of a state of the next level reached again), check each new
// state, and record failures with their keys. Once a failure is found at some rank, no state of a
// higher rank is expanded: the failure a single thread would report first is among those found.
import { StepFailure, type Failure } from '../../engine/contract.js';
import type { RowEngine } from '../../engine/compiled/row-engine.js';
import { deadlockFailure, isDeadlock, stutteringSteps } from '../results.js';
import { Column } from '../column.js';
import { CHUNK, CURSOR, CUTOFF, FINISHED, LEVEL_SIZE, LEVEL_START, NEXT_BASE, STOP, STORE_FULL, takenStride, type SharedSpace } from './shared.js';

/** A failure found in a level; `rank`/`index` order it as a single thread meets them. */
export interface FailureRecord {
  /** state: a new state violates a property (its key is read from the space once the level ends); step: a step failed; deadlock. */
  kind: 'state' | 'step' | 'deadlock';
  /** For `state`, the new state's id; otherwise the rank of the state being expanded. */
  at: number;
  /** For `step`, how many successors came before the failing step. */
  index: number;
  failure: Failure;
  step: { instance: number; label: number } | null;
}

/** Ends the expansion of a state once one of its successors fails. */
const LEAVE_STATE = new Error('leave state');

export class SearchThread {
  /** The state being expanded. */
  private readonly src: Int32Array;
  failures: FailureRecord[] = [];
  /** Edges for an observer, when asked: per expanded state its id, its edge count, then per edge the target id, instance and label. */
  readonly log: Column | null;
  /** The only steps whose edges are logged (null: every step). */
  private readonly logged: ((instance: number, label: number) => boolean) | null;
  private generated = 0;
  // The state being expanded.
  private rank = 0;
  private successors = 0;
  /** The successors TLC generates from the state being expanded (SuccessorSink's copies, summed). */
  private copies = 0;
  private nextBase = 0;
  /** Where this thread's row of SharedSpace.taken starts. */
  private readonly takenAt: number;

  constructor(
    private readonly space: SharedSpace,
    private readonly engine: RowEngine,
    private readonly thread: number,
    private readonly deadlock: boolean,
    logEdges: boolean | number[],
  ) {
    this.src = new Int32Array(space.width);
    this.log = logEdges !== false ? new Column() : null;
    this.logged = Array.isArray(logEdges) ? engine.mayChange(logEdges) : null;
    this.takenAt = thread * takenStride(space.executed.length);
  }

  /** Expands this thread's share of the current level; `poll` runs between runs of states. */
  runLevel(poll?: () => void): void {
    const h = this.space.header;
    const levelStart = h[LEVEL_START];
    const size = h[LEVEL_SIZE];
    const chunk = h[CHUNK];
    this.nextBase = h[NEXT_BASE];
    try {
      for (;;) {
        if (Atomics.load(h, STOP) !== 0) break;
        const first = Atomics.add(h, CURSOR, chunk);
        if (first >= size || first > Atomics.load(h, CUTOFF)) break;
        const end = Math.min(size, first + chunk);
        for (let r = first; r < end && r <= Atomics.load(h, CUTOFF); r++) this.expand(levelStart, r);
        this.publish();
        poll?.();
      }
    } catch (e) {
      if (e !== STORE_FULL) throw e;
      Atomics.store(h, STOP, 1);
    } finally {
      this.space.releaseIds();
    }
    this.publish();
  }

  /** This thread's figures so far, for the coordinator's limits and progress lines. */
  private publish(): void {
    this.space.stats[this.thread * 2] = this.generated;
    this.space.stats[this.thread * 2 + 1] = this.space.stored;
  }

  private expand(levelStart: number, rank: number): void {
    const { space, src, engine } = this;
    const id = space.order[levelStart + rank];
    space.read(id, src);
    this.rank = rank;
    this.successors = 0;
    this.copies = 0;
    const log = this.log;
    const logAt = log?.length ?? 0;
    log?.push(id);
    log?.push(0);
    try {
      engine.expandRow(src, this.emit);
    } catch (e) {
      if (e === LEAVE_STATE) return;
      if (!(e instanceof StepFailure)) throw e;
      this.record({ kind: 'step', at: rank, index: this.successors, failure: e.failure, step: { instance: e.instance, label: e.label } }, rank);
      return;
    } finally {
      if (log) log.data[logAt + 1] = (log.length - logAt - 2) / 3;
    }
    const finished = engine.rowFinished(src);
    space.expanded[rank] = this.copies | (finished ? FINISHED : 0);
    this.generated += this.copies + stutteringSteps(finished);
    if (isDeadlock(this.successors > 0, finished, this.deadlock)) {
      this.record({ kind: 'deadlock', at: rank, index: 0, failure: deadlockFailure(), step: null }, rank);
    }
  }

  private readonly emit = (row: Int32Array, instance: number, label: number, copies: number): void => {
    const space = this.space;
    const index = this.successors++;
    this.copies += copies;
    if (space.executed[label] === 0) space.executed[label] = 1;
    space.taken[this.takenAt + label]++;
    // The row is the state expanded (read last, so the packer's parent) with the step's writes.
    let id = space.insert(row, this.rank, index, label, this.engine.writtenBy(instance, label));
    let failure: Failure | null = null;
    if (id >= 0) {
      // The state expanded was checked when it was stored, and a level with a failure is the last.
      failure = this.engine.checkRow(row, this.src, instance, label);
    } else {
      id = ~id;
      if (id >= this.nextBase) space.lowerKey(id, this.rank, index, label);
    }
    if (this.log && (this.logged === null || this.logged(instance, label))) {
      this.log.push(id);
      this.log.push(instance);
      this.log.push(label);
    }
    if (failure) {
      this.record({ kind: 'state', at: id, index, failure, step: null }, this.rank);
      throw LEAVE_STATE;
    }
  };

  /** Keeps a failure and lowers the shared cutoff to its rank. */
  private record(f: FailureRecord, rank: number): void {
    this.failures.push(f);
    const h = this.space.header;
    for (let c = Atomics.load(h, CUTOFF); rank < c; c = Atomics.load(h, CUTOFF)) if (Atomics.compareExchange(h, CUTOFF, c, rank) === c) break;
  }
}
