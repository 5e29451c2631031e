// The reference evaluator on small hand-built IR programs, run through the breadth-first explorer:
// every statement and expression kind, with state counts worked out by hand, and the examples
// end to end against TLC's figures.
import { existsSync } from 'node:fs';
import type { Span } from '../../../src/parser/ast.js';
import type { BinOp, Expr, Program, Property, Shape, Stmt, VarRef } from '../../../src/lang/ir.js';
import type { Value } from '../../../src/lang/values.js';
import { ModelValue, mkFn, mkRecord, mkSet, mkTuple, showValue } from '../../../src/lang/values.js';
import { explore } from '../../../src/checker/search/breadth-first.js';
import type { ExploreResult } from '../../../src/checker/search/results.js';
import { ReferenceEngine } from '../../../src/checker/engine/reference-engine.js';

// ------------------------------------------------------------------ building programs

const sp: Span = { file: 't.lspec', start: 0, end: 1 };
const leaf: Shape = { kind: 'leaf' };

const lit = (value: Value): Expr => ({ k: 'lit', value });
const G = (index: number): Expr => ({ k: 'global', index });
const PV = (index: number): Expr => ({ k: 'pvar', index });
const B = (id: number): Expr => ({ k: 'bound', id, name: `b${id}` });
const bin = (op: BinOp, left: Expr, right: Expr): Expr => ({ k: 'bin', op, left, right, span: sp });
const add = (a: Expr, b: Expr): Expr => bin('+', a, b);
const eq = (a: Expr, b: Expr): Expr => bin('=', a, b);
const ap = (fn: Expr, arg: Expr): Expr => ({ k: 'apply', fn, arg, span: sp });
const set = (...elems: Expr[]): Expr => ({ k: 'setEnum', elems });
const tup = (...elems: Expr[]): Expr => ({ k: 'tuple', elems });
const builtin = (op: Extract<Expr, { k: 'builtin' }>['op'], ...args: Expr[]): Expr => ({ k: 'builtin', op, args, span: sp });
const ints = (...ns: number[]): Expr => lit(mkSet(ns));

const g = (index: number): VarRef => ({ kind: 'global', index });
const pv = (index: number): VarRef => ({ kind: 'pvar', index });
const assign = (ref: VarRef, value: Expr, path: Expr[] = []): Stmt => ({ k: 'assign', targets: [{ ref, path }], values: [value], span: sp });
const assignMany = (targets: [VarRef, Expr[]][], values: Expr[]): Stmt => ({
  k: 'assign', targets: targets.map(([ref, path]) => ({ ref, path })), values, span: sp,
});
const awaitS = (cond: Expr): Stmt => ({ k: 'await', cond, span: sp });
const ifS = (cond: Expr, then: Stmt[], els: Stmt[]): Stmt => ({ k: 'if', cond, then, else: els, span: sp });
const either = (...branches: Stmt[][]): Stmt => ({ k: 'either', branches, span: sp });
const withS = (bound: number, s: Expr, body: Stmt[]): Stmt => ({ k: 'with', bound, set: s, body, span: sp });
const letS = (bound: number, value: Expr, body: Stmt[]): Stmt => ({ k: 'let', bound, value, body, span: sp });
const goto = (label: number): Stmt => ({ k: 'goto', label, span: sp });
const done: Stmt = { k: 'done', span: sp };
const check = (cond: Expr, property: string): Stmt => ({ k: 'check', cond, property, message: `${property} fails`, span: sp });
const call = (procedure: number, args: Expr[], returnTo: number): Stmt => ({ k: 'call', procedure, args, returnTo, span: sp });
const ret = (procedure: number): Stmt => ({ k: 'return', procedure, span: sp });

interface Spec {
  globals?: { name: string; inits: Value[]; shape?: Shape }[];
  pvars?: { name: string; owner: ['process' | 'procedure', number]; initKind?: '=' | '\\in'; init?: Expr | null }[];
  /** Each process's ids and labels; its first label is its entry. */
  processes: { name: string; ids: Value[]; labels: string[]; locals?: number[] }[];
  procedures?: { name: string; params: number[]; locals: number[]; labels: string[] }[];
  /** The body of each label, given the label indices by name. */
  bodies: (L: (name: string) => number) => Record<string, Stmt[]>;
  invariants?: [string, Expr, boolean?][];
  finals?: [string, Expr][];
  recFns?: Program['recFns'];
}

