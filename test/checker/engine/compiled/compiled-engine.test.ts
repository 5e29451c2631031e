// The compiled engine against the reference evaluator: small hand-built IR programs for each
// statement and expression kind (same verdict, failure, counts, depth and trace, state for state),
// and the example models against TLC's figures.
import type { Span } from '../../../../src/parser/ast.js';
import type { BinOp, BuiltinOp, Expr, Program, Shape, Stmt, Target } from '../../../../src/lang/ir.js';
import { ModelValue, mkFn, mkRecord, mkSet, mkTuple, showValue, type Value } from '../../../../src/lang/values.js';
import { CompiledEngine } from '../../../../src/checker/engine/compiled/compiled-engine.js';
import { ReferenceEngine } from '../../../../src/checker/engine/reference-engine.js';
import { explore } from '../../../../src/checker/search/breadth-first.js';
import type { ExploreResult } from '../../../../src/checker/search/results.js';
import { loadModel } from '../../../../src/pipeline/load-model.js';

// ------------------------------------------------------------------ a tiny IR builder

const span: Span = { file: 'test', start: 0, end: 0 };
const leaf: Shape = { kind: 'leaf' };
const fnShape = (domain: Value[], elem: Shape = leaf): Shape => ({ kind: 'fn', domain, elem });

const lit = (value: Value): Expr => ({ k: 'lit', value });
const G = (index: number): Expr => ({ k: 'global', index });
const P = (index: number): Expr => ({ k: 'pvar', index });
const self: Expr = { k: 'self' };
const b = (id: number): Expr => ({ k: 'bound', id, name: `x${id}` });
const bin = (op: BinOp, left: Expr, right: Expr): Expr => ({ k: 'bin', op, left, right, span });
const ap = (fn: Expr, arg: Expr): Expr => ({ k: 'apply', fn, arg, span });
const eq = (l: Expr, r: Expr): Expr => bin('=', l, r);
const set = (...xs: Value[]): Expr => lit(mkSet(xs));

const gT = (index: number, ...path: Expr[]): Target => ({ ref: { kind: 'global', index }, path });
const pT = (index: number, ...path: Expr[]): Target => ({ ref: { kind: 'pvar', index }, path });
const assign = (targets: Target[], values: Expr[]): Stmt => ({ k: 'assign', targets, values, span });
const set1 = (t: Target, v: Expr): Stmt => assign([t], [v]);
const goto = (label: number): Stmt => ({ k: 'goto', label, span });
const done: Stmt = { k: 'done', span };
const awaitS = (cond: Expr): Stmt => ({ k: 'await', cond, span });
const ifS = (cond: Expr, then: Stmt[], els: Stmt[]): Stmt => ({ k: 'if', cond, then, else: els, span });
const either = (...branches: Stmt[][]): Stmt => ({ k: 'either', branches, span });
const withS = (bound: number, s: Expr, body: Stmt[]): Stmt => ({ k: 'with', bound, set: s, body, span });
const check = (cond: Expr, property = 'Assertion'): Stmt => ({ k: 'check', cond, property, message: `${property} failed`, span });

interface Model {
  globals?: [string, Value[], Shape?][];
  /** Process templates: name, ids, labels (name, body), locals (name, init, kind, shape). */
  processes: { name: string; ids: Value[]; labels: [string, Stmt[]][]; locals?: [string, Expr, ('=' | '\\in')?, Shape?][] }[];
  procedures?: { name: string; params: string[]; locals: [string, Expr][]; labels: [string, Stmt[]][] }[];
  invariants?: [string, Expr][];
  finals?: [string, Expr][];
}

