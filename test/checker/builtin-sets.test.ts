// TLA+'s built-in sets BOOLEAN, Nat and Int and PlusCal's ProcSet, checked with both engines
// against TLC's answers (each model was exported with export-tla and run through TLC 2.20).
import { createEngine, type EngineName } from '../../src/checker/engine/create-engine.js';
import { explore } from '../../src/checker/search/breadth-first.js';
import { errorsOf, programOf } from '../helpers.js';

const ENGINES: EngineName[] = ['reference', 'compiled'];

/** The verdict, the failed property (and runtime error code) and the state count of a model, per engine. */
function outcome(text: string, engine: EngineName): string {
  const r = explore(createEngine(engine, programOf(text)), { deadlock: false });
  const f = r.failure;
  return `${r.verdict}${f ? ` ${f.property}${f.code ? ` LS${f.code}` : ''}` : ''} ${r.distinct}`;
}

function expectBoth(text: string, expected: string): void {
  for (const engine of ENGINES) expect(`${engine}: ${outcome(text, engine)}`).toBe(`${engine}: ${expected}`);
}

describe('BOOLEAN, Nat, Int and ProcSet', () => {
  const model = (invariant: string): string => `algorithm A {
    variables b \\in BOOLEAN, f = [i \\in {1, 2} |-> 0];
    define { Procs == ProcSet }
    invariant Inv == ${invariant};
    process P \\in {1, 2} {
      a: with (v \\in BOOLEAN) { f[self] := IF v THEN f[self] + 1 ELSE f[self] - 1; };
      c: await \\A p \\in ProcSet : p \\in Nat /\\ p \\in Procs;
    }
    process Q = 3 { d: b := ~b; }
  }`;

  test('BOOLEAN enumerated by an initial value and a with; Int and ProcSet tested (TLC: 100 states, no error)', () => {
    expectBoth(model('b \\in BOOLEAN /\\ f \\in [{1, 2} -> Int] /\\ Procs = {1, 2, 3} /\\ f[1] \\in Int /\\ {f[2]} \\subseteq Int'), 'ok 100');
  });

  test('a function that leaves [S -> Nat] (TLC: Natural violated, 3 states)', () => {
    expectBoth(model('f \\in [{1, 2} -> Nat] /\\ \\A p \\in ProcSet \\ {3} : f[p] \\in Nat'), 'violation Inv 3');
  });

  test('\\subseteq Nat and \\notin Nat are decided element by element (TLC: violated, 3 states)', () => {
    expectBoth(model('{f[1], f[2]} \\subseteq Nat /\\ (f[2] \\notin Nat => f[2] < 0)'), 'violation Inv 3');
  });

  test('a recursive function over Nat applied to an argument (TLC: no error)', () => {
    expectBoth(
      `algorithm A {
        define { fact[n \\in Nat] == IF n = 0 THEN 1 ELSE n * fact[n - 1] }
        variables x = 0;
        process P = 1 { a: x := fact[4]; b: assert x = 24; }
      }`,
      'ok 3',
    );
  });

  test('a recursive function over Nat used as a value cannot be enumerated (TLC: "cannot be enumerated")', () => {
    expectBoth(
      `algorithm A {
        define { fact[n \\in Nat] == IF n = 0 THEN 1 ELSE n * fact[n - 1] }
        variables x = 0;
        process P = 1 { a: x := Cardinality(DOMAIN fact); }
      }`,
      'error RuntimeError LS6050 1',
    );
  });

  test('a global initialised in Nat is a located load error (TLC: "non-enumerable")', () => {
    const errors = errorsOf(`algorithm A {
      variables x \\in Nat;
      process P = 1 { a: skip; }
    }`);
    expect(errors[0]).toMatch(/:2:\d+: error LS4001: cannot evaluate .*cannot enumerate Nat/);
  });
});
