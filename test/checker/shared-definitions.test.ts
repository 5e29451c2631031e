// Definitions are evaluated once per use of the enclosing expression, not once per reference: a
// LET definition, an operator's argument and a zero-argument definition are evaluated at most once
// (lazily: never where unused), in both engines, with the errors and their places unchanged.
import { jest } from '@jest/globals';
import { createEngine, type EngineName } from '../../src/checker/engine/create-engine.js';
import { Runtime } from '../../src/checker/engine/compiled/runtime.js';
import { ReferenceEngine } from '../../src/checker/engine/reference-engine.js';
import { explore } from '../../src/checker/search/breadth-first.js';
import type { Expr } from '../../src/lang/ir.js';
import { someExpr } from '../../src/lang/ir-walk.js';
import { loadModel } from '../../src/pipeline/load-model.js';
import { programOf, writeModel } from '../helpers.js';

const ENGINES: EngineName[] = ['reference', 'compiled'];
/** TLC's distinct states for examples/echo.lspec with N = 3 (its export-tla translation). */
const ECHO_N3 = { distinct: 78, generated: 163 };

type Evaluator = { evalExpr: (e: Expr, sc: unknown) => unknown };
const evalExpr = (ReferenceEngine.prototype as unknown as Evaluator).evalExpr;
const RUNTIME_BUILTIN = Runtime.prototype.builtin;

/**
 * A model with one global set S = {1, 2, 3} and 5 states; `inv` is its invariant. The invariant
 * also reads n and P's pc, one of which every step changes, so that it is evaluated in every state
 * (the compiled engine leaves an invariant out on a new state whose step changed nothing it reads).
 */
const model = (inv: string, defs = ''): string => `algorithm A {
  variables S = {1, 2, 3}, n = 0;
  define { ${defs} }
  invariant Inv == (n = n /\\ pc[1] = pc[1]) => (${inv});
  process P = 1 { a: while (n < 3) { n := n + 1; }; }
}`;

/**
 * Runs `text` and counts how often a `Cardinality` is evaluated: the reference evaluator's
 * evaluations of a Cardinality node, the compiled engine's calls of its runtime's Cardinality.
 */
function cardinalities(text: string, engine: EngineName): { verdict: string; distinct: number; count: number } {
  const program = programOf(text);
  let count = 0;
  const spies =
    engine === 'reference'
      ? [
          jest.spyOn(ReferenceEngine.prototype as unknown as Evaluator, 'evalExpr').mockImplementation(function (
            this: unknown,
            e: Expr,
            sc: unknown,
          ) {
            if (e.k === 'builtin' && e.op === 'Cardinality') count++;
            return evalExpr.call(this, e, sc);
          }),
        ]
      : [
          jest.spyOn(Runtime.prototype, 'builtin').mockImplementation(function (this: Runtime, op, a, b, c) {
            if (op === 'Cardinality') count++;
            return RUNTIME_BUILTIN.call(this, op, a, b, c);
          }),
        ];
  try {
    const r = explore(createEngine(engine, program), { deadlock: false });
    return { verdict: r.verdict, distinct: r.distinct, count };
  } finally {
    spies.forEach((s) => s.mockRestore());
  }
}

describe('LET definitions and operator arguments are shared by their uses', () => {
  const eight = 'x + x + x + x + x + x + x + x = 24';

  test('8 references of one LET definition lower to one binding', () => {
    const p = programOf(model(`LET x == Cardinality(S) IN ${eight}`));
    const body = p.invariants.find((i) => i.name === 'Inv')!.body;
    let cards = 0;
    someExpr(body, (e) => (e.k === 'builtin' && e.op === 'Cardinality' && cards++, false));
    expect(cards).toBe(1);
    expect(body.k === 'implies' && body.right.k).toBe('letIn');
  });

  test.each(ENGINES)('%s: 8 references of one LET definition evaluate it once per evaluation of the invariant', (engine) => {
    const r = cardinalities(model(`LET x == Cardinality(S) IN ${eight}`), engine);
    expect(r.verdict).toBe('ok');
    expect(r.distinct).toBe(5);
    expect(r.count).toBe(r.distinct);
  });

  test.each(ENGINES)('%s: an operator argument used 8 times is evaluated once per call', (engine) => {
    const r = cardinalities(model(`\\A i \\in 1..2 : Eight(Cardinality(S) + i - i)`, `Eight(x) == ${eight}`), engine);
    expect(r.verdict).toBe('ok');
    expect(r.count).toBe(2 * r.distinct);
  });

  test.each(ENGINES)('%s: a zero-argument definition that reads the state is evaluated once per evaluation of the invariant', (engine) => {
    const r = cardinalities(model(`Card + Card + Card = 3 * Card /\\ \\A i \\in S : Card > 0`, 'Card == Cardinality(S) + n - n'), engine);
    expect(r.verdict).toBe('ok');
    expect(r.count).toBe(r.distinct);
  });

  test.each(ENGINES)('%s: a zero-argument definition of constants is folded (never evaluated while checking)', (engine) => {
    const r = cardinalities(model(`\\A i \\in 1..3 : K + K = 6`, 'K == Cardinality({1, 2, 3})'), engine);
    expect(r.verdict).toBe('ok');
    expect(r.count).toBe(0);
  });

  test.each(ENGINES)('%s: an unused LET definition that would fail is not evaluated', (engine) => {
    const text = model('\\A k \\in 1..4 : LET x == f[k] IN IF k \\in DOMAIN f THEN x >= 0 ELSE TRUE', 'f == [i \\in 1..3 |-> i + n]');
    const r = explore(createEngine(engine, programOf(text)), { deadlock: false });
    expect(r.verdict).toBe('ok');
    expect(r.distinct).toBe(5);
  });

  test.each(ENGINES)('%s: a failing LET definition is reported where its value is (line and column)', (engine) => {
    const text = model('LET x == f[n + 1]\n   IN x + x > 0', 'f == [i \\in 1..3 |-> i]');
    const m = loadModel(writeModel(text), {});
    const r = explore(createEngine(engine, m.program!), { deadlock: false });
    expect(r.failure?.code).toBe(6002);
    const span = r.failure!.span!;
    const at = text.slice(span.start, span.end);
    expect(at).toBe('f[n + 1]');
  });
});

describe('a transitive closure in an invariant (examples/echo.lspec)', () => {
  test.each(ENGINES)('%s: TLC\'s counts for N = 3', (engine) => {
    const m = loadModel('examples/echo.lspec', { consts: [['N', '3']] });
    const r = explore(createEngine(engine, m.program!), { deadlock: false });
    expect(`${r.verdict} ${r.distinct} ${r.generated}`).toBe(`ok ${ECHO_N3.distinct} ${ECHO_N3.generated}`);
  });
});
