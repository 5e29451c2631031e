// The type pass (src/lang/typecheck.ts): every wrong model of the table is stopped at load time
// with a located LS7xxx error, and every valid model (the examples, the spec, the random
// generator's models) loads with no type diagnostic, TLA+'s freedoms included.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { formatDiagnostic } from '../../src/diagnostics/diagnostics.js';
import { designsOf, lowerDesign, parseModel } from '../../src/pipeline/load-model.js';
import { modelArb, renderModel } from '../gen/models.js';
import { errorsOf, programOf, writeModel } from '../helpers.js';

/** A model with one process P \in 1..2 (with `locals`, if any) whose body is `body`, after `decls`. */
const model = (decls: string, body: string, locals = ''): string =>
  `algorithm T {\n${decls}\n  process P \\in 1..2${locals ? `\n    variables ${locals};\n  ` : ' '}{\n${body}\n  }\n}\n`;

describe('wrong models are reported at load time, located', () => {
  const cases: [string, string, string, string, string?][] = [
    // [what, declarations, body, expected first line of the first diagnostic, process locals]
    ['arithmetic on a string', '  variables x = 0;', '  a: x := x + "one";', 'model.lspec:4:11: error LS7001: the right of + must be an integer, but it is a string'],
    ['unary minus on a set', '  variables x = 0;', '  a: x := -{1};', 'model.lspec:4:11: error LS7001: the argument of unary - must be an integer, but it is a set'],
    ['a comparison of booleans', '  variables x = 0;', '  a: await TRUE < x;', 'model.lspec:4:12: error LS7001: the left of < must be an integer, but it is a boolean'],
    ['\\in on an integer', '  variables x = 0;', '  a: await x \\in 3;', 'model.lspec:4:12: error LS7001: the right of \\in must be a set, but it is an integer'],
    ['\\cup of a non-set', '  variables s = {1};', '  a: s := s \\cup 2;', 'model.lspec:4:11: error LS7001: the right of \\cup must be a set, but it is an integer'],
    ['applying an integer', '  variables x = 0;', '  a: x := x[1];', 'model.lspec:4:11: error LS7001: the applied value must be a function, but it is an integer'],
    ['a field of a non-record', '  variables x = 0;', '  a: x := x.f;', 'model.lspec:4:11: error LS7001: the applied value must be a function, but it is an integer'],
    ['a field of a sequence', '  variables q = <<1, 2>>, x = 0;', '  a: x := q.f;', 'model.lspec:4:11: error LS7003: a string is never in the domain of the applied function, which holds an integer'],
    ['a non-boolean await', '  variables s = {1};', '  a: await s;', 'model.lspec:4:6: error LS7001: the condition of await must be a boolean, but it is a set'],
    ['a non-boolean if', '  variables x = 0;', '  a: if (x) { x := 1 };', 'model.lspec:4:6: error LS7001: the condition of if must be a boolean, but it is an integer'],
    ['a non-boolean assert', '  variables x = 0;', '  a: assert x + 1;', 'model.lspec:4:6: error LS7001: the condition of Assertion must be a boolean, but it is an integer'],
    ['a non-boolean invariant', '  variables x = 0;\n  invariant Inv == x;', '  a: skip;', 'model.lspec:3:3: error LS7001: invariant Inv must be a boolean, but it is an integer'],
    ['~ of an integer', '  variables x = 0;\n  invariant Inv == ~x;', '  a: skip;', 'model.lspec:3:3: error LS7001: the argument of ~ must be a boolean, but it is an integer'],
    ['a quantifier over an integer', '  variables x = 0;\n  invariant Inv == \\A i \\in x : i > 0;', '  a: skip;', 'model.lspec:3:20: error LS7001: a set of a quantifier must be a set, but it is an integer'],
    ['with over a non-set', '  variables x = 0;', '  a: with (i \\in x) { x := i };', 'model.lspec:4:12: error LS7001: the set of with must be a set, but it is an integer'],
    ['Len of a set', '  variables x = 0;', '  a: x := Len({1});', 'model.lspec:4:11: error LS7001: the argument of Len must be a function, but it is a set'],
    ['Cardinality of a sequence', '  variables x = 0;', '  a: x := Cardinality(<<1>>);', 'model.lspec:4:11: error LS7001: the argument of Cardinality must be a set, but it is a function'],
    ['an operand inside a definition', '  variables x = 0;\n  define { Next(v) == v + TRUE }', '  a: x := Next(x);', 'model.lspec:3:23: error LS7001: the right of + must be an integer, but it is a boolean'],
    ['a bound name of a set of strings', '  variables x = 0;', '  a: with (n \\in {"a", "b"}) { x := n * 2 };', 'model.lspec:4:37: error LS7001: the left of * must be an integer, but it is a string'],
    ['an integer variable given a string', '  variables x = 0;', '  a: x := "str";', 'model.lspec:4:6: error LS7002: x holds an integer (from its initial value), but this assigns a string: a variable keeps one kind of value'],
    ['a record field given another kind', '  variables r = [count |-> 0];', '  a: r.count := {1};', 'model.lspec:4:6: error LS7002: r.count holds an integer (from its initial value), but this assigns a set: a variable keeps one kind of value'],
    ['a process local given a boolean', '', '  a: t := TRUE;', 'model.lspec:6:6: error LS7002: t holds an integer (from its initial value), but this assigns a boolean: a variable keeps one kind of value', 't = 0'],
    ['a model-value variable given two kinds', '  values Nobody;\n  variables h = Nobody;', '  a: h := 1;\n  b: h := "x";', 'model.lspec:6:6: error LS7002: h holds an integer (from the write at model.lspec:5:6), but this assigns a string: a variable keeps one kind of value'],
    ['a procedure called with two kinds', '  procedure Q(p) {\n  q: return;\n  }', '  a: call Q(1);\n  b: call Q("x");\n  c: skip;', 'model.lspec:7:6: error LS7002: p holds an integer (from the write at model.lspec:6:6), but this assigns a string: a variable keeps one kind of value'],
    // Nat and Int are infinite: TLC cannot enumerate them ("TLC encountered the non-enumerable
    // quantifier bound Nat", "Attempted to compute cardinality of the value Nat", "Attempted to
    // enumerate a set of the form [D -> R], but the range R: Nat cannot be enumerated").
    ['a quantifier over Nat', '  variables x = 0;\n  invariant Inv == \\E n \\in Nat : n = x;', '  a: skip;', 'model.lspec:3:29: error LS7050: Nat is infinite, and here it would be enumerated (TLC cannot either): expected it only where membership in it is tested (the right of \\in, \\notin or \\subseteq)'],
    ['with over Int', '  variables x = 0;', '  a: with (i \\in Int) { x := i };', 'model.lspec:4:18: error LS7050: Int is infinite, and here it would be enumerated (TLC cannot either): expected it only where membership in it is tested (the right of \\in, \\notin or \\subseteq)'],
    ['Cardinality of Nat', '  variables x = 0;', '  a: x := Cardinality(Nat);', 'model.lspec:4:23: error LS7050: Nat is infinite, and here it would be enumerated (TLC cannot either): expected it only where membership in it is tested (the right of \\in, \\notin or \\subseteq)'],
    ['Nat stored in a variable', '  variables s = {};', '  a: s := Nat;', 'model.lspec:4:11: error LS7050: Nat is infinite, and here it would be enumerated (TLC cannot either): expected it only where membership in it is tested (the right of \\in, \\notin or \\subseteq)'],
    ['a process local initialised in Nat', '', '  a: skip;', 'model.lspec:4:21: error LS7050: Nat is infinite, and here it would be enumerated (TLC cannot either): expected it only where membership in it is tested (the right of \\in, \\notin or \\subseteq)', 't \\in Nat'],
    ['a set of functions into Nat enumerated', '  variables f = <<0>>;', '  a: with (g \\in [{1} -> Nat]) { f := g };', 'model.lspec:4:26: error LS7050: Nat is infinite, and here it would be enumerated (TLC cannot either): expected it only where membership in it is tested (the right of \\in, \\notin or \\subseteq)'],
    ['indexing an integer in an assignment', '  variables x = 0;', '  a: x[1] := 2;', 'model.lspec:4:6: error LS7001: x, assigned by key, must be a function, but it is an integer'],
  ];
  // Every row has its five entries (jest passes a callback in place of a missing last argument).
  test.each(cases.map(([what, decls, body, expected, locals]) => [what, decls, body, expected, locals ?? '']))('%s', (_what, decls, body, expected, locals) => {
    const errors = errorsOf(model(decls, body, locals));
    expect(errors[0].split('\n')[0].replace(/model\d+/g, 'model')).toBe(expected);
    expect(errors[0].split('\n')).toHaveLength(4); // the line and a caret under the place
  });
});