function build(spec: Spec): Program {
  const owned = [
    ...spec.processes.map((p, i) => ({ owner: { kind: 'process' as const, index: i }, labels: p.labels })),
    ...(spec.procedures ?? []).map((p, i) => ({ owner: { kind: 'procedure' as const, index: i }, labels: p.labels })),
  ];
  const names = owned.flatMap((o) => o.labels);
  const L = (name: string): number => {
    const i = names.indexOf(name);
    if (i < 0) throw new Error(`no label ${name}`);
    return i;
  };
  const bodies = spec.bodies(L);
  const prop = ([name, body, isBuiltin]: [string, Expr, boolean?]): Property => ({ name, body, builtin: isBuiltin ?? false, span: sp });
  return {
    name: 'T',
    design: null,
    constants: [],
    globals: (spec.globals ?? []).map((x) => ({ name: x.name, inits: x.inits, shape: x.shape ?? leaf, span: sp })),
    processVars: (spec.pvars ?? []).map((x) => ({
      name: x.name, owner: { kind: x.owner[0], index: x.owner[1] }, initKind: x.initKind ?? '=', init: x.init ?? null, shape: leaf, span: sp,
    })),
    processes: spec.processes.map((p) => ({ name: p.name, entry: L(p.labels[0]), locals: p.locals ?? [], span: sp })),
    procedures: (spec.procedures ?? []).map((p) => ({ name: p.name, params: p.params, locals: p.locals, entry: L(p.labels[0]), span: sp })),
    instances: spec.processes.flatMap((p, t) => p.ids.map((id) => ({ template: t, id, display: `${p.name}(${showValue(id)})` }))),
    labels: owned.flatMap((o) =>
      o.labels.map((name) => ({ name, owner: o.owner, description: null, cost: 1, span: sp, body: bodies[name] ?? [] })),
    ),
    recFns: spec.recFns ?? [],
    invariants: (spec.invariants ?? []).map(prop),
    finals: (spec.finals ?? []).map(([n, b]) => prop([n, b])),
    disabled: [],
    locks: [],
  };
}

function run(spec: Spec, deadlock = true): { r: ExploreResult; engine: ReferenceEngine } {
  const engine = new ReferenceEngine(build(spec));
  return { r: explore(engine, { deadlock }), engine };
}

const figures = (r: ExploreResult) => ({ verdict: r.verdict, distinct: r.distinct, generated: r.generated, depth: r.depth });

/** Runs `x := e; done` in a single process and returns x's new value, or the step's failure. */
function value(e: Expr, spec: Partial<Spec> = {}): Value {
  const { r, engine } = run({ globals: [{ name: 'x', inits: [0] }], processes: [{ name: 'P', ids: [1], labels: ['a'] }], bodies: () => ({ a: [assign(g(0), e), done] }), ...spec });
  if (r.failure) throw new Error(`${r.failure.kind}: ${r.failure.message}`);
  return engine.decode(1).globals[0];
}

const expectValue = (e: Expr, want: Value, spec?: Partial<Spec>): void => expect(showValue(value(e, spec))).toBe(showValue(want));
const expectError = (e: Expr, message: RegExp): void => expect(() => value(e)).toThrow(message);

/** A closed expression's value, with `self` when given (the front end's constant evaluator). */
function evaluateConstant(e: Expr, self: Value | undefined, recFns: Program['recFns']): Value {
  const closed = build({ processes: [], bodies: () => ({}), recFns });
  const instances = self === undefined ? [] : [{ template: 0, id: self, display: showValue(self) }];
  return new ReferenceEngine({ ...closed, instances }).evaluateClosed(e, self === undefined ? -1 : 0);
}

// ------------------------------------------------------------------ states, steps, forks

