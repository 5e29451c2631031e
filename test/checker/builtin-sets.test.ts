// TLA+'s built-in sets BOOLEAN, Nat and Int and PlusCal's ProcSet, checked with both engines
// against TLC's answers (each model was exported with export-tla and run through TLC 2.20).
import { errorsOf, expectBoth } from '../helpers.js';


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

describe('membership and set operations compare values as TLC does', () => {
  const model = (inv: string): string => `algorithm A {
    values M;
    variables x = 0, s = {"a", "b"};
    invariant I == ${inv};
    process P = 1 { a: x := 1; }
  }`;

  // Each invariant was run through TLC 2.20 as an initial value; its message is in the name.
  test.each([
    ['1 \\in {"a", "b"}', 'Attempted to check equality of string "a" with non-string: 1'],
    ['x \\in s', 'Attempted to check equality of string "a" with non-string: 0'],
    ['{1} \\in {1, 2}', 'Attempted to check equality of integer 1 with non-integer: {1}'],
    ['2 \\in {1, "a"}', 'Attempted to check equality of string "a" with non-string: 2'],
    ['x \\in BOOLEAN', 'Attempted to compare integer 1 with non-integer: TRUE'],
    ['"a" \\in 1..3', 'Attempted to check if the value: "a" is in the integer interval 1..3'],
    ['"a" \\in Nat', 'Attempted to check if the value: "a" is an element of Nat'],
    ['"a" \\notin Int', 'Attempted to check if the value: "a" is an element of Int'],
    ['1 \\in [a : {1}]', 'Attempted to check if non-record 1 is in the set of records'],
    ['1 \\in [{1} -> {1}]', 'Attempted to check if 1, which is not a TLC function value, is in the set of functions'],
    ['1 \\in SUBSET {1}', 'Attempted to check if the non-enumerable value 1 is element of {{}, {1}}'],
    ['[a |-> 1] \\in [{1} -> {1}]', 'Attempted to check equality of integer 1 with non-integer: "a"'],
    ['<<"a">> \\in [{1} -> {1}]', 'Attempted to check equality of integer 1 with non-integer: "a"'],
    ['{"a"} \\subseteq {1}', 'Attempted to check equality of integer 1 with non-integer: "a"'],
    ['{x} \\cup {"a"} # {}', 'Attempted to check equality of integer 1 with non-integer: "a"'],
    ['{x} \\cap {"a"} = {}', 'Attempted to check equality of string "a" with non-string: 1'],
    ['{x, 2} \\ s # {}', 'Attempted to check equality of string "a" with non-string: 1'],
  ])('%s is an error (TLC: %s)', (inv) => {
    expectBoth(model(inv), 'error RuntimeError LS6020 1');
  });

  test.each([
    ['3 \\in {1, 2}', 'violation I 1'],
    ['x \\in {0, M}', 'violation I 2'],
    ['M \\notin {1, 2} /\\ M \\notin Nat /\\ M \\notin 1..3 /\\ M \\notin [{1} -> {1}] /\\ x \\notin {M}', 'ok 2'],
    ['1 \\in {1, "a"} /\\ <<1>> \\in [{1} -> {1}] /\\ {1} \\subseteq {1, M}', 'ok 2'],
  ])('%s compares with no error (TLC: the same verdict)', (inv, expected) => {
    expectBoth(model(inv), expected);
  });
});
