// The narrow interface through which the parallel search (src/checker/search/parallel/) drives the
// compiled engine: on rows rather than state ids. Every thread reads rows from the shared store,
// expands and checks them here, and stores the successors there itself; the engine stores nothing
// meanwhile. Once the search ends, the coordinator's engine is handed the shared store, where
// traces, lock statistics and reports then read the states through the Engine contract.
import type { Failure } from '../contract.js';
import type { RowStore } from './store.js';
import type { ValueTable } from './valuetable.js';

/** Receives a successor row (a buffer reused by the next) with the step that made it and how many successors TLC generates for it (SuccessorSink). */
export type RowSink = (row: Int32Array, instance: number, label: number, copies: number) => void;

export interface RowEngine {
  /** Int32 slots per row. */
  readonly width: number;
  /** Where rows' codes are interned; codes below its size when the search starts are shared by every thread (codes.ts). */
  readonly table: ValueTable;
  /**
   * Compiles every step and property now, so that two engines of one program intern the same
   * values in the same order (each thread warms its engine, then computes the initial states).
   */
  warm(): void;
  /** Compares codes by `order` when choosing a symmetric image (see RowSymmetry.useOrder). */
  orderCodes(order: (code: number) => number): void;
  /** Copies stored state `id` into `out` (the coordinator moves the initial states to the shared store). */
  readRow(id: number, out: Int32Array): void;
  /** Each successor row of `src`, canonical under symmetry, with its step. Allocates nothing; may throw StepFailure. */
  expandRow(src: Int32Array, emit: RowSink): void;
  /**
   * The first property `row` violates, as Engine.checkState reports it. With `parent`, the row
   * expanded (a stored state, which satisfies every property) and the step `instance` took at
   * `label` to reach `row`: only the invariants that read a slot the step changed are evaluated.
   */
  checkRow(row: Int32Array, parent?: Int32Array | null, instance?: number, label?: number): Failure | null;
  /**
   * The sorted slots where a successor row by `instance`'s step at `label` may differ from the row
   * expanded; null when the rows are canonical images (symmetry), which may differ anywhere.
   */
  writtenBy(instance: number, label: number): Int32Array | null;
  /** Whether a step may change one of `globals` (Engine.mayChange): the parallel search logs those steps' edges alone when asked. */
  mayChange(globals: number[]): (instance: number, label: number) => boolean;
  /** Whether every process has finished in `row`. */
  rowFinished(row: Int32Array): boolean;
  /**
   * Keeps the states in `store` from now on, its ids the engine's ids (the engine's own store is
   * dropped): the parallel search hands over its shared store, in canonical ids, once it ends.
   */
  adoptStore(store: RowStore): void;
}