describe('states and steps', () => {
  test('two processes counting: every interleaving once, finished state stutters', () => {
    // Each process: a -> b (x := x + 1) -> Done. 3 x 3 pc combinations; x follows from them.
    const { r, engine } = run({
      globals: [{ name: 'x', inits: [0] }],
      processes: [{ name: 'P', ids: [1, 2], labels: ['a', 'b'] }],
      bodies: (L) => ({ a: [assign(g(0), add(G(0), lit(1))), goto(L('b'))], b: [done] }),
    });
    // generated: 1 initial + 12 steps (each process is not finished in 6 of the 9 states) + 1 stutter.
    expect(figures(r)).toEqual({ verdict: 'ok', distinct: 9, generated: 14, depth: 5 });
    expect(r.finishedStates).toBe(1);
    expect(engine.decode(0)).toEqual({ globals: [0], pcs: ['a', 'a'], pvars: [[], []], stacks: [mkTuple([]), mkTuple([])] });
    expect(Array.from(engine.pcLabels(1, new Int32Array(2)))).toEqual([1, 0]);
    expect(engine.allDone(8)).toBe(true);
    expect(engine.decode(8).globals).toEqual([2]);
    expect(engine.storeBytes()).toBeGreaterThan(0);
  });

  test('several initial states: the product in canonical order, locals per instance with self', () => {
    const { r, engine } = run(
      {
        globals: [{ name: 'y', inits: [1, 2] }],
        pvars: [
          { name: 'l', owner: ['process', 0], initKind: '\\in', init: set({ k: 'self' }, add({ k: 'self' }, lit(10))) },
          { name: 'm', owner: ['process', 1], init: lit('q') },
          { name: 'arg', owner: ['procedure', 0] },
        ],
        processes: [{ name: 'P', ids: [1, 2], labels: ['a'], locals: [0] }, { name: 'Q', ids: ['q'], labels: ['c'], locals: [1] }],
        procedures: [{ name: 'Proc', params: [2], locals: [], labels: ['pa'] }],
        bodies: () => ({ a: [awaitS(lit(false)), done], c: [awaitS(lit(false)), done], pa: [ret(0)] }),
      },
      false,
    );
    expect(figures(r)).toEqual({ verdict: 'ok', distinct: 8, generated: 8, depth: 1 });
    const dflt = new ModelValue('defaultInitValue');
    expect(engine.decode(0).pvars).toEqual([[1, null, dflt], [2, null, dflt], [null, 'q', dflt]]);
    expect(engine.decode(1).pvars[1][0]).toBe(12);
    expect(engine.decode(2).pvars[0][0]).toBe(11);
    expect(engine.decode(4).globals).toEqual([2]);
  });

  test('either and with fork, in program order, and the statements after them run on every path', () => {
    const { r, engine } = run({
      globals: [{ name: 'x', inits: [0] }, { name: 'y', inits: [0] }],
      processes: [{ name: 'P', ids: [1], labels: ['a'] }],
      bodies: () => ({
        a: [withS(1, ints(3, 1, 2), [either([assign(g(0), B(1))], [assign(g(0), { k: 'neg', arg: B(1), span: sp })])]), assign(g(1), add(G(0), lit(10))), done],
      }),
    });
    expect(figures(r)).toEqual({ verdict: 'ok', distinct: 7, generated: 13, depth: 2 });
    expect([1, 2, 3, 4, 5, 6].map((id) => engine.decode(id).globals)).toEqual([[1, 11], [-1, 9], [2, 12], [-2, 8], [3, 13], [-3, 7]]);
  });

  test('paths that reach the same state are generated twice and stored once', () => {
    const { r } = run({
      globals: [{ name: 'x', inits: [0] }],
      processes: [{ name: 'P', ids: [1], labels: ['a'] }],
      bodies: () => ({ a: [either([assign(g(0), lit(1))], [assign(g(0), lit(1))]), done] }),
    });
    expect(figures(r)).toEqual({ verdict: 'ok', distinct: 2, generated: 4, depth: 2 });
  });

  test('a finished process is one state whichever label it finished from', () => {
    const { r } = run({
      globals: [{ name: 'x', inits: [0] }],
      processes: [{ name: 'P', ids: [1], labels: ['a', 'b'] }],
      bodies: (L) => ({ a: [assign(g(0), lit(1)), either([goto(L('b'))], [done])], b: [done] }),
    });
    // init, then (x=1, b) and (x=1, Done); b's done reaches the same finished state again.
    expect(figures(r)).toEqual({ verdict: 'ok', distinct: 3, generated: 5, depth: 2 });
    expect(r.finishedStates).toBe(1);
  });

  test('with over the empty set and a false await disable the step; deadlock on and off', () => {
    const spec: Spec = {
      globals: [{ name: 'x', inits: [0] }],
      processes: [{ name: 'P', ids: [1], labels: ['a', 'b'] }, { name: 'Q', ids: [2], labels: ['c'] }],
      bodies: (L) => ({
        a: [awaitS(eq(G(0), lit(1))), assign(g(0), lit(5)), awaitS(eq(G(0), lit(5))), goto(L('b'))],
        b: [withS(1, lit(mkSet([])), [done])],
        c: [assign(g(0), lit(1)), done],
      }),
    };
    // P waits for Q: init -Q-> (x=1, a, Done) -P-> (x=5, b, Done), where b's with has nothing to bind.
    const on = run(spec).r;
    expect(figures(on)).toEqual({ verdict: 'deadlock', distinct: 3, generated: 3, depth: 3 });
    expect(on.failure?.property).toBe('Deadlock');
    expect(on.trace?.map((s) => s.state.pcs)).toEqual([['a', 'c'], ['a', 'Done'], ['b', 'Done']]);
    expect(figures(run(spec, false).r)).toEqual({ verdict: 'ok', distinct: 3, generated: 3, depth: 3 });
  });
});

// ------------------------------------------------------------------ statements