/** Labels are numbered in order: every process's, then every procedure's. */
function build(m: Model): Program {
  const program: Program = {
    name: 'T', design: null, constants: [], processVars: [], processes: [], procedures: [], instances: [], labels: [],
    recFns: [], disabled: [], locks: [],
    globals: (m.globals ?? []).map(([name, inits, shape]) => ({ name, inits, shape: shape ?? leaf, span })),
    invariants: (m.invariants ?? []).map(([name, body]) => ({ name, body, builtin: false, span })),
    finals: (m.finals ?? []).map(([name, body]) => ({ name, body, builtin: false, span })),
  };
  m.processes.forEach((p, t) => {
    const entry = program.labels.length;
    for (const [name, body] of p.labels) program.labels.push({ name, owner: { kind: 'process', index: t }, description: null, cost: 1, span, body });
    const locals = (p.locals ?? []).map(([name, init, kind, shape]) => {
      program.processVars.push({ name, owner: { kind: 'process', index: t }, initKind: kind ?? '=', init, shape: shape ?? leaf, span });
      return program.processVars.length - 1;
    });
    program.processes.push({ name: p.name, entry, locals, span });
    for (const id of p.ids) program.instances.push({ template: t, id, display: `${p.name}(${showValue(id)})` });
  });
  (m.procedures ?? []).forEach((q, index) => {
    const entry = program.labels.length;
    for (const [name, body] of q.labels) program.labels.push({ name, owner: { kind: 'procedure', index }, description: null, cost: 1, span, body });
    const add = (name: string, init: Expr | null): number => {
      program.processVars.push({ name, owner: { kind: 'procedure', index }, initKind: '=', init, shape: leaf, span });
      return program.processVars.length - 1;
    };
    const params = q.params.map((n) => add(n, null));
    const locals = q.locals.map(([n, init]) => add(n, init));
    program.procedures.push({ name: q.name, params, locals, entry, span });
  });
  return program;
}

// ------------------------------------------------------------------ running both engines

function run(program: Program, deadlock = true): [ExploreResult, ExploreResult] {
  const ref = explore(new ReferenceEngine(program), { deadlock });
  const comp = explore(new CompiledEngine(program), { deadlock });
  return [ref, comp];
}

const viewText = (r: ExploreResult): string[] | undefined =>
  r.trace?.map((s) => JSON.stringify([s.instance, s.label, s.state.pcs, s.state.globals.map(showValue), s.state.pvars.map((vs) => vs.map((v) => (v === null ? null : showValue(v)))), s.state.stacks.map(showValue)]));

/** Both engines agree on everything; returns the compiled engine's result. */
function agree(program: Program, deadlock = true): ExploreResult {
  const [ref, comp] = run(program, deadlock);
  expect({ verdict: comp.verdict, failure: comp.failure, failingStep: comp.failingStep }).toEqual({
    verdict: ref.verdict, failure: ref.failure, failingStep: ref.failingStep,
  });
  expect([comp.distinct, comp.generated, comp.depth, comp.trace?.length, comp.finishedStates]).toEqual([
    ref.distinct, ref.generated, ref.depth, ref.trace?.length, ref.finishedStates,
  ]);
  expect(viewText(comp)).toEqual(viewText(ref));
  expect(Array.from(comp.executed)).toEqual(Array.from(ref.executed));
  return comp;
}

// ------------------------------------------------------------------ statements

test('a counting loop: assign, if, goto, done, invariant', () => {
  const r = agree(build({
    globals: [['x', [0]]],
    processes: [{ name: 'P', ids: ['p'], labels: [['a', [set1(gT(0), bin('+', G(0), lit(1))), ifS(bin('<', G(0), lit(3)), [goto(0)], [done])]]] }],
    invariants: [['Small', bin('<=', G(0), lit(3))]],
  }));
  // generated counts the stutter step of the finished state, as TLC does.
  expect([r.verdict, r.distinct, r.generated, r.depth]).toEqual(['ok', 4, 5, 4]);
});

test('pcLabels: the same labels on both engines, written into the array given', () => {
  const program = build({
    processes: [{ name: 'P', ids: [1, 2], labels: [['a', [goto(1)]], ['b', [done]]] }],
  });
  const engines = [new ReferenceEngine(program), new CompiledEngine(program)];
  const labels = engines.map((engine) => {
    explore(engine, { deadlock: false });
    const out = new Int32Array(2);
    return Array.from({ length: engine.size() }, (_, id) => {
      expect(engine.pcLabels(id, out.fill(7))).toBe(out);
      return Array.from(out);
    });
  });
  expect(labels[1]).toEqual(labels[0]);
  // Every pair of (a, b, finished) for two processes is reached.
  expect(new Set(labels[0].map((l) => l.join()))).toEqual(new Set(['0,0', '1,0', '0,1', '-1,0', '1,1', '0,-1', '-1,1', '1,-1', '-1,-1']));
});

