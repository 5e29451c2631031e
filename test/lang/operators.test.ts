// TLA+'s operators beyond plain definitions, in a .lspec define block: RECURSIVE operators,
// operator parameters with LAMBDA arguments, user-defined infix operators. Each model is checked
// on both engines, which must agree; the errors are located and coded.
import { checkModel } from '../../src/pipeline/check-file.js';
import type { EngineName } from '../../src/checker/engine/create-engine.js';
import { errorsOf, expectBoth, writeModel } from '../helpers.js';

const model = (defs: string, body: string, invariant = 'TRUE'): string => `algorithm Ops {
  variables total = 0;
  define {
${defs}
  }
  final Done == ${invariant};
  process P \\in 1..2 { a: ${body}; }
}`;

test('a RECURSIVE operator calls itself, with one argument and with several', () => {
  const defs = `    RECURSIVE Sum(_), Pow(_, _)
    Sum(S) == IF S = {} THEN 0 ELSE LET x == CHOOSE x \\in S : TRUE IN x + Sum(S \\ {x})
    Pow(b, e) == IF e = 0 THEN 1 ELSE b * Pow(b, e - 1)`;
  expectBoth(model(defs, 'total := total + Sum({1, 2, 3}) + Pow(2, 3)', 'total = 28'), 'ok 4');
  expectBoth(model(defs, 'total := total + Sum({1, 2, 3}) + Pow(2, 3)', 'total = 27'), 'violation Done 4');
});

test('mutually RECURSIVE operators', () => {
  const defs = `    RECURSIVE Even(_), Odd(_)
    Even(n) == IF n = 0 THEN TRUE ELSE Odd(n - 1)
    Odd(n) == IF n = 0 THEN FALSE ELSE Even(n - 1)`;
  expectBoth(model(defs, 'total := total + (IF Even(6) /\\ Odd(3) THEN 1 ELSE 0)', 'total = 2'), 'ok 4');
});

test('an operator parameter takes a definition, a LAMBDA, or another operator parameter', () => {
  const defs = `    Twice(F(_), x) == F(F(x))
    Both(G(_, _), x) == G(x, x) + Twice(LAMBDA y : G(y, 1), x)
    Inc(n) == n + 1`;
  // Twice(Inc, 1) = 3; Both(LAMBDA a, b : a * b, 3) = 9 + 3 = 12; Twice(LAMBDA z : z + total, 0) = 2 * total:
  // total becomes 15, then 15 + 15 + 30.
  expectBoth(model(defs, 'total := total + Twice(Inc, 1) + Both(LAMBDA a, b : a * b, 3) + Twice(LAMBDA z : z + total, 0)', 'total = 60'), 'ok 4');
});

test('a user-defined infix operator, at its TLA+ precedence', () => {
  const defs = `    a ++ b == a + 10 * b
    a ** b == a * b + 1
    a \\prec b == a < b
    S \\uplus T == S \\cup T`;
  // 1 ++ 2 ** 3 = 1 ++ 7 = 71; (1 ++ 2) ++ 3 = 21 ++ 3 = 51; as + at the same level, to the left.
  expectBoth(model(defs, 'total := total + (1 ++ 2 ** 3) + (1 ++ 2 ++ 3) + Cardinality({1} \\uplus {2})', 'total \\prec 300 /\\ total = 248'), 'ok 4');
});

test.each(['reference', 'compiled'] as EngineName[])('%s: a RECURSIVE operator without a base case is a located runtime error naming it', (engine) => {
  const text = model('    RECURSIVE Up(_)\n    Up(n) == Up(n + 1) + 1', 'total := Up(0)');
  const r = checkModel(writeModel(text), { engine });
  expect(r.verdict).toBe('error');
  expect(r.failure?.kind).toBe('runtime');
  expect(r.failure?.message).toMatch(/recursive operator Up recurses too deeply/);
  expect(r.failure?.span).not.toBeNull();
});