describe('statements', () => {
  test('assignment is simultaneous within a statement and sequential across statements', () => {
    const { engine } = run({
      globals: [{ name: 'x', inits: [1] }, { name: 'y', inits: [2] }, { name: 'f', inits: [mkTuple([10, 20])] }, { name: 'z', inits: [0] }],
      processes: [{ name: 'P', ids: [1], labels: ['a'] }],
      bodies: () => ({
        a: [
          assignMany([[g(0), []], [g(1), []]], [G(1), G(0)]),
          assignMany([[g(2), [lit(1)]], [g(2), [lit(2)]]], [ap(G(2), lit(2)), ap(G(2), lit(1))]),
          assign(g(3), add(G(0), ap(G(2), lit(1)))),
          done,
        ],
      }),
    });
    expect(engine.decode(1).globals).toEqual([2, 1, mkTuple([20, 10]), 22]);
  });

  test('assignment to a record field and a nested path, and to the own process variable', () => {
    const { engine } = run({
      globals: [{ name: 'r', inits: [mkRecord({ a: mkTuple([1, 2]), b: 0 })] }],
      pvars: [{ name: 'l', owner: ['process', 0], init: lit(0) }],
      processes: [{ name: 'P', ids: [1], labels: ['a'], locals: [0] }],
      bodies: () => ({ a: [assign(g(0), lit(9), [lit('a'), lit(2)]), assign(pv(0), ap(ap(G(0), lit('a')), lit(2))), done] }),
    });
    expect(engine.decode(1).globals).toEqual([mkRecord({ a: mkTuple([1, 9]), b: 0 })]);
    expect(engine.decode(1).pvars).toEqual([[9]]);
  });

  test('if, let and print', () => {
    const { engine } = run({
      globals: [{ name: 'x', inits: [3] }, { name: 'y', inits: [0] }],
      processes: [{ name: 'P', ids: [1], labels: ['a'] }],
      bodies: () => ({
        a: [
          { k: 'print', value: ap(G(0), lit(99)), span: sp },
          ifS(bin('>', G(0), lit(2)), [letS(4, add(G(0), lit(1)), [assign(g(1), B(4))])], [assign(g(1), lit(-1))]),
          assign(g(0), add(G(1), lit(100))),
          done,
        ],
      }),
    });
    expect(engine.decode(1).globals).toEqual([104, 4]);
  });

  test('an assertion fails at its step: kind assert, the failing step and the trace before it', () => {
    const { r } = run({
      globals: [{ name: 'x', inits: [0] }],
      processes: [{ name: 'P', ids: [1], labels: ['a'] }, { name: 'Q', ids: [2], labels: ['c'] }],
      bodies: (L) => ({
        a: [awaitS(lit(false)), done],
        c: [assign(g(0), add(G(0), lit(1))), check(bin('#', G(0), lit(3)), 'Assertion'), goto(L('c'))],
      }),
    });
    expect(r.verdict).toBe('violation');
    expect(r.failure).toEqual({ kind: 'assert', property: 'Assertion', message: 'Assertion fails', span: sp });
    expect(r.failingStep).toEqual({ instance: 1, label: 1 });
    expect(r.trace?.map((s) => s.state.globals[0])).toEqual([0, 1, 2]);
    expect(r.distinct).toBe(3);
  });

  test('a built-in check has kind builtin', () => {
    const { r } = run({
      globals: [{ name: 'x', inits: [0] }],
      processes: [{ name: 'P', ids: [1], labels: ['a'] }],
      bodies: () => ({ a: [check(lit(false), 'UnlockNotHeld'), done] }),
    });
    expect(r.failure?.kind).toBe('builtin');
    expect(r.failure?.property).toBe('UnlockNotHeld');
  });

  test('call and return: the frame saves the callee variables, return restores them (recursion)', () => {
    // Down(k) with local t = <<k>>: d1: if k > 0 then call Down(k - 1) returning to d2 else return;
    // d2: x := x + k + 10 * t[1]; return.
    const { r, engine } = run({
      globals: [{ name: 'x', inits: [0] }],
      pvars: [{ name: 'k', owner: ['procedure', 0] }, { name: 't', owner: ['procedure', 0], init: tup(PV(0)) }],
      processes: [{ name: 'P', ids: [1], labels: ['a', 'b'] }],
      procedures: [{ name: 'Down', params: [0], locals: [1], labels: ['d1', 'd2'] }],
      bodies: (L) => ({
        a: [call(0, [lit(2)], L('b'))],
        b: [done],
        d1: [ifS(bin('>', PV(0), lit(0)), [call(0, [bin('-', PV(0), lit(1))], L('d2'))], [ret(0)])],
        d2: [assign(g(0), add(G(0), add(PV(0), bin('*', ap(PV(1), lit(1)), lit(10))))), ret(0)],
      }),
    });
    // init, three calls, the innermost return, two d2 steps (each returns), done.
    expect(figures(r)).toEqual({ verdict: 'ok', distinct: 8, generated: 9, depth: 8 });
    const dflt = new ModelValue('defaultInitValue');
    const frame = (pc: string, k: Value) => mkFn([['procedure', 'Down'], ['pc', pc], ['k', k], ['t', mkTuple([k])]]);
    expect(engine.decode(0).pvars).toEqual([[dflt, mkTuple([dflt])]]);
    expect(engine.decode(1)).toEqual({ globals: [0], pcs: ['d1'], pvars: [[2, mkTuple([2])]], stacks: [mkTuple([frame('b', dflt)])] });
    expect(engine.decode(3).stacks).toEqual([mkTuple([frame('d2', 1), frame('d2', 2), frame('b', dflt)])]);
    expect(engine.decode(4)).toEqual({ globals: [0], pcs: ['d2'], pvars: [[1, mkTuple([1])]], stacks: [mkTuple([frame('d2', 2), frame('b', dflt)])] });
    // d2 with k = 1 adds 11, with k = 2 adds 22; after the last return the variables are as before the call.
    expect(engine.decode(6)).toEqual({ globals: [33], pcs: ['b'], pvars: [[dflt, mkTuple([dflt])]], stacks: [mkTuple([])] });
    expect(engine.decode(7).pcs).toEqual(['Done']);
  });

  test('an assignment that changes a fixed domain is a runtime error', () => {
    const shape: Shape = { kind: 'fn', domain: [1, 2], elem: leaf };
    const spec = (s: Stmt): Spec => ({
      globals: [{ name: 'f', inits: [mkTuple([0, 0])], shape }],
      processes: [{ name: 'P', ids: [1], labels: ['a'] }],
      bodies: () => ({ a: [s, done] }),
    });
    const whole = run(spec(assign(g(0), lit(mkTuple([0]))))).r;
    expect(whole.failure).toMatchObject({ kind: 'runtime', property: 'RuntimeError', message: 'assignment changes the domain of f', span: sp });
    expect(whole.failingStep).toEqual({ instance: 0, label: 0 });
    expect(run(spec(assign(g(0), lit(1), [lit(3)]))).r.failure?.message).toMatch(/3 is not in the domain/);
    expect(run(spec(assign(g(0), lit(7), [lit(2)]))).r.verdict).toBe('ok');
  });
});

