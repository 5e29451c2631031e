// The contract between the breadth-first explorer and the two engines (reference evaluator and
// compiled engine). An engine owns the states: it stores each distinct state once and names it by
// a dense integer id, in the order states were first stored; the explorer owns the search.
import type { Span } from '../../diagnostics/span.js';
import type { Expr, Program } from '../../lang/ir.js';
import type { Value } from '../../lang/values.js';

/** What failed: a state property, a step's check, a runtime error, a deadlock, a temporal (progress) or cover (`reachable`) property. */
export type FailureKind = 'invariant' | 'final' | 'assert' | 'builtin' | 'runtime' | 'deadlock' | 'temporal' | 'cover';

/** Why the search stopped on a state or a step. */
export interface Failure {
  kind: FailureKind;
  /** The property's name: an invariant, `Assertion`, a built-in check, `RuntimeError`, `Deadlock`. */
  property: string;
  message: string;
  span: Span | null;
  /** For a runtime error: its code in the Diagnostics table (LS6xxx). */
  code?: number;
}

/** Thrown by an engine while computing a step that fails (assert, built-in check, runtime error). */
export class StepFailure extends Error {
  constructor(
    readonly failure: Failure,
    /** The process instance and label of the failing step (-1 while computing initial states). */
    public instance = -1,
    public label = -1,
  ) {
    super(failure.message);
  }
}

/**
 * Receives each successor: its id, whether it was new, the step that made it (instance index and
 * label index; -1, -1 for an initial state), and how many successors TLC generates for it (its
 * path's await witnesses multiplied; 1 for an initial state): docs/semantics.md, "Counting generated states".
 */
export type SuccessorSink = (id: number, isNew: boolean, instance: number, label: number, copies: number) => void;

/** A state decoded for people and tests: the same for both engines. */
export interface StateView {
  globals: Value[];
  /** Per instance: its label name, or "Done". */
  pcs: string[];
  /**
   * Per instance: the value of each process variable (indexed like Program.processVars), null where
   * the variable is not the instance's (a local of another process template).
   */
  pvars: (Value | null)[][];
  /** Per instance: the call stack as a sequence of frames. */
  stacks: Value[];
}

export interface TraceStep {
  /** Instance index and label index of the step that led here; -1 for the initial state. */
  instance: number;
  label: number;
  state: StateView;
}

/**
 * An engine that keeps no states behind the frontier (fingerprint mode): an id names a state only
 * from when it is stored until it has been expanded, and a state seen again is reported with id -1.
 */
export interface FrontierOnly {
  /** States below `id` have been expanded: they will not be asked for again. */
  forget(below: number): void;
  /** The trace the exact search would give to state `id` (still in the frontier), found by exploring again. */
  traceTo(id: number): TraceStep[];
  /** The most bytes the frontier's states held at once. */
  frontierPeakBytes(): number;
}

export interface Engine {
  readonly program: Program;
  /** Stores every initial state, calling the sink for each. May throw StepFailure. */
  initial(sink: SuccessorSink): void;
  /**
   * Computes every successor of state `id`, calling the sink for each. A step that fails (its
   * StepFailure names the instance and label) is thrown, or with `failed` handed to it: that path
   * then has no successor and the other paths go on.
   */
  successors(id: number, sink: SuccessorSink, failed?: (failure: StepFailure) => void): void;
  /** The number of distinct states stored. */
  size(): number;
  /**
   * The first property that state `id` violates: invariants, then finals if all have finished;
   * properties marked in `skip` (see propertyIndex) are not checked. `fromExpanded`: `id` was just
   * stored by `successors` of a state that satisfies every property not in `skip` (the breadth-first
   * search checks each state as it stores it); an engine may then leave out the invariants that
   * read nothing the step changed.
   */
  checkState(id: number, skip?: Uint8Array, fromExpanded?: boolean): Failure | null;
  /** Whether every process of state `id` has finished. */
  allDone(id: number): boolean;
  /** The label index each instance is at in state `id` (-1 when finished), into `out` (one entry per instance). */
  pcLabels(id: number, out: Int32Array): Int32Array;
  decode(id: number): StateView;
  /** For each of `keys`, who holds that element of lock global `global` (see holderIndex) in each of states 0..n-1. */
  lockHolders(global: number, keys: (Value | null)[], n: number): Int32Array[];
  /**
   * A test of steps (instance, label) that is false only for a step that cannot change any of
   * `globals` (an engine that knows what its steps write: the compiled one); absent, every step may.
   */
  mayChange?(globals: number[]): (instance: number, label: number) => boolean;
  /** Bytes used to store the states themselves, all that grows with their number (for reports). */
  storeBytes(): number;
  /**
   * A state predicate over the stored states, compiled once (`what` names it in a runtime error):
   * the test of state `id`. Throws StepFailure for a runtime error in the model.
   */
  predicate(body: Expr, what: string): (id: number) => boolean;
  /** Set when the engine keeps only the frontier's states (fingerprint mode). */
  readonly frontierOnly?: FrontierOnly;
}