test('either and with fork in order; with over an empty set and a false await disable', () => {
  const r = agree(build({
    globals: [['x', [0, 1]], ['y', [0]]],
    processes: [{
      name: 'P', ids: [1, 2], labels: [
        ['a', [either([set1(gT(0), bin('+', G(0), self))], [withS(1, set(3, 1, 2), [set1(gT(1), bin('*', b(1), self)), goto(1)])], [withS(2, set(), [goto(1)])]), goto(1)]],
        ['b', [awaitS(bin('<', G(0), lit(4))), either([set1(gT(0), lit(9)), done], [done])]],
      ],
    }],
  }), false);
  expect(r.verdict).toBe('ok');
});

test('deadlock when no process can move', () => {
  const r = agree(build({
    globals: [['x', [0]]],
    processes: [{ name: 'P', ids: [1, 2], labels: [['a', [set1(gT(0), bin('+', G(0), lit(1))), goto(1)]], ['b', [awaitS(eq(G(0), lit(5))), done]]] }],
  }));
  expect(r.verdict).toBe('deadlock');
});

test('a failing assert stops at the step, with the shortest trace', () => {
  const r = agree(build({
    globals: [['x', [0]]],
    processes: [{ name: 'P', ids: [1, 2], labels: [['a', [set1(gT(0), bin('+', G(0), self)), check(bin('<', G(0), lit(3))), goto(0)]]] }],
  }));
  expect([r.verdict, r.failure?.kind, r.failure?.property]).toEqual(['violation', 'assert', 'Assertion']);
});

test('built-in checks report kind builtin', () => {
  const r = agree(build({
    globals: [['x', [0]]],
    processes: [{ name: 'P', ids: [1], labels: [['a', [check(eq(G(0), lit(1)), 'NoLeak'), done]]] }],
  }));
  expect([r.failure?.kind, r.failure?.property]).toEqual(['builtin', 'NoLeak']);
});

test.each<[string, Stmt]>([
  ['integer overflow', set1(gT(0), bin('*', G(0), lit(2 ** 27)))],
  ['a key outside the domain', set1(gT(1, lit(7)), lit(1))],
  ['a read outside the domain', set1(gT(0), ap(G(1), lit(7)))],
  ['a non-boolean condition', awaitS(G(0))],
  ['an assignment that changes the domain', set1(gT(1), lit(mkFn([[1, 0]])))],
  ['a path into a non-function', set1(gT(0, lit(1)), lit(1))],
  ['CHOOSE with no element', set1(gT(0), { k: 'choose', bound: 1, set: set(1, 2), cond: lit(false), span })],
  ['division by zero', set1(gT(0), bin('div', G(0), lit(0)))],
  ['CASE with no true arm', set1(gT(0), { k: 'case', arms: [{ cond: lit(false), value: lit(1) }], other: null, span })],
  ['pc of no process', set1(gT(0), { k: 'pcOf', proc: lit('nobody') })],
])('runtime error: %s', (_, stmt) => {
  const r = agree(build({
    globals: [['x', [3]], ['f', [mkFn([[1, 0], [2, 0]])], fnShape([1, 2])]],
    processes: [{ name: 'P', ids: [1], labels: [['a', [set1(gT(0), bin('+', G(0), lit(1))), goto(1)]], ['b', [stmt, done]]] }],
  }));
  expect([r.verdict, r.failure?.kind, r.failure?.property]).toEqual(['error', 'runtime', 'RuntimeError']);
});

test.each<[string, Stmt, number]>([
  ['a read outside the domain', set1(gT(0), ap(G(1), lit(7))), 6002],
  ['a non-boolean condition', awaitS(G(0)), 6001],
  ['an assignment that changes the domain', set1(gT(1), lit(mkFn([[1, 0]]))), 6016],
  ['CHOOSE with no element', set1(gT(0), { k: 'choose', bound: 1, set: set(1, 2), cond: lit(false), span }), 6011],
  ['division by zero', set1(gT(0), bin('div', G(0), lit(0))), 6004],
  ['pc of no process', set1(gT(0), { k: 'pcOf', proc: lit('nobody') }), 6014],
])('runtime error: %s has its code in both engines', (_, stmt, code) => {
  const r = agree(build({
    globals: [['x', [3]], ['f', [mkFn([[1, 0], [2, 0]])], fnShape([1, 2])]],
    processes: [{ name: 'P', ids: [1], labels: [['a', [stmt, done]]] }],
  }));
  expect(r.failure?.code).toBe(code);
});