// ------------------------------------------------------------------ runtime errors

describe('runtime errors', () => {
  test('stop the search with RuntimeError at the step', () => {
    const { r } = run({
      globals: [{ name: 'x', inits: [0] }],
      processes: [{ name: 'P', ids: [1], labels: ['a', 'b'] }],
      bodies: (L) => ({ a: [assign(g(0), lit(1)), goto(L('b'))], b: [assign(g(0), ap(lit(mkTuple([5])), lit(2))), done] }),
    });
    expect(r.verdict).toBe('error');
    expect(r.failure).toMatchObject({ kind: 'runtime', property: 'RuntimeError', span: sp });
    expect(r.failure?.message).toBe('2 is not in the domain of <<5>>');
    expect(r.failingStep).toEqual({ instance: 0, label: 1 });
    expect(r.trace?.length).toBe(2);
  });

  test('each kind of evaluation error', () => {
    expectError({ k: 'choose', bound: 1, set: lit(mkSet([])), cond: lit(true), span: sp }, /runtime: CHOOSE found no element/);
    expectError({ k: 'case', arms: [{ cond: lit(false), value: lit(1) }], other: null, span: sp }, /no CASE arm/);
    expectError(add(lit(2 ** 28 - 1), lit(1)), /outside -2\^28/);
    expectError(add(lit('a'), lit(1)), /the left of \+ must be an integer/);
    expectError({ k: 'ite', cond: lit(1), then: lit(1), else: lit(2) }, /the condition of IF must be a boolean/);
    expectError({ k: 'pcOf', proc: lit(7) }, /7 is not a process/);
    expectError(builtin('Head', lit(mkTuple([]))), /Head of the empty sequence/);
  });

  test('a non-boolean await condition is an error, not a disabled step', () => {
    const { r } = run({ processes: [{ name: 'P', ids: [1], labels: ['a'] }], bodies: () => ({ a: [awaitS(lit(1)), done] }) });
    expect(r.failure?.message).toMatch(/the condition of await must be a boolean/);
  });

  test('an error while computing the initial states', () => {
    const { r } = run({
      pvars: [{ name: 'l', owner: ['process', 0], init: ap(lit(mkTuple([])), lit(1)) }],
      processes: [{ name: 'P', ids: [1], labels: ['a'], locals: [0] }],
      bodies: () => ({ a: [done] }),
    });
    expect(r.failure).toMatchObject({ kind: 'runtime', property: 'RuntimeError' });
    expect(r.trace).toEqual([]);
  });
});

// ------------------------------------------------------------------ properties

