// Large sets are never a crash. A range is counted (Cardinality), tested (\in) and enumerated
// (\E, \A, CHOOSE, with, an initial `\in`, comprehensions) without being built; a set or
// function that is built has at most BUILD_BOUND elements, and more is the located runtime error
// LS6022. Laziness is tested structurally: 1..268435455 is far past the bound, so a model that
// answers about it without LS6022 never built it. `with` over such a range stops at --max-states.
import { runCheck } from '../../src/cli/commands.js';
import { checkModel } from '../../src/pipeline/check-file.js';
import { BUILD_BOUND } from '../../src/checker/engine/valueops.js';
import { memoryIo, writeModel } from '../helpers.js';

const N = 268435455;

const step = (vars: string, body: string): string => `algorithm L {
  variables n = ${N}, x = 0 ${vars};
  process (P = 1) {
  s: ${body}
  }
}
`;

const ENGINES = ['compiled', 'reference'] as const;

function check(text: string, engine: (typeof ENGINES)[number], extra: { 'max-states'?: number } = {}): { code: number; out: string; err: string } {
  const io = memoryIo();
  const code = runCheck({ file: writeModel(text), deadlock: false, engine, format: 'text', ...extra }, io, () => false);
  return { code, out: io.outs.join('\n'), err: io.errs.join('\n') };
}

/** The diagnostic's line and the text its caret underlines. */
function located(err: string, code: number): { line: string; under: string } {
  const lines = err.split('\n');
  const at = lines.findIndex((l) => l.includes(`error LS${code}:`));
  expect(at).toBeGreaterThanOrEqual(0);
  const source = lines[at + 2].replace(/^\d+ \| /, '');
  const caret = lines[at + 3].replace(/^ *\| /, '');
  return { line: lines[at], under: source.slice(caret.indexOf('^'), caret.lastIndexOf('^') + 1) };
}

test('the bound is past every range the tests below call small and short of 1..268435455', () => {
  expect(BUILD_BOUND).toBe(1_000_000);
});

describe.each(ENGINES)('the %s engine', (engine) => {
  test('counts, tests and enumerates a range of 2^28-1 elements without building it', () => {
    const r = check(
      step(
        '',
        `assert Cardinality(1..n) = ${N};
     assert Cardinality(1..${N}) = ${N};
     assert Cardinality(n..1) = 0;
     assert n \\in 1..n /\\ 0 \\notin 1..n;
     assert \\E i \\in 1..n : i = 5;
     assert \\E i \\in -n..n, j \\in 1..n : i = -n /\\ j = 2;
     assert ~\\A i \\in 1..n : i < 10;
     assert (CHOOSE i \\in 1..n : i > 3) = 4;
     assert \\E i \\in {j \\in 1..3 : \\E k \\in 1..n : k = j} : i = 2;
     x := 1;`,
      ),
      engine,
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/No violation/);
  });

  test('a variable initialised to Cardinality of a huge range is checked', () => {
    const r = check(step(', c = Cardinality(1..268435455)', 'x := c;'), engine);
    expect([r.code, r.err]).toEqual([0, '']);
  });

  test('a comprehension over a range past the bound builds only its result', () => {
    // 1..BUILD_BOUND+1 would be LS6022 if it were built; the set it maps to has 3 elements.
    const r = check(step('', `x := Cardinality({i % 3 : i \\in 1..${BUILD_BOUND + 1}});`), engine);
    expect([r.code, r.err]).toEqual([0, '']);
  }, 120_000);

  test.each([
    ['a range kept as a value', 'x := Cardinality(1..n \\cup {0});', '1..n'],
    ['a filter whose result is too large', 'x := Cardinality({i \\in 1..n : TRUE});', '{i \\in 1..n : TRUE}'],
    ['a function over a huge domain', 'x := [i \\in 1..n |-> 0][1];', '[i \\in 1..n |-> 0]'],
    ['SUBSET of a huge range', 'x := Cardinality(SUBSET (1..n));', '1..n'],
    ['a product past the bound', 'x := Cardinality((1..2000) \\X (1..2000));', '(1..2000) \\X (1..2000)'],
  ])('%s is the located runtime error LS6022, exit 2', (_, body, under) => {
    const r = check(step('', body), engine);
    expect(r.code).toBe(2);
    const d = located(r.err, 6022);
    expect(d.line).toMatch(/\.lspec:\d+:\d+: error LS6022: .* has more than 1000000 elements/);
    expect(d.under).toBe(under);
    expect(r.err).not.toMatch(/No violation/);
  }, 120_000);

  test('with over a huge range stops at --max-states inside one state\'s expansion', () => {
    const r = check(step('', 'with (i \\in 1..n) { x := i };'), engine, { 'max-states': 50 });
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/stopped by max-states 50 after 50 distinct states/);
  });

  test('a process variable initialised \\in a huge range stops at --max-states', () => {
    const text = `algorithm L {
  process (P = 1)
    variables y \\in 1..${N};
  {
  s: y := y - 1;
  }
}
`;
    const r = check(text, engine, { 'max-states': 20 });
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/stopped by max-states 20 after 20 distinct states/);
  });
});

test('a global initialised \\in a range past the bound is a located error when the model is loaded', () => {
  for (const engine of ENGINES) {
    const r = check(step(', z \\in -268435455..268435455', 'x := z;'), engine);
    expect(r.code).toBe(2);
    const lines = r.err.split('\n');
    const at = lines.findIndex((l) => /\.lspec:\d+:\d+: error LS\d+: .*-268435455\.\.268435455 has more than 1000000 elements/.test(l));
    expect(at).toBeGreaterThanOrEqual(0);
  }
});

test('the limits other than --max-states are looked at within one state\'s expansion', () => {
  // Every path of the step reaches the same state, so no state count stops it: only the interrupt,
  // which is looked at once before the step and again within it.
  let calls = 0;
  const o = checkModel(writeModel(step('', 'with (i \\in 1..n) { x := 0 };')), { interrupted: () => ++calls > 1 });
  expect([o.verdict, o.limit]).toEqual(['incomplete', 'interrupted']);
  expect(o.generated).toBeLessThan(N);
}, 120_000);