test('flattened functions and records: dynamic keys, nested paths, whole reads and writes', () => {
  const objs = [new ModelValue('o1'), new ModelValue('o2')];
  const rec = mkRecord({ refs: 0, live: true });
  const r = agree(build({
    globals: [
      ['arr', [mkFn([[1, 0], [2, 0], [3, 0]])], fnShape([1, 2, 3])],
      ['obj', [mkFn(objs.map((o) => [o, rec]))], fnShape(objs, fnShape(['live', 'refs']))],
      ['log', [mkTuple([])]],
    ],
    processes: [{
      name: 'P', ids: [1, 2], locals: [['mine', lit(objs[0])]], labels: [
        ['a', [withS(1, lit(mkSet(objs)), [
          assign([gT(0, self), pT(0)], [bin('+', ap(G(0), self), lit(1)), b(1)]),
          set1(gT(1, b(1), lit('refs')), bin('+', ap(ap(G(1), b(1)), lit('refs')), lit(1))),
          goto(1),
        ])]],
        ['b', [
          set1(gT(2), { k: 'builtin', op: 'Append', args: [G(2), ap(G(1), P(0))], span }),
          set1(gT(1, P(0)), { k: 'except', fn: ap(G(1), P(0)), updates: [{ path: [lit('live')], at: 5, value: { k: 'not', arg: b(5) } }], span }),
          ifS(eq(ap(G(0), self), lit(1)), [goto(0)], [done]),
        ]],
      ],
    }],
    invariants: [
      ['Typed', { k: 'bin', op: 'in', left: G(0), right: { k: 'fnSet', domain: set(1, 2, 3), range: bin('..', lit(0), lit(2)), span }, span }],
      ['Refs', { k: 'quant', forall: true, bounds: [3], sets: [lit(mkSet(objs))], body: bin('<=', ap(ap(G(1), b(3)), lit('refs')), lit(4)), span }],
    ],
  }));
  expect(r.verdict).toBe('ok');
});

test('call and return: frames on the stack, params and locals restored', () => {
  const r = agree(build({
    globals: [['x', [0]]],
    processes: [{
      name: 'P', ids: [1, 2], labels: [
        ['s', [{ k: 'call', procedure: 0, args: [self], returnTo: 1, span }]],
        ['t', [{ k: 'call', procedure: 0, args: [bin('+', self, lit(10))], returnTo: 2, span }]],
        ['u', [done]],
      ],
    }],
    procedures: [{
      name: 'add', params: ['n'], locals: [['acc', lit(0)]], labels: [
        ['p1', [set1(pT(1), bin('+', P(1), P(0))), goto(4)]],
        ['p2', [set1(gT(0), bin('+', G(0), P(1))), { k: 'return', procedure: 0, span }]],
      ],
    }],
    finals: [['Sum', eq(G(0), lit(1 + 11 + 2 + 12))]],
  }));
  expect(r.verdict).toBe('ok');
});

test('a failing final property', () => {
  const r = agree(build({
    globals: [['x', [0]]],
    processes: [{ name: 'P', ids: [1, 2], labels: [['a', [set1(gT(0), bin('+', G(0), self)), done]]] }],
    finals: [['Three', eq(G(0), lit(4))]],
  }));
  expect([r.verdict, r.failure?.kind]).toEqual(['violation', 'final']);
});

test('a non-boolean invariant is a runtime failure', () => {
  const r = agree(build({ globals: [['x', [0]]], processes: [{ name: 'P', ids: [1], labels: [['a', [done]]] }], invariants: [['Bad', G(0)]] }));
  expect([r.verdict, r.failure?.kind]).toEqual(['error', 'runtime']);
});

test('initial states: \\in globals and locals, product order', () => {
  const r = agree(build({
    globals: [['x', [0, 1, 2]]],
    processes: [{ name: 'P', ids: [1, 2], locals: [['l', bin('..', self, lit(2)), '\\in']], labels: [['a', [set1(pT(0), bin('+', P(0), G(0))), done]]] }],
  }));
  expect(r.distinct).toBeGreaterThan(6);
});

// ------------------------------------------------------------------ expressions

