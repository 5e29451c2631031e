// Models whose meaning PlusCal and TLC fix, checked with both engines against TLC's answers:
// a single process's locals are plain variables, comparing values TLC cannot compare is an error,
// initial values read the variables declared before them, and the predefined sets.
import { createEngine } from '../../src/checker/engine/create-engine.js';
import { explore } from '../../src/checker/search/breadth-first.js';
import { errorsOf, expectBoth, programOf } from '../helpers.js';


describe('a single process\'s locals are plain variables', () => {
  test('an invariant reads the local itself, not a function of the process id (TLC: violated)', () => {
    expectBoth(
      `algorithm A {
        invariant I == w # 2;
        process Q = 5 variables w = 0; { a: w := 2; }
      }`,
      'violation I 2',
    );
  });

  test('w \\in {0, 1}: the initial states hold the invariant, the step to 2 violates it', () => {
    expectBoth(
      `algorithm A {
        invariant I == w # 2;
        process Q = 5 variables w \\in {0, 1}; { a: w := w + 1; }
      }`,
      'violation I 4',
    );
  });

  test('another process reads it as a plain variable', () => {
    expectBoth(
      `algorithm A {
        process Q = 5 variables w = 3; { a: skip; }
        process P = 6 variables v = 0; { b: v := w + 1; c: assert v = 4; }
      }`,
      'ok 6',
    );
  });

  test('a process set of one element keeps a function of the id', () => {
    expectBoth(
      `algorithm A {
        invariant I == w[5] # 2;
        process Q \\in {5} variables w = 0; { a: w := 2; }
      }`,
      'violation I 2',
    );
  });
});

describe('comparing values TLC cannot compare is an error', () => {
  const model = (inv: string): string => `algorithm A {
    values M;
    variables x = 0;
    invariant I == ${inv};
    process P = 1 { a: x := 1; }
  }`;

  test.each([
    ['1 = "a"', 'error RuntimeError LS6020 1'],
    ['x # "a"', 'error RuntimeError LS6020 1'],
    ['[a |-> 1] = {1}', 'error RuntimeError LS6020 1'],
    ['<<1>> = <<"a">>', 'error RuntimeError LS6020 1'],
    ['{x} = {"a"}', 'error RuntimeError LS6020 1'],
    ['1 = <<1>>', 'error RuntimeError LS6020 1'],
  ])('%s (TLC: "Attempted to check equality")', (inv, expected) => {
    expectBoth(model(inv), expected);
  });

  test.each([
    ['M # 1 /\\ M # {1} /\\ M # "a"', 'ok 2'],
    ['{1} # {"a", "b"}', 'ok 2'],
    ['<<1>> # <<1, 2>>', 'ok 2'],
    ['[a |-> 1] = [i \\in {"a"} |-> 1]', 'ok 2'],
    ['x # TRUE \\/ TRUE', 'error RuntimeError LS6020 1'],
  ])('%s is decided as TLC decides it', (inv, expected) => {
    expectBoth(model(inv), expected);
  });

  test('the error names both values and points at the comparison', () => {
    const r = explore(createEngine('compiled', programOf(model('x = "a"'))), { deadlock: false });
    expect(r.failure?.message).toMatch(/cannot compare an integer 0 with a string "a"/);
  });
});

describe('initial states come in the order TLC enumerates PlusCal\'s Init', () => {
  // Init is g \in {0, 3} /\ v \in [{1, 2} -> BOOLEAN] /\ w \in [{1, 2} -> BOOLEAN]: TLC takes each
  // conjunct in turn, the last varying fastest, and a function's last argument fastest.
  const model = `algorithm InitOrder {
    variables g \\in {0, 3};
    process (P \\in 1..2)
      variables v \\in {TRUE, FALSE}, w \\in {TRUE, FALSE}; {
    a: await ~(v /\\ ~w);
    b: g := g + 1;
    }
  }`;

  test('each process variable for every process in turn, not each process in turn (TLC -dump)', () => {
    for (const engine of ['reference', 'compiled'] as const) {
      const e = createEngine(engine, programOf(model));
      const ids: number[] = [];
      e.initial((id) => ids.push(id));
      // [v[1], w[1]] and [v[2], w[2]] of the first five states: TLC's v = <<F, F>> with w = <<F, F>>,
      // <<F, T>>, <<T, F>>, <<T, T>>, then v = <<F, T>> with w = <<F, F>>.
      expect(ids.slice(0, 5).map((id) => e.decode(id).pvars)).toEqual([
        [[false, false], [false, false]],
        [[false, false], [false, true]],
        [[false, true], [false, false]],
        [[false, true], [false, true]],
        [[false, false], [true, false]],
      ]);
    }
  });

  test('so a search that stops has TLC\'s counts: the deadlock with v = <<TRUE, TRUE>>, w = <<FALSE, FALSE>> (TLC: 52 generated, 52 distinct)', () => {
    for (const engine of ['reference', 'compiled'] as const) {
      const r = explore(createEngine(engine, programOf(model)), { deadlock: true });
      expect(`${engine}: ${r.verdict} ${r.distinct} ${r.generated}`).toBe(`${engine}: deadlock 52 52`);
    }
  });
});

describe('initial values read the variables declared before them, as PlusCal\'s Init conjuncts', () => {
  test('a global from earlier globals, a process local from a global (TLC: 4 states)', () => {
    expectBoth(
      `algorithm A {
        constants CPUS = {1, 2}, Bufs = {7, 8};
        variables lru = [c \\in CPUS |-> 7], bcount = [x \\in Bufs |-> Cardinality({c \\in CPUS : lru[c] = x})], k \\in {bcount[7], 5};
        refcount rc[b \\in Bufs] = bcount[b];
        disable NoLeak "the counts start held";
        invariant I == bcount[7] = 2 /\\ bcount[8] = 0 /\\ rc[7] = 2 /\\ mine = 3;
        process P = 1 variables mine = bcount[7] + 1; { a: skip; }
      }`,
      'ok 4',
    );
  });

  test('one cause gives one error: a later variable read by an initial value', () => {
    expect(errorsOf(`algorithm A {
      variables x = y + 1, y = 0;
      invariant I == x > 0 /\\ x < 5;
      process P = 1 { a: x := x + 1; }
    }`)).toEqual([expect.stringMatching(/LS2001: unknown name "y"/)]);
  });

  test('reading a variable with several initial values is a located error', () => {
    const errs = errorsOf(`algorithm A {
      variables x \\in {0, 1}, y = x + 1;
      process P = 1 { a: y := y + 1; }
    }`);
    expect(errs).toEqual([expect.stringMatching(/LS4004: this initial value reads "x", which has 2 initial values/)]);
  });
});
