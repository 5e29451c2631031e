// The evaluator the front end uses for constants and initial values: the reference evaluator, on
// a program with no state.
import type { Expr, Program, RecFn } from '../../lang/ir.js';
import type { Value } from '../../lang/values.js';
import { ReferenceEngine } from './reference-engine.js';

function closedProgram(self: Value | undefined, recFns: RecFn[]): Program {
  return {
    name: '',
    design: null,
    constants: [],
    globals: [],
    processVars: [],
    // The process `self` names, as a template of its own (no state, no steps).
    processes: self === undefined ? [] : [{ name: '', entry: 0, locals: [], span: { file: '', start: 0, end: 0 } }],
    procedures: [],
    instances: self === undefined ? [] : [{ template: 0, id: self, display: '' }],
    labels: [],
    recFns,
    invariants: [],
    finals: [],
    disabled: [],
    locks: [],
  };
}

/**
 * Evaluates an expression that reads no state; `self` is the process id where one is in scope,
 * `recFns` the recursive function definitions lowered so far.
 */
export function evaluateConstant(e: Expr, self?: Value, recFns: RecFn[] = []): Value {
  return new ReferenceEngine(closedProgram(self, recFns)).evaluateClosed(e, self === undefined ? -1 : 0);
}