/** Each check must hold: a wrong value in either engine makes the verdicts differ. */
test('expression battery', () => {
  const S = set(1, 2, 3);
  const T = (...xs: Expr[]): Expr => ({ k: 'tuple', elems: xs });
  const B = (op: BuiltinOp, ...args: Expr[]): Expr => ({ k: 'builtin', op, args, span });
  const pvarI: Expr = { k: 'pvarFn', index: 0 };
  const facts: Expr[] = [
    eq(bin('-', lit(7), bin('%', lit(-7), lit(3))), lit(5)),
    eq(bin('div', lit(-7), lit(2)), lit(-4)),
    eq({ k: 'neg', arg: G(0), span }, lit(-1)),
    bin('in', lit(1), bin('..', lit(1), G(0))),
    bin('notin', lit(4), S),
    bin('subseteq', set(1, 2), S),
    eq(bin('cup', set(1), set(4)), set(1, 4)),
    eq(bin('cap', S, set(2, 9)), set(2)),
    eq(bin('minus', S, set(2)), set(1, 3)),
    eq(bin('concat', T(lit(1)), T(lit(2))), T(lit(1), lit(2))),
    eq(B('Cardinality', bin('cross', set(1, 2), set('a', 'b'))), lit(4)),
    eq(B('Cardinality', B('SUBSET', S)), lit(8)),
    eq(B('UNION', set(mkSet([1]), mkSet([2]))), set(1, 2)),
    eq(B('DOMAIN', T(lit('a'), lit('b'))), set(1, 2)),
    eq(B('Len', B('Append', T(lit(1)), lit(5))), lit(2)),
    eq(B('Head', B('Tail', T(lit(1), lit(2)))), lit(2)),
    eq(B('SubSeq', T(lit(1), lit(2), lit(3)), lit(2), lit(3)), T(lit(2), lit(3))),
    { k: 'bin', op: 'equiv', left: lit(true), right: bin('<', lit(1), lit(2)), span },
    { k: 'implies', left: lit(false), right: G(0) },
    { k: 'or', args: [lit(false), eq(G(0), lit(1))] },
    eq({ k: 'setFilter', bound: 10, set: S, cond: bin('>', b(10), lit(1)), span }, set(2, 3)),
    eq({ k: 'setMap', bounds: [11], sets: [S], body: bin('*', b(11), lit(2)), span }, set(2, 4, 6)),
    eq(ap({ k: 'fnCons', bounds: [12, 13], sets: [S, S], body: bin('+', b(12), b(13)), span }, T(lit(2), lit(3))), lit(5)),
    eq({ k: 'record', names: ['a', 'b'], values: [lit(1), lit(2)] }, lit(mkRecord({ a: 1, b: 2 }))),
    bin('in', lit(mkRecord({ a: 1, b: 'x' })), { k: 'recordSet', names: ['a', 'b'], sets: [S, set('x')], span }),
    eq(B('Cardinality', { k: 'recordSet', names: ['a', 'b'], sets: [S, set('x', 'y')], span }), lit(6)),
    eq(B('Cardinality', { k: 'fnSet', domain: set(1, 2), range: S, span }), lit(9)),
    bin('in', set(1, 3), B('SUBSET', S)),
    bin('in', lit(mkFn([[1, mkSet([2])]])), { k: 'fnSet', domain: set(1), range: B('SUBSET', S), span }),
    bin('notin', lit(mkFn([[1, 5]])), { k: 'fnSet', domain: set(1), range: S, span }),
    { k: 'quant', forall: false, bounds: [14, 15], sets: [S, S], body: eq(bin('+', b(14), b(15)), lit(6)), span },
    { k: 'not', arg: { k: 'quant', forall: true, bounds: [16], sets: [S], body: bin('<', b(16), lit(3)), span } },
    eq({ k: 'choose', bound: 17, set: S, cond: bin('>', b(17), lit(1)), span }, lit(2)),
    eq({ k: 'letIn', bound: 18, value: lit(4), body: bin('*', b(18), b(18)) }, lit(16)),
    eq({ k: 'ite', cond: lit(false), then: lit(1), else: lit('z') }, lit('z')),
    eq({ k: 'case', arms: [{ cond: lit(false), value: lit(1) }, { cond: lit(true), value: lit(2) }], other: lit(3), span }, lit(2)),
    eq({ k: 'except', fn: T(lit(1), lit(2)), updates: [{ path: [lit(2)], at: 19, value: bin('+', b(19), lit(10)) }, { path: [lit(1)], at: 20, value: lit(0) }], span }, T(lit(0), lit(12))),
    eq({ k: 'checked', cond: lit(true), property: 'X', message: 'x', value: lit(3), span }, lit(3)),
    eq({ k: 'pvarOf', index: 0, proc: lit(2) }, lit(2)),
    eq(ap(pvarI, lit(1)), lit(1)),
    eq(pvarI, lit(mkFn([[1, 1], [2, 2]]))),
    eq({ k: 'recCall', fn: 0, arg: lit(4), span }, lit(24)),
    eq(ap({ k: 'recFnValue', fn: 0, span }, lit(3)), lit(6)),
    eq(set(1, 2), { k: 'setEnum', elems: [lit(2), lit(1), lit(2)] }),
    bin('in', G(0), { k: 'setEnum', elems: [lit(0), lit(1)] }),
    { k: 'not', arg: bin('same', lit(1), lit('1')) },
  ];
  // Facts about the running process, checked in its step only.
  const S2 = set(1, 2);
  const stepFacts: Expr[] = [
    eq({ k: 'pcOf', proc: self }, lit('a')),
    eq(ap({ k: 'pcFn' }, P(0)), lit('a')),
    eq(B('DOMAIN', { k: 'pcFn' }), S2),
    eq(P(0), self),
  ];
  const program = build({
    globals: [['x', [1]]],
    processes: [{ name: 'P', ids: [1, 2], locals: [['me', self]], labels: [['a', [...[...facts, ...stepFacts].map((cond, i): Stmt => ({ k: 'check', cond, property: 'Assertion', message: `fact ${i}`, span })), done]]] }],
    invariants: facts.map((f, i) => [`F${i}`, f] as [string, Expr]),
  });
  program.recFns.push({
    name: 'fact', param: 30, domain: bin('..', lit(0), lit(10)),
    body: { k: 'ite', cond: eq(b(30), lit(0)), then: lit(1), else: bin('*', b(30), { k: 'recCall', fn: 0, arg: bin('-', b(30), lit(1)), span }) },
  });
  const r = agree(program);
  expect([r.verdict, r.failure]).toEqual(['ok', null]);
});

