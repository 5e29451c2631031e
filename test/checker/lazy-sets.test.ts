// Membership and enumeration without building the set. `x \in {y \in S : p}`, `\cup`, `\cap`,
// `\`, `\X` are decided from their operands (a filter: the element, then p of it); `[S -> T]` and
// `SUBSET S` are enumerated one element at a time in canonical order; Cardinality of a filter
// counts. Laziness is tested structurally: sets far past BUILD_BOUND (LS6022) or past the old
// limits of [S -> T] (LS6007) and SUBSET (LS6006) answer without those errors.
import { Map as IMap, Set as ISet, hash } from '../../src/lang/immutable.js';
import { runCheck } from '../../src/cli/commands.js';
import { mkFn } from '../../src/lang/values.js';
import { memoryIo, writeModel } from '../helpers.js';

const ENGINES = ['compiled', 'reference'] as const;

function check(body: string, engine: (typeof ENGINES)[number], decls = ''): { code: number; out: string; err: string } {
  const text = `algorithm L {
  variables x = 0;
  ${decls}
  process (P = 1) {
  s: ${body}
     x := 1;
  }
}
`;
  const io = memoryIo();
  const code = runCheck({ file: writeModel(text), deadlock: false, engine, format: 'text' }, io, () => false);
  return { code, out: io.outs.join('\n'), err: io.errs.join('\n') };
}

describe.each(ENGINES)('the %s engine', (engine) => {
  test('decides membership in filters, unions, intersections, differences and products of huge sets', () => {
    const r = check(
      `assert <<1, 2>> \\in (1..3000) \\X (0..3000);
     assert <<1, 2>> \\notin (2..3000) \\X (0..3000) /\\ <<1>> \\notin (1..3) \\X (1..3) /\\ [i \\in {2} |-> 1] \\notin (1..3) \\X (1..3);
     assert 5 \\in (0..268435455) \\ {0} /\\ 0 \\notin (0..268435455) \\ {0};
     assert 7 \\in {y \\in 1..100000000 : y % 7 = 0} /\\ 8 \\notin {y \\in 1..100000000 : y % 7 = 0};
     assert 3 \\in (1..2) \\cup (3..100000000) /\\ 3 \\notin (1..2) \\cap (3..100000000);
     assert 4 \\in {y \\in (1..100000000) \\cap (0..268435455) : y > 3} \\ {5};
     assert [a |-> 1, b |-> 2] \\in [a : 1..100000000, b : {y \\in 1..100000000 : y > 1}];
     assert <<1, <<2, 3>>>> \\in (1..100000000) \\X ((1..100000000) \\X {y \\in 1..100000000 : y > 2});
     assert {1, 2} \\subseteq {y \\in 1..100000000 : y < 3};`,
      engine,
    );
    expect([r.err, r.code]).toEqual(['', 0]);
    expect(r.out).toMatch(/No violation/);
  });

  test('enumerates [S -> T] and SUBSET S lazily, in canonical order', () => {
    const r = check(
      `assert \\E f \\in [1..10 -> 1..5] : f[1] = 1 /\\ f[10] = 3;
     assert \\E t \\in SUBSET (1..30) : 3 \\in t;
     assert (CHOOSE f \\in [1..2 -> 1..3] : f[1] = 2) = <<2, 1>>;
     assert (CHOOSE t \\in SUBSET (1..4) : Cardinality(t) = 2 /\\ 3 \\in t) = {1, 3};
     assert Cardinality({t \\in SUBSET (1..4) : 2 \\in t}) = 8;
     assert Cardinality({f \\in [1..7 -> 1..5] : f[7] # 9}) = 78125;
     assert Cardinality(SUBSET (1..10)) = 1024 /\\ Cardinality([1..3 -> 1..4]) = 64;`,
      engine,
    );
    expect([r.err, r.code]).toEqual(['', 0]);
  }, 120_000);

  test('a filter counted past the bound is still LS6022', () => {
    const r = check('x := Cardinality({i \\in 1..2000000 : TRUE});', engine);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/error LS6022: .*\{x \\in S : p\} has more than 1000000 elements/);
  });
});

test.each([
  ['a filter whose condition is no boolean', 'assert 2 \\in {y \\in 1..3 : IF y = 2 THEN 3 ELSE TRUE};'],
  ['a string tested against a product', 'assert "a" \\in (1..3) \\X (1..3);'],
  ['a record tested against a product', 'assert [a |-> 1] \\in (1..3) \\X (1..3);'],
])('%s is the same error at the same place in both engines', (_, body) => {
  const [c, r] = ENGINES.map((engine) => check(body, engine));
  const untimed = (err: string): string => err.slice(err.indexOf('error LS')).replace(/model\d+/g, 'model').replace(/, [\d.]+ s \([\d,]+ states\/s\)/g, '');
  expect([c.code, r.code]).toEqual([2, 2]);
  expect(c.err).toMatch(/RuntimeError/);
  expect(untimed(c.err)).toBe(untimed(r.err));
});

test('sets and functions over small integers hash apart (Immutable\'s own hash sums them)', () => {
  const fns = new Set<number>();
  for (let i = 0; i < 5 ** 7; i++) fns.add(hash(mkFn(Array.from({ length: 7 }, (_, j) => [j + 1, 1 + (Math.floor(i / 5 ** j) % 5)] as [number, number]))));
  expect(fns.size).toBeGreaterThan(78_000);
  const sets = new Set<number>();
  for (let m = 0; m < 1 << 16; m++) sets.add(hash(ISet(Array.from({ length: 16 }, (_, j) => j).filter((j) => m & (1 << j)))));
  expect(sets.size).toBeGreaterThan(65_000);
  expect(hash(IMap([[1, 2]]))).toBe(hash(IMap([[1, 2]])));
});
