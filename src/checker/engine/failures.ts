// The failures an engine reports, worded in one place so that the reference evaluator and the
// compiled engine report them identically: a step's failing assert or built-in check, a runtime
// error in the model (its LS6xxx code, and the innermost place it happened), and a state that
// violates an invariant or a final property (or cannot evaluate it).
import type { Span } from '../../diagnostics/span.js';
import { codedDiagnostic, type Diagnostic } from '../../diagnostics/diagnostics.js';
import { checkFailureKind, type Program, type Property } from '../../lang/ir.js';
import { StepFailure, type Failure } from './contract.js';
import { ModelError } from './valueops.js';

/** A step's assert (`Assertion`) or built-in check that does not hold. */
export function checkFailed(property: string, message: string, span: Span): StepFailure {
  return new StepFailure({ kind: checkFailureKind(property), property, message, span });
}

/** Where each runtime error of the model happened, and the failure it becomes. */
export class ModelErrorSites {
  private readonly spans = new WeakMap<Error, Span>();

  /** Remembers where a runtime error happened, unless a more precise place is already known. */
  locate(err: unknown, span: Span): void {
    if (err instanceof ModelError && !this.spans.has(err)) this.spans.set(err, span);
  }

  /** A failing check passes through; a runtime error in the model becomes a `RuntimeError` failure with its code. */
  asStepFailure(err: unknown): StepFailure {
    if (err instanceof StepFailure) return err;
    if (err instanceof ModelError) {
      return new StepFailure({ kind: 'runtime', property: 'RuntimeError', message: err.message, span: this.spans.get(err) ?? null, code: err.code });
    }
    throw err;
  }
}

/** A runtime error as the coded diagnostic reports print: LS6xxx at the innermost place it happened. */
export function runtimeDiagnostic(failure: Failure): Diagnostic {
  if (failure.kind !== 'runtime' || failure.code === undefined) throw new Error(`not a runtime error: ${failure.property}`);
  return codedDiagnostic(failure.code, failure.span, failure.message);
}

/** How a property is named in messages: `invariant Small`, `final property AllFreed`. */
export function propertyTitle(role: 'invariant' | 'final property', prop: Property): string {
  return `${role} ${prop.name}`;
}

/** A test of one property on a state the engine holds as `A` (a row, a scope). */
export type PropertyTest<A> = (state: A) => boolean;

/**
 * A property's index in a `skip` mask of firstViolation: invariant i is i, final property j is
 * the number of invariants plus j (-1: not a property of the program).
 */
export function propertyIndex(program: Program, failure: Failure): number {
  if (failure.kind === 'final') {
    const j = program.finals.findIndex((f) => f.name === failure.property);
    return j < 0 ? -1 : program.invariants.length + j;
  }
  return failure.kind === 'invariant' || failure.kind === 'builtin' ? program.invariants.findIndex((inv) => inv.name === failure.property) : -1;
}

/**
 * The first property `state` violates: the invariants in order, then the finals if every process
 * has finished, leaving out those marked in `skip` (see propertyIndex). A runtime error
 * evaluating one is reported as that property's. No allocation while every property holds (the
 * compiled engine checks every new state with it).
 */
export function firstViolation<A>(
  program: Program,
  invariants: readonly PropertyTest<A>[],
  finals: readonly PropertyTest<A>[],
  state: A,
  allDone: (state: A) => boolean,
  sites: ModelErrorSites,
  skip?: Uint8Array,
): Failure | null {
  for (let i = 0; i < invariants.length; i++) {
    if (skip && skip[i]) continue;
    const inv = program.invariants[i];
    const f = checkProperty(inv, 'invariant', inv.builtin ? 'builtin' : 'invariant', invariants[i], state, sites);
    if (f) return f;
  }
  if (finals.length === 0 || !allDone(state)) return null;
  for (let i = 0; i < finals.length; i++) {
    if (skip && skip[invariants.length + i]) continue;
    const f = checkProperty(program.finals[i], 'final property', 'final', finals[i], state, sites);
    if (f) return f;
  }
  return null;
}

function checkProperty<A>(
  prop: Property,
  role: 'invariant' | 'final property',
  kind: Failure['kind'],
  test: PropertyTest<A>,
  state: A,
  sites: ModelErrorSites,
): Failure | null {
  let holds: boolean;
  try {
    holds = test(state);
  } catch (e) {
    const f = sites.asStepFailure(e).failure;
    // Not located inside: the property's whole expression failed (it is no boolean).
    const span = f.span ?? ('span' in prop.body ? prop.body.span : prop.span);
    return f.kind === 'runtime' ? { ...f, message: `evaluating ${propertyTitle(role, prop)}: ${f.message}`, span } : f;
  }
  return holds ? null : { kind, property: prop.name, message: `${propertyTitle(role, prop)} is violated`, span: prop.span };
}