// ------------------------------------------------------------------ the examples against TLC

const tlc: [string, [string, string][], string, number | null, number | null, number | null, number | null, boolean][] = [
  ['peterson', [], 'ok', 42, 77, 11, null, true],
  ['ticketlock', [], 'ok', 16412, 50317, 46, null, true],
  ['ticketlock', [['MAXT', '1']], 'violation', null, null, null, 9, true],
  ['refpool', [], 'ok', 196, 404, 11, null, false],
  ['refpool', [['USERS', '{u1, u2, u3}']], 'ok', 1372, 3696, 15, null, false],
  ['refpool', [['ATOMIC_PUT', 'FALSE']], 'violation', null, null, null, 9, false],
  ['lockinc', [], 'ok', 22436, 47749, 49, null, true],
];

test.each(tlc)('%s %j: both engines give TLC\'s figures', (name, consts, verdict, distinct, generated, depth, trace, deadlock) => {
  const m = loadModel(`examples/${name}.lspec`, { consts });
  expect(m.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const r = agree(m.program!, deadlock);
  expect(r.verdict).toBe(verdict);
  if (distinct !== null) expect([r.distinct, r.generated, r.depth]).toEqual([distinct, generated, depth]);
  if (trace !== null) expect(r.trace?.length).toBe(trace);
});

test.each([
  ['{u1, u2}', 62, 132],
  ['{u1, u2, u3}', 178, 489],
])('RefPool with USERS = %s under symmetry: TLC\'s orbit counts in both engines', (users, distinct, generated) => {
  const m = loadModel('examples/refpool.lspec', { consts: [['USERS', users]], symmetry: ['USERS', 'OBJS'] });
  const [ref, comp] = run(m.program!, false);
  expect([comp.verdict, comp.distinct, comp.generated, comp.depth]).toEqual([ref.verdict, ref.distinct, ref.generated, ref.depth]);
  expect([comp.distinct, comp.generated]).toEqual([distinct, generated]);
});