describe('invariants and final properties', () => {
  const loop = (invariants: Spec['invariants']): Spec => ({
    globals: [{ name: 'x', inits: [0] }],
    processes: [{ name: 'P', ids: [1], labels: ['a'] }],
    bodies: (L) => ({ a: [either([assign(g(0), add(G(0), lit(1)))], [assign(g(0), add(G(0), lit(2)))]), goto(L('a'))] }),
    invariants,
  });

  test('an invariant violation comes with the shortest trace', () => {
    const { r } = run(loop([['Small', bin('<', G(0), lit(4))]]));
    // 0 -> 2 -> 4 is shorter than 0 -> 1 -> 3 -> 4.
    expect(r.failure).toEqual({ kind: 'invariant', property: 'Small', message: 'invariant Small is violated', span: sp });
    expect(r.trace?.map((s) => s.state.globals[0])).toEqual([0, 2, 4]);
    expect(r.trace?.map((s) => s.label)).toEqual([-1, 0, 0]);
    expect(r.failingStep).toBeNull();
    expect(r.distinct).toBe(5);
  });

  test('built-in invariants, invariants in the initial state, and errors in an invariant', () => {
    expect(run(loop([['Ok', lit(true)], ['NoLeak', bin('<', G(0), lit(2)), true]])).r.failure?.kind).toBe('builtin');
    const initial = run(loop([['Never', lit(false)]])).r;
    expect(initial.trace?.length).toBe(1);
    expect(initial.distinct).toBe(1);
    const notBool = run(loop([['Odd', G(0)]])).r.failure;
    expect(notBool).toMatchObject({ kind: 'runtime', property: 'RuntimeError' });
    expect(notBool?.message).toMatch(/invariant Odd: invariant Odd must be a boolean/);
    expect(run(loop([['Bad', eq(ap(lit(mkTuple([])), G(0)), lit(1))]])).r.failure?.message).toMatch(/Bad: 0 is not in the domain/);
  });

  test('final properties are checked only once every process has finished', () => {
    const { r } = run({
      globals: [{ name: 'x', inits: [0] }],
      processes: [{ name: 'P', ids: [1], labels: ['a', 'b'] }],
      bodies: (L) => ({ a: [assign(g(0), lit(1)), goto(L('b'))], b: [done] }),
      finals: [['XIsTwo', eq(G(0), lit(2))]],
    });
    expect(r.failure).toMatchObject({ kind: 'final', property: 'XIsTwo' });
    expect(r.trace?.length).toBe(3);
  });
});

// ------------------------------------------------------------------ expressions