describe("TLA+'s freedoms stay allowed", () => {
  const cases: [string, string, string, string?][] = [
    ['a set of model values and strings', '  values Nobody;\n  variables s = {Nobody, "a"}, x = "b";', '  a: with (v \\in s) { x := v };'],
    ['a model value as the null of an integer variable', '  values Nobody;\n  variables h = Nobody;', '  a: h := self;\n  b: h := Nobody;'],
    ['initial values of several kinds', '  variables x \\in {0, "idle"};', '  a: x := "busy";\n  b: x := 3;'],
    ['a record with fields of several kinds', '  variables r = [n |-> 0, s |-> "a"];', '  a: r.n := r.n + 1;\n  b: r.s := "b";'],
    ['a heterogeneous tuple', '  variables t = <<1, "a">>, x = 0;', '  a: x := t[1] + 1;'],
    ['code that never runs on a wrong kind it could have', '  variables x \\in {0, "a"}, y = 0;', '  a: if (x \\in 0..9) { y := 1 } else { y := 2 };'],
    ['process ids of several kinds written to one variable', '  variables owner = 0;', '  u: owner := self;\n  }\n  process (M = "M") {\n  m: owner := "M";'],
    ['a variable whose type nests without end (the fixpoint widens it)', '  variables x = <<>>;', '  a: x := <<x>>;\n  b: await Len(x) > 0;'],
    ['comparing values of different kinds', '  variables x = 0;', '  a: await x # "a";'],
    ['a procedure parameter (defaultInitValue before the first call)', '  procedure Q(p) {\n  q: return;\n  }', '  a: call Q(1);\n  b: skip;'],
    ['membership in Nat, Int and sets built on them', '  variables x = 0, f = <<0, 1>>;\n  invariant Inv == x \\in Nat /\\ x \\in Int /\\ f \\in [1..2 -> Nat] /\\ {x} \\subseteq Nat /\\ {x} \\in SUBSET Int;', '  a: x := x - 1;\n  b: await f \\notin [{1} -> Int] /\\ [n |-> x] \\in [n : Int];'],
    ['BOOLEAN enumerated', '  variables b \\in BOOLEAN, c = 0;', '  a: with (v \\in BOOLEAN) { b := v };\n  b: c := Cardinality(BOOLEAN) + Cardinality([{1} -> BOOLEAN]);'],
    ['ProcSet in code and definitions', '  variables s = {};\n  define { Others(p) == ProcSet \\ {p} }', '  a: s := Others(self);\n  b: await \\A q \\in ProcSet : q \\in Nat;'],
    ['a recursive function over Nat, only applied', '  define { fact[n \\in Nat] == IF n = 0 THEN 1 ELSE n * fact[n - 1] }\n  variables x = 0;', '  a: x := fact[3];'],
    ['an empty set and an empty sequence', '  variables s = {}, q = <<>>;', '  a: s := s \\cup {1};\n  b: q := Append(q, 2);'],
  ];
  test.each(cases.map(([what, decls, body, locals]) => [what, decls, body, locals ?? '']))('%s', (_what, decls, body, locals) => {
    expect(() => programOf(model(decls, body, locals))).not.toThrow();
  });
});

describe('valid models have no type errors', () => {
  /** Every design of the model at `path`, lowered: the diagnostics of each. */
  const lowerEvery = (path: string): string[] => {
    const parsed = parseModel(path);
    expect(parsed.diagnostics).toEqual([]);
    return designsOf(parsed).flatMap((design) => lowerDesign(parsed, design, {}).diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d, parsed.sources)));
  };

  const models = [
    ...readdirSync('examples').filter((f) => f.endsWith('.lspec')).map((f) => join('examples', f)),
    ...readdirSync('spec/bh-migration').filter((f) => f.endsWith('.lspec')).map((f) => join('spec/bh-migration', f)),
  ];
  test.each(models)('%s', (path) => {
    const parsed = parseModel(path);
    if (parsed.root?.kind === 'module') return; // a module is checked through the models that import it
    expect(lowerEvery(path)).toEqual([]);
  });

  test('every random model of the generator', () => {
    fc.assert(
      fc.property(modelArb, (m) => {
        const text = renderModel(m);
        const errors = lowerEvery(writeModel(text));
        if (errors.length > 0) throw new Error(`${errors.join('\n')}\n--- model.lspec\n${text}`);
      }),
      { numRuns: 200, seed: 1 },
    );
  });
});