test('the errors: recursion without RECURSIVE, RECURSIVE without a definition, a wrong operator argument, LAMBDA as a value', () => {
  expect(errorsOf(model('    Up(n) == Up(n + 1)', 'total := Up(0)'))).toEqual([expect.stringMatching(/:4:14: error LS3150: definition "Up" uses itself: expected a RECURSIVE declaration/)]);
  expect(errorsOf(model('    RECURSIVE Down(_)\n    Up(n) == n', 'total := Up(0)'))).toEqual([expect.stringMatching(/:4:15: error LS2070: RECURSIVE declares "Down", which is not defined here/)]);
  const twice = '    Twice(F(_), x) == F(F(x))\n    Add(a, b) == a + b';
  expect(errorsOf(model(twice, 'total := Twice(Add, 1)'))).toEqual([expect.stringMatching(/error LS2071: parameter F of "Twice" is an operator of 1 argument\(s\)/)]);
  expect(errorsOf(model(twice, 'total := Twice(LAMBDA a, b : a, 1)'))).toEqual([expect.stringMatching(/error LS2071: parameter F of "Twice"/)]);
  expect(errorsOf(model(twice, 'total := Twice(total + 1, 1)'))).toEqual([expect.stringMatching(/error LS2071/)]);
  expect(errorsOf(model('    Id(x) == x', 'total := Id(LAMBDA y : y)'))).toEqual([expect.stringMatching(/error LS3151: LAMBDA is read only as the argument of an operator parameter/)]);
  expect(errorsOf(model('    RECURSIVE R(_, _)\n    R(F(_), x) == F(x)', 'total := R(LAMBDA y : y, 1)'))).toEqual([expect.stringMatching(/error LS3152: recursive operator "R" takes an operator parameter/)]);
  expect(errorsOf(model('    Id(x) == x', 'total := 1 ++ 2'))).toEqual([expect.stringMatching(/error LS2001: unknown name "\+\+"/)]);
});

test('a call with too few arguments for an operator parameter is an arity error', () => {
  expect(errorsOf(model('    Op(x, F(_)) == F(x)', 'total := Op(1)'))).toEqual([expect.stringMatching(/error LS2008: "Op" takes 2 argument\(s\), but 1 were given/)]);
});

test('a RECURSIVE operator of a LET sees the names around it', () => {
  const defs = '    Fact(k) == LET RECURSIVE F(_) F(n) == IF n = 0 THEN k ELSE n * F(n - 1) IN F(3)';
  // Fact(1) = 6, Fact(2) = 12: 18 per process.
  expectBoth(model(defs, 'total := total + Fact(1) + Fact(2)', 'total = 36'), 'ok 4');
  const bound = 'total := total + (IF \\A p \\in 1..2 : (LET RECURSIVE G(_) G(n) == IF n = 0 THEN p ELSE G(n - 1) IN G(2)) = p THEN 1 ELSE 0)';
  expectBoth(model('    Id(x) == x', bound, 'total = 2'), 'ok 4');
  expect(errorsOf(model('    Up(x) == LET RECURSIVE F(_) F(n) == n IN F[1]', 'total := Up(0)'))).toEqual([expect.stringMatching(/error LS2008: "F" takes 1 argument\(s\), but 0 were given/)]);
});

test('\\oplus is the Bags module\'s (+) unless the model defines it', () => {
  expectBoth(model('    Bag == SetToBag({1}) \\oplus SetToBag({1, 2})', 'total := total + BagCardinality(Bag)', 'total = 6'), 'ok 4');
  expectBoth(model('    a \\oplus b == a * 10 + b', 'total := total + (1 \\oplus 2)', 'total = 24'), 'ok 4');
});

test('SelectSeq takes a LAMBDA as its test', () => {
  expectBoth(model('    Big(s) == SelectSeq(s, LAMBDA e : e > 1)', 'total := total + Len(Big(<<1, 2, 3>>))', 'total = 4'), 'ok 4');
});
