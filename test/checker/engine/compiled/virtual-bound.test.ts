// A name bound to an element of `[S -> T]` or `SUBSET S` by a quantifier or filter is, in the
// compiled engine, its position in the enumeration: `f[x]`, `x \in s` and `Cardinality(s)` are
// read from that position, and the element is built and interned only when it is used otherwise.
// Tested structurally: after counting hundreds of thousands of functions and subsets, the value
// table holds a few values, not one per element; and both engines agree on the answers (values
// that escape, keys outside the domain, the error of each).
import { CompiledEngine } from '../../../../src/checker/engine/compiled/compiled-engine.js';
import { ReferenceEngine } from '../../../../src/checker/engine/reference-engine.js';
import { explore } from '../../../../src/checker/search/breadth-first.js';
import { loadModel } from '../../../../src/pipeline/load-model.js';
import { writeModel } from '../../../helpers.js';

function model(body: string): string {
  return writeModel(`algorithm V {
  variables x = 0;
  process (P = 1) {
  s: ${body}
     x := 1;
  }
}
`);
}

function run(file: string): { compiled: ReturnType<typeof explore>; reference: ReturnType<typeof explore>; interned: number } {
  const program = loadModel(file).program!;
  const engine = new CompiledEngine(program);
  const compiled = explore(engine, { deadlock: false });
  return { compiled, reference: explore(new ReferenceEngine(program), { deadlock: false }), interned: engine.table.size };
}

test('functions and subsets that only are applied, tested or counted are not built', () => {
  const r = run(
    model(`assert Cardinality({f \\in [1..7 -> 1..4] : f[7] # 9}) = 16384;
     assert \\A f \\in [1..6 -> 1..4] : f[1] \\in 1..4 /\\ f[6] + f[5] >= 2;
     assert ~\\E f \\in [{"a", "b"} -> 1..60] : f["a"] + f["b"] > 120;
     assert Cardinality({t \\in SUBSET (1..12) : 3 \\in t /\\ 20 \\notin t /\\ Cardinality(t) > 1}) = 2047;`),
  );
  expect(r.compiled.verdict).toBe('ok');
  expect(r.reference.verdict).toBe('ok');
  expect(r.interned).toBeLessThan(1000);
}, 60_000);

test('an element that escapes is built, and both engines agree', () => {
  const r = run(
    model(`assert (CHOOSE f \\in [1..2 -> 1..3] : f[1] = 2 /\\ f[2] = 3) = <<2, 3>>;
     assert {f \\in [1..2 -> 1..2] : f[1] = 1} = {<<1, 1>>, <<1, 2>>};
     assert \\E f \\in [1..3 -> 1..3] : f[2] = 2 /\\ f = <<1, 2, 3>>;
     assert \\A t \\in SUBSET {1, 2, 3} : 2 \\in t => t \\cup {2} = t;
     assert {t \\in SUBSET {1, 2} : 1 \\in t} = {{1}, {1, 2}};
     assert \\A f \\in [1..2 -> 1..2] : \\A g \\in [1..2 -> 1..2] : (f = g) = (f[1] = g[1] /\\ f[2] = g[2]);
     assert \\E f \\in [1..2 -> [1..2 -> 1..2]] : f[1][2] = 2 /\\ f[2][1] = 1;`),
  );
  expect(r.compiled.verdict).toBe('ok');
  expect(r.reference.verdict).toBe('ok');
});

test.each([
  ['a key outside the domain', 'assert \\E f \\in [1..3 -> 1..2] : f[4] = 1;'],
  ['an element of another kind tested against a subset', 'assert \\E t \\in SUBSET (1..3) : "a" \\in t;'],
])('%s is the same failure in both engines', (_, body) => {
  const r = run(model(body));
  expect(r.compiled.verdict).not.toBe('ok');
  expect(JSON.stringify(r.compiled.failure)).toBe(JSON.stringify(r.reference.failure));
});
