// Hand-written TLA+ in a model (docs/language.md, "Actions, constraints and initial predicates"):
// a `constraint` is TLC's CONSTRAINT, checked against the figures TLC gives for the same model
// (the .tla and .cfg files beside this test in hand-written/: `tlc Bounded.tla` and so on), on
// both engines and in every search mode that supports it.
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { checkModel, simulateModel } from '../../src/pipeline/check-file.js';
import { formatDiagnostic } from '../../src/diagnostics/diagnostics.js';
import type { CheckOutcome } from '../../src/checker/check.js';
import { writeModel } from '../helpers.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./hand-written/${name}`, import.meta.url));
const ENGINES = ['compiled', 'reference'] as const;

const figures = (r: CheckOutcome): { verdict: string; distinct: number; generated: number; depth: number } => {
  if (r.diagnostics.some((d) => d.severity === 'error')) throw new Error(r.diagnostics.map((d) => formatDiagnostic(d, r.sources)).join('\n'));
  return { verdict: r.verdict, distinct: r.distinct, generated: r.generated, depth: r.depth };
};

/** The error lines (file:line:col, code and message) of a check that could not run. */
const errorLines = (r: CheckOutcome): string[] => r.diagnostics.map((d) => formatDiagnostic(d, r.sources).split('\n')[0].replace(/^[^:]*\//, ''));

describe('constraint: TLC\'s CONSTRAINT', () => {
  // TLC: "27 states generated, 6 distinct states found", depth 3; its initial states: "3 states
  // generated, with 2 of them distinct" (x = 2 falsifies Small: generated, not distinct).
  test.each(ENGINES)('bounded.lspec counts as TLC does with the %s engine', (engine) => {
    expect(figures(checkModel(fixture('bounded.lspec'), { engine }))).toEqual({ verdict: 'ok', distinct: 6, generated: 27, depth: 3 });
  });

  test('bounded.lspec counts as TLC does in fingerprint mode', () => {
    expect(figures(checkModel(fixture('bounded.lspec'), { fingerprint: true }))).toEqual({ verdict: 'ok', distinct: 6, generated: 27, depth: 3 });
  });

  // TLC, SYMMETRY Perms: 13 generated, 6 distinct, depth 5 (without it: 19, 9, 5).
  test.each(ENGINES)('sym.lspec counts as TLC does under symmetry with the %s engine', (engine) => {
    expect(figures(checkModel(fixture('sym.lspec'), { engine }))).toEqual({ verdict: 'ok', distinct: 6, generated: 13, depth: 5 });
  });

  test('sym.lspec counts as TLC does under symmetry in fingerprint mode', () => {
    expect(figures(checkModel(fixture('sym.lspec'), { fingerprint: true }))).toEqual({ verdict: 'ok', distinct: 6, generated: 13, depth: 5 });
  });

  // TLC checks the invariants of a state outside the constraint: "Invariant Inv2 is violated by the
  // initial state: x = 2, y = 0".
  test.each(ENGINES)('a state outside the constraint still has its invariants checked (%s engine)', (engine) => {
    const text = readFileSync(fixture('bounded.lspec'), 'utf8').replace('invariant Inv == x < 4;', 'invariant Inv == x < 2;');
    const r = checkModel(writeModel(text), { engine });
    expect(r.verdict).toBe('violation');
    expect(r.failure?.property).toBe('Inv');
    expect(r.trace?.map((s) => s.state.globals)).toEqual([[2, 0]]);
  });

  test('a state outside the constraint is not expanded by a random walk', () => {
    // Without the constraint a walk of 10 steps reaches x = 3 at once; with it, x stops at 2.
    const text = readFileSync(fixture('bounded.lspec'), 'utf8').replace('invariant Inv == x < 4;', 'invariant Inv == x < 3;');
    expect(simulateModel(writeModel(text), { runs: 50, depth: 10, seed: 1 }).verdict).toBe('ok');
    expect(simulateModel(writeModel(text.replace('constraint Small == x < 2;', '')), { runs: 50, depth: 10, seed: 1 }).verdict).toBe('violation');
  });

  test('progress properties and --workers with a constraint are located errors', () => {
    const text = readFileSync(fixture('bounded.lspec'), 'utf8').replace('invariant Inv == x < 4;', 'invariant Inv == x < 4;\n  property Grows == []<>(x = 1);');
    expect(errorLines(checkModel(writeModel(text)))).toEqual([
      expect.stringMatching(/:3:3: error LS3095: constraint "Small" cannot be checked with temporal or reachable properties: expected a check without it$/),
    ]);
    expect(errorLines(checkModel(fixture('bounded.lspec'), { workers: 2 }))).toEqual([
      expect.stringMatching(/:3:3: error LS3095: constraint "Small" cannot be checked with --workers: expected a check without it$/),
    ]);
  });
});

describe('init ==: the initial states of the globals as a predicate', () => {
  // TLC, INIT Inv with Inv == x \in 0..3 /\ y \in BOOLEAN /\ z \in 0..x /\ x < 3 /\ pc = ...:
  // "12 distinct states generated" initially, then 160 generated, 104 distinct, depth 5.
  test.each(ENGINES)('ip.lspec counts as TLC does with the %s engine', (engine) => {
    expect(figures(checkModel(fixture('ip.lspec'), { engine }))).toEqual({ verdict: 'ok', distinct: 104, generated: 160, depth: 5 });
  });

  test('ip.lspec counts as TLC does in fingerprint mode', () => {
    expect(figures(checkModel(fixture('ip.lspec'), { fingerprint: true }))).toEqual({ verdict: 'ok', distinct: 104, generated: 160, depth: 5 });
  });

  test('conjuncts are read through definitions, and a global with a declared value is tested, not given', () => {
    const text = `algorithm Defs {
      variables w = 1, x, y;
      define { Types == x \\in 0..3 /\\ y \\in 0..3  Rest == x + y = 3 /\\ w = 1 }
      init == Types /\\ Rest /\\ x # w;
      process (P = 1) { a: skip; }
    }`;
    const r = checkModel(writeModel(text), { engine: 'reference' });
    expect(r.verdict).toBe('ok');
    // x + y = 3 and x # 1: (0,3), (2,1), (3,0), each stepping once to Done.
    expect({ distinct: r.distinct, generated: r.generated }).toEqual({ distinct: 6, generated: 9 });
  });

  test.each([
    ['a conjunct reads a variable before it has a value', 'init == y \\in 0..x /\\ x \\in 0..2;', /:3:\d+: error LS3093: "x" is read here before it has a value/],
    ['a variable is given no value', 'init == x \\in 0..2;', /:3:\d+: error LS3094: the "init ==" predicate gives no value to "y"/],
    ['a second init predicate', 'init == x = 0 /\\ y = 0;\n init == x = 1 /\\ y = 1;', /:4:\d+: error LS3091: a second "init ==" predicate: the first is at .*:3:\d+/],
    ['a declared value reads a variable without one', 'init == x = 0 /\\ y = 0;\n variables w = x + 1;', /:4:\d+: error LS3093: "x" is read here before it has a value/],
  ])('%s: a located error', (_name, decl, message) => {
    const text = `algorithm Bad {\n variables x, y;\n ${decl}\n process (P = 1) { a: skip; }\n}`;
    expect(errorLines(checkModel(writeModel(text)))).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });
});

describe('action: hand-written TLA+ actions beside the processes', () => {
  // TLC, SPECIFICATION ISpec with INext == Next \/ Interrupt \/ Ack (hand-written/Irq.tla):
  // 154 states generated, 56 distinct, depth 9.
  test.each(ENGINES)('irq.lspec counts as TLC does with the %s engine', (engine) => {
    expect(figures(checkModel(fixture('irq.lspec'), { engine }))).toEqual({ verdict: 'ok', distinct: 56, generated: 154, depth: 9 });
  });

  test.each([
    ['fingerprint mode', { fingerprint: true }],
    ['two workers', { workers: 2 }],
  ])('irq.lspec counts as TLC does with %s', (_name, opts) => {
    expect(figures(checkModel(fixture('irq.lspec'), opts))).toEqual({ verdict: 'ok', distinct: 56, generated: 154, depth: 9 });
  });

  // TLC on the export of symact.lspec (SYMMETRY Perms): 25 generated, 12 distinct, depth 8.
  test.each([
    ['the compiled engine', { engine: 'compiled' as const }],
    ['the reference engine', { engine: 'reference' as const }],
    ['fingerprint mode', { fingerprint: true }],
  ])('symact.lspec counts as TLC does under symmetry with %s', (_name, opts) => {
    expect(figures(checkModel(fixture('symact.lspec'), opts))).toEqual({ verdict: 'ok', distinct: 12, generated: 25, depth: 8 });
  });

  test('a random walk takes actions', () => {
    const text = readFileSync(fixture('irq.lspec'), 'utf8').replace('invariant Inv == count <= 3;', 'invariant Inv == ~irq;');
    const r = simulateModel(writeModel(text), { runs: 20, depth: 20, seed: 3 });
    expect(r.failure?.property).toBe('Inv');
  });

  test.each(ENGINES)('a trace names the action as its step (%s engine)', (engine) => {
    const text = readFileSync(fixture('irq.lspec'), 'utf8').replace('invariant Inv == count <= 3;', 'invariant Inv == log # 2;');
    const r = checkModel(writeModel(text), { engine });
    expect(r.failure?.property).toBe('Inv');
    const program = r.program!;
    expect(r.trace!.slice(1).map((s) => `${program.instances[s.instance].display} ${program.labels[s.label].name}`)).toEqual(['Interrupt Interrupt']);
    expect(r.trace!.at(-1)!.state.globals).toEqual([0, true, 2]);
  });

  test('an action is not a process: not in ProcSet or pc, and the processes finish without it', () => {
    for (const engine of ENGINES) {
      const r = checkModel(fixture('not-a-process.lspec'), { engine });
      expect(figures(r)).toEqual({ verdict: 'ok', distinct: 6, generated: 11, depth: 4 });
    }
  });

  test('a fair action is weakly fair, an action without fairness is not', () => {
    const text = (fair: string): string => `algorithm Fairness {
      variables n = 0;
      ${fair} action Bump == n = 0 /\\ n' = 1;
      property Bumped == <>(n = 1);
      process (P = 1) { a: skip; }
    }`;
    expect(checkModel(writeModel(text('fair'))).verdict).toBe('ok');
    const unfair = checkModel(writeModel(text('')));
    expect(unfair.verdict).toBe('violation');
    expect(unfair.failure?.property).toBe('Bumped');
  });

  test.each([
    ['a variable left unsaid on a path', `action A == n' = 1 \\/ UNCHANGED m;`, /:3:\d+: error LS3096: this way through action "A" does not say what m becomes/],
    ['a primed variable read before it has a value', `action A == n' = m' /\\ m' = 1;`, /:3:\d+: error LS2051: "m'" is read before the action gives it a value/],
    ['pc written', `action A == pc' = pc /\\ UNCHANGED <<n, m>>;`, /:3:\d+: error LS2052: cannot prime "pc"/],
    ['a prime outside an action', `invariant I == n' = n;`, /:3:\d+: error LS2050: a primed variable can only be used in an action/],
  ])('%s: a located error', (_name, decl, message) => {
    const text = `algorithm Bad {\n variables n = 0, m = 0;\n ${decl}\n process (P = 1) { a: skip; }\n}`;
    expect(errorLines(checkModel(writeModel(text)))).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });
});

test('a design replaces an action, a constraint and the init predicate by name', () => {
  const text = `algorithm Designs {
    variables n;
    init == n \\in 0..1;
    constraint Small == n < 3;
    action Up == n' = n + 1;
    process (P = 1) { a: skip; }
    design other {
      init == n = 0;
      constraint Small == n < 2;
      action Up == n' = n + 2;
    }
  }`;
  const file = writeModel(text);
  // Base: n from 0 or 1 up by 1 while n < 3 (n = 3 generated, not expanded), P stepping once.
  expect(figures(checkModel(file, { design: null, engine: 'reference' }))).toEqual({ verdict: 'ok', distinct: 6, generated: 14, depth: 3 });
  // other: n from 0 up by 2: 0, 2 (outside the constraint).
  expect(figures(checkModel(file, { design: 'other', engine: 'reference' }))).toEqual({ verdict: 'ok', distinct: 2, generated: 5, depth: 2 });
});