describe('expressions', () => {
  const fact: Program['recFns'] = [
    {
      name: 'fact',
      param: 50,
      domain: bin('..', lit(0), lit(5)),
      body: {
        k: 'ite',
        cond: eq(B(50), lit(0)),
        then: lit(1),
        else: bin('*', B(50), { k: 'recCall', fn: 0, arg: bin('-', B(50), lit(1)), span: sp }),
      },
    },
  ];
  const recSpec: Partial<Spec> = { recFns: fact };

  test('arithmetic, comparison and equality', () => {
    expectValue(tup(bin('div', lit(-7), lit(2)), bin('%', lit(-7), lit(3)), bin('*', lit(6), lit(7)), { k: 'neg', arg: lit(4), span: sp }), mkTuple([-4, 2, 42, -4]));
    expectValue(tup(bin('<=', lit(2), lit(2)), bin('>', lit(1), lit(2)), eq(lit(1), lit(2)), bin('#', lit(mkSet([1])), lit(mkSet([1])))), mkTuple([true, false, false, false]));
    expectValue(bin('equiv', lit(false), lit(false)), true);
  });

  test('boolean connectives short-circuit left to right', () => {
    const boom = eq(ap(lit(mkTuple([])), lit(1)), lit(1));
    expectValue({ k: 'and', args: [lit(true), lit(false), boom] }, false);
    expectValue({ k: 'or', args: [lit(false), lit(true), boom] }, true);
    expectValue({ k: 'implies', left: lit(false), right: boom }, true);
    expectValue({ k: 'not', arg: lit(false) }, true);
    expectError({ k: 'and', args: [lit(true), lit(3)] }, /an operand of \/\\ must be a boolean/);
  });

  test('sets', () => {
    expectValue(bin('cup', ints(1, 2), ints(3)), mkSet([1, 2, 3]));
    expectValue(bin('cap', ints(1, 2), ints(2, 3)), mkSet([2]));
    expectValue(bin('minus', ints(1, 2), ints(2, 3)), mkSet([1]));
    expectValue(bin('..', lit(2), lit(4)), mkSet([2, 3, 4]));
    expectValue(bin('subseteq', ints(1), ints(1, 2)), true);
    expectValue(bin('cross', ints(1, 2), lit(mkSet(['a']))), mkSet([mkTuple([1, 'a']), mkTuple([2, 'a'])]));
    expectValue(builtin('SUBSET', ints(1, 2)), mkSet([mkSet([]), mkSet([1]), mkSet([2]), mkSet([1, 2])]));
    expectValue(builtin('UNION', set(ints(1), ints(2, 3))), mkSet([1, 2, 3]));
    expectValue(builtin('Cardinality', ints(4, 5, 6)), 3);
    expectValue(builtin('DOMAIN', lit(mkRecord({ a: 1, b: 2 }))), mkSet(['a', 'b']));
    expectValue({ k: 'recordSet', names: ['a', 'b'], sets: [ints(1, 2), ints(3)], span: sp }, mkSet([mkRecord({ a: 1, b: 3 }), mkRecord({ a: 2, b: 3 })]));
    expectValue({ k: 'fnSet', domain: ints(1, 2), range: lit(mkSet([true])), span: sp }, mkSet([mkTuple([true, true])]));
    expectValue({ k: 'setFilter', bound: 1, set: bin('..', lit(1), lit(6)), cond: eq(bin('%', B(1), lit(2)), lit(0)), span: sp }, mkSet([2, 4, 6]));
    expectValue({ k: 'setMap', bounds: [1, 2], sets: [ints(1, 2), ints(10, 20)], body: add(B(1), B(2)), span: sp }, mkSet([11, 12, 21, 22]));
  });

  test('membership in [S -> T], SUBSET S and [a : S] is decided without building the set', () => {
    const big = bin('..', lit(1), lit(30));
    const f = lit(mkFn(Array.from({ length: 30 }, (_, i) => [i + 1, mkSet([i])] as [Value, Value])));
    const fns = { k: 'fnSet', domain: big, range: builtin('SUBSET', bin('..', lit(0), lit(40))), span: sp } as Expr;
    expectValue(bin('in', f, fns), true);
    expectValue(bin('notin', lit(mkTuple([mkSet([99])])), fns), true);
    expectValue(bin('in', ints(3, 30), builtin('SUBSET', big)), true);
    expectValue(bin('in', lit(mkSet([31])), builtin('SUBSET', big)), false);
    const recs = { k: 'recordSet', names: ['a', 'b'], sets: [big, builtin('SUBSET', big)], span: sp } as Expr;
    expectValue(bin('in', lit(mkRecord({ a: 1, b: mkSet([2]) })), recs), true);
    expectValue(bin('in', lit(mkRecord({ a: 1 })), recs), false);
    expectValue(bin('in', lit(2), ints(1, 2)), true);
  });

  test('functions, records, tuples and sequences', () => {
    expectValue({ k: 'record', names: ['a', 'b'], values: [lit(1), lit(2)] }, mkRecord({ a: 1, b: 2 }));
    expectValue({ k: 'fnCons', bounds: [1], sets: [ints(1, 2)], body: bin('*', B(1), lit(10)), span: sp }, mkTuple([10, 20]));
    expectValue(
      { k: 'fnCons', bounds: [1, 2], sets: [ints(1, 2), ints(5)], body: add(B(1), B(2)), span: sp },
      mkFn([[mkTuple([1, 5]), 6], [mkTuple([2, 5]), 7]]),
    );
    const s = lit(mkTuple([1, 2, 3]));
    expectValue(
      tup(builtin('Len', s), builtin('Append', s, lit(4)), builtin('Head', s), builtin('Tail', s), builtin('SubSeq', s, lit(2), lit(3)), bin('concat', s, tup(lit(9)))),
      mkTuple([3, mkTuple([1, 2, 3, 4]), 1, mkTuple([2, 3]), mkTuple([2, 3]), mkTuple([1, 2, 3, 9])]),
    );
  });

  test('EXCEPT applies its updates in order, with @ the old value at the path', () => {
    const r = lit(mkRecord({ a: mkTuple([1, 2]), b: 5 }));
    expectValue(
      {
        k: 'except',
        fn: r,
        updates: [
          { path: [lit('a'), lit(2)], at: 1, value: add(B(1), lit(10)) },
          { path: [lit('b')], at: 2, value: lit(0) },
          { path: [lit('b')], at: 3, value: add(B(3), lit(1)) },
        ],
        span: sp,
      },
      mkRecord({ a: mkTuple([1, 12]), b: 1 }),
    );
    expectError({ k: 'except', fn: r, updates: [{ path: [lit('c')], at: 1, value: lit(0) }], span: sp }, /"c" is not in the domain/);
  });

  test('IF, CASE, quantifiers, CHOOSE and LET', () => {
    expectValue({ k: 'ite', cond: lit(false), then: lit(1), else: lit(2) }, 2);
    const arms = [{ cond: lit(false), value: lit(1) }, { cond: lit(true), value: lit(2) }, { cond: lit(true), value: lit(3) }];
    expectValue({ k: 'case', arms, other: null, span: sp }, 2);
    expectValue({ k: 'case', arms: arms.slice(0, 1), other: lit(9), span: sp }, 9);
    const quant = (forall: boolean, sets: Expr[], body: Expr): Expr => ({ k: 'quant', forall, bounds: [1, 2], sets, body, span: sp });
    expectValue(quant(true, [ints(1, 2), ints(3, 4)], bin('<', B(1), B(2))), true);
    expectValue(quant(false, [ints(1, 2), ints(3, 4)], eq(add(B(1), B(2)), lit(6))), true);
    expectValue(quant(false, [ints(1), lit(mkSet([]))], lit(true)), false);
    expectValue(quant(true, [ints(1), lit(mkSet([]))], lit(false)), true);
    // \E stops at the first witness: the error for 2 is never reached.
    expectValue(quant(false, [ints(1, 2), ints(0)], eq(ap(lit(mkTuple([7])), B(1)), lit(7))), true);
    expectValue({ k: 'choose', bound: 1, set: ints(3, 1, 2), cond: bin('>', B(1), lit(1)), span: sp }, 2);
    expectValue({ k: 'letIn', bound: 1, value: lit(5), body: bin('*', B(1), B(1)) }, 25);
  });

  test('recursive functions: calls, the function value, and the domain check', () => {
    expectValue({ k: 'recCall', fn: 0, arg: lit(5), span: sp }, 120, recSpec);
    expectValue({ k: 'recFnValue', fn: 0, span: sp }, mkTuple([1, 1, 2, 6, 24, 120]).mapKeys((k) => (k as number) - 1), recSpec);
    expect(() => value({ k: 'recCall', fn: 0, arg: lit(6), span: sp }, recSpec)).toThrow(/6 is not in the domain of fact/);
  });

  test('processes: self, pc, and other processes variables', () => {
    const spec: Partial<Spec> = {
      pvars: [{ name: 'l', owner: ['process', 0], init: bin('*', { k: 'self' }, lit(10)) }],
      processes: [{ name: 'P', ids: [1, 2], labels: ['a'], locals: [0] }],
    };
    const e = tup(
      { k: 'self' },
      { k: 'pcOf', proc: lit(2) },
      { k: 'pcFn' },
      { k: 'pvar', index: 0 },
      { k: 'pvarOf', index: 0, proc: lit(2) },
      { k: 'pvarFn', index: 0 },
    );
    const { engine } = run({ globals: [{ name: 'x', inits: [0] }], ...spec, bodies: () => ({ a: [assign(g(0), e), done] }) } as Spec);
    expect(engine.decode(1).globals[0]).toEqual(mkTuple([1, 'a', mkFn([[1, 'a'], [2, 'a']]), 10, 20, mkFn([[1, 10], [2, 20]])]));
  });

  test('a checked expression: its value, or a failure naming its property', () => {
    const checked = (cond: Expr, property: string): Expr => ({ k: 'checked', cond, property, message: `${property} broken`, value: lit(4), span: sp });
    expectValue(checked(lit(true), 'UseAfterFree'), 4);
    const { r } = run({
      globals: [{ name: 'x', inits: [0] }],
      processes: [{ name: 'P', ids: [1], labels: ['a'] }],
      bodies: () => ({ a: [assign(g(0), checked(lit(false), 'UseAfterFree')), done] }),
    });
    expect(r.failure).toEqual({ kind: 'builtin', property: 'UseAfterFree', message: 'UseAfterFree broken', span: sp });
    expect(r.failingStep).toEqual({ instance: 0, label: 0 });
    expect(() => value(checked(lit(false), 'Assertion'))).toThrow(/^assert: Assertion broken/);
  });

  test('closed expressions, as the front end evaluates constants', () => {
    expect(evaluateConstant(add(lit(1), lit(2)), undefined, [])).toBe(3);
    expect(evaluateConstant(bin('*', { k: 'self' }, lit(2)), 21, [])).toBe(42);
    expect(evaluateConstant({ k: 'recCall', fn: 0, arg: lit(4), span: sp }, undefined, fact)).toBe(24);
    expect(() => evaluateConstant({ k: 'self' }, undefined, [])).toThrow(/self is used outside a process/);
  });
});

// ------------------------------------------------------------------ the examples, against TLC

type Want = { distinct: number; generated: number; depth: number } | { violated: string; traceLength: number };
const examples: [string, [string, string][], boolean, Want][] = [
  ['peterson', [], true, { distinct: 42, generated: 77, depth: 11 }],
  ['ticketlock', [], true, { distinct: 16412, generated: 50317, depth: 46 }],
  ['ticketlock', [['MAXT', '1']], true, { violated: 'Mutex', traceLength: 9 }],
  ['refpool', [], false, { distinct: 196, generated: 404, depth: 11 }],
  ['refpool', [['USERS', '{u1, u2, u3}']], false, { distinct: 1372, generated: 3696, depth: 15 }],
  ['refpool', [['ATOMIC_PUT', 'FALSE']], false, { violated: 'NoUseAfterFree', traceLength: 9 }],
  ['lockinc', [], true, { distinct: 22436, generated: 47749, depth: 49 }],
];

describe('examples against TLC', () => {
  test.each(examples)('%s %j', async (name, consts, deadlock, want) => {
    const { loadModel } = await import('../../../src/pipeline/load-model.js');
    const path = `examples/${name}.lspec`;
    expect(existsSync(path)).toBe(true);
    const loaded = loadModel(path, { consts });
    expect(loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
    const r = explore(new ReferenceEngine(loaded.program!), { deadlock });
    if ('violated' in want) {
      expect({ verdict: r.verdict, violated: r.failure?.property, traceLength: r.trace?.length }).toEqual({ verdict: 'violation', ...want });
    } else {
      expect(figures(r)).toEqual({ verdict: 'ok', ...want });
    }
  }, 120_000);
});
