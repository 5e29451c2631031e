// What the code generator emits for a function's key known when it compiles: a function's domain
// is fixed once constants are, so a constant key of it is a constant slot, looked up at
// compile time; a key outside the domain still fails as the step runs, as the reference does.
import { CompiledEngine } from '../../../../src/checker/engine/compiled/compiled-engine.js';
import { BASE } from '../../../../src/checker/engine/compiled/valuetable.js';
import { ReferenceEngine } from '../../../../src/checker/engine/reference-engine.js';
import { explore } from '../../../../src/checker/search/breadth-first.js';
import type { Program } from '../../../../src/lang/ir.js';
import { loadModel } from '../../../../src/pipeline/load-model.js';
import { programOf } from '../../../helpers.js';

const keys = (first: string): string => `algorithm Keys {
  variables f = [i \\in 1..3 |-> 0];
  process P \\in 1..2
  {
  s1: ${first} := f[2] + 1;
  s2: f[self] := f[self] + f[3];
  s3: await pc[1] = "Done";
  }
}`;

/** The generated source of label `name`'s step for instance `inst`. */
function stepSource(engine: CompiledEngine, name: string, inst: number): string {
  const label = engine.program.labels.findIndex((l) => l.name === name);
  return engine['compiler'].step(label, inst).run.toString();
}

test('a constant key of a function, or a constant process id, is a slot number in the step', () => {
  const engine = new CompiledEngine(programOf(keys('f[2]')));
  const s1 = stepSource(engine, 's1', 0);
  expect(s1).not.toContain('.get(');
  // f[2] is read and written at one literal slot.
  const written = s1.match(/W\[(\d+)\] = t\d+;/)![1];
  expect(s1).toContain(`= W[${written}];`);
  // f[self] with self known per instance, f[3], and the process of pc[1]: no lookups either.
  expect(stepSource(engine, 's2', 0)).not.toContain('.get(');
  expect(stepSource(engine, 's3', 1)).not.toContain('.get(');
});

test('a constant key outside the domain fails as the step runs, with the reference engine\'s error', () => {
  const program = programOf(keys('f[4]'));
  const compiled = explore(new CompiledEngine(program), { deadlock: false });
  const reference = explore(new ReferenceEngine(program), { deadlock: false });
  expect(compiled.failure?.kind).toBe('runtime');
  expect(compiled.failure?.message).toBe('4 is not in the domain of <<0, 0, 0>>');
  expect(compiled.failure?.message).toBe(reference.failure?.message);
});

test('both engines agree on the model with constant keys', () => {
  const program = programOf(keys('f[2]'));
  const compiled = explore(new CompiledEngine(program), { deadlock: false });
  const reference = explore(new ReferenceEngine(program), { deadlock: false });
  expect([compiled.distinct, compiled.generated]).toEqual([reference.distinct, reference.generated]);
  expect(compiled.distinct).toBe(9);
});

// A loop over a constant set (or range) whose elements are a flattened function's domain, in the
// domain's order, reads the function at the loop's index: no key lookup as the property runs.
const domainLoops = `algorithm Doms {
  constants CPUS = {c1, c2, c3}, SOME = {c1, c3};
  values c1, c2, c3;
  variables f = [c \\in CPUS |-> 0], g = [i \\in 1..3 |-> 0];
  invariant All == \\A c \\in CPUS : f[c] = IF c = c3 /\\ pc[c3] = "Done" THEN 7 ELSE 0;
  invariant Some == \\A c \\in SOME : f[c] = IF c = c3 /\\ pc[c3] = "Done" THEN 7 ELSE 0;
  invariant AllInts == \\A i \\in 1..3 : g[i] = IF i = 3 /\\ pc[c3] = "Done" THEN 7 ELSE 0;
  invariant SomeInts == \\A i \\in 2..3 : g[i] = IF i = 3 /\\ pc[c3] = "Done" THEN 7 ELSE 0;
  process P \\in {c3}
  {
  s: f[c3] := 7;
     g[3] := 7;
  }
}`;

/** The generated source of invariant `name`. */
function propertySource(engine: CompiledEngine, name: string): string {
  return engine['compiler'].property(engine.program.invariants.find((p) => p.name === name)!.body, 'invariant').toString();
}

test('a loop over a function\'s domain reads it at the loop\'s index; over another set it looks the key up', () => {
  const engine = new CompiledEngine(programOf(domainLoops));
  const all = propertySource(engine, 'All');
  expect(all).not.toContain('.get(');
  // c = c3 compares model values, which compare with anything: no pair to look at when unequal;
  // pc[c3] = "Done" and f[c] = 7 still look (a string or an integer may meet an incomparable value).
  expect(all).toMatch(/= \(b\d+ === \d+\)/);
  expect(all.match(/rt\.unequal/g)).toHaveLength(2);
  // And f[c] = 7 looks only when a side is no integer (two integers compare).
  expect(all).toMatch(new RegExp(`if \\(!t\\d+ && \\(t\\d+ >= ${BASE} \\|\\| t\\d+ >= ${BASE}\\)\\) \\{ at = \\d+; rt\\.unequal`));
  expect(propertySource(engine, 'Some')).toContain('.get(');
  // The same for a constant range over a function of integers.
  expect(propertySource(engine, 'AllInts')).not.toContain('.get(');
  expect(propertySource(engine, 'SomeInts')).toContain('.get(');
  const compiled = explore(engine, { deadlock: false });
  const reference = explore(new ReferenceEngine(programOf(domainLoops)), { deadlock: false });
  expect(compiled.failure).toBeNull();
  expect([compiled.distinct, compiled.generated]).toEqual([reference.distinct, reference.generated]);
});

test('a set, tuple or record of constants is built once, as the step is compiled', () => {
  const program = programOf(`algorithm Consts {
  variables x = {}, y = <<>>, z = [a |-> 0, b |-> 0];
  process P \\in 1..2
  {
  s: x := x \\cup {1, 2, self};
     y := IF y = <<>> THEN <<1, "two">> ELSE y;
     z := IF z.a = 0 THEN [a |-> 1, b |-> 2] ELSE z;
  t: assert {1, 2} \\subseteq x /\\ y[2] = "two" /\\ z.b = 2 /\\ Len(y) = 2;
  }
}`);
  const engine = new CompiledEngine(program);
  const s = stepSource(engine, 's', 0);
  // {1, 2, self}: self is a constant of the instance's step, so nothing is built as it runs.
  expect(s).not.toMatch(/rt\.(set|tuple|fn)\(/);
  const compiled = explore(engine, { deadlock: false });
  const reference = explore(new ReferenceEngine(program), { deadlock: false });
  expect(compiled.failure).toBeNull();
  expect([compiled.distinct, compiled.generated]).toEqual([reference.distinct, reference.generated]);
});

test('DOMAIN of a flattened function is its shape\'s constant set: nothing built, and a loop over it reads at the loop\'s index', () => {
  // counts and lrus are flattened (one slot per key); DOMAIN of either, of lrus[c] (a key it may
  // lack: still checked), and loops over them compile to constants, as the kernel models' macros do.
  const program = programOf(`algorithm Doms {
  constants CPUS = {c1, c2}, BUFS = 1..2;
  values c1, c2;
  variables counts = [b \\in BUFS |-> 0], lrus = [c \\in CPUS |-> {}], held = [c \\in CPUS |-> [b \\in BUFS |-> FALSE]];
  invariant Counted == \\A b \\in DOMAIN counts : counts[b] = Cardinality({c \\in DOMAIN lrus : b \\in lrus[c]});
  process P \\in CPUS
  {
  s: lrus[self] := lrus[self] \\cup {1};
     counts[1] := counts[1] + 1;
  t: counts := [b \\in DOMAIN counts |-> counts[b] - Cardinality({c \\in DOMAIN lrus : b \\in lrus[c]})]
       || lrus := [c \\in DOMAIN lrus |-> {}];
  u: assert DOMAIN held[self] = BUFS;
  }
}`);
  const engine = new CompiledEngine(program);
  for (const source of [stepSource(engine, 't', 0), stepSource(engine, 'u', 1), propertySource(engine, 'Counted')]) {
    expect(source).not.toMatch(/rt\.builtin\("DOMAIN"/);
    expect(source).not.toContain('T.elems(');
    expect(source).not.toContain('rt.compose(');
  }
  for (const source of [stepSource(engine, 't', 0), propertySource(engine, 'Counted')]) expect(source).not.toContain('.get(');
  const compiled = explore(engine, { deadlock: false });
  const reference = explore(new ReferenceEngine(program), { deadlock: false });
  expect(compiled.failure).toBeNull();
  expect([compiled.distinct, compiled.generated]).toEqual([reference.distinct, reference.generated]);
});

test('a field of an object (obj[p].data, checked against use after free) is read from its slot, after the check', () => {
  // The object read's liveness check runs first; then the field is one slot of the flattened
  // object, not the record built whole and applied. Both engines agree on the model and on its
  // design inc_on_zero, which fails (test/invariants/lifetime.test.ts checks reads of freed objects).
  const file = 'examples/refcount-lookup.lspec';
  const load = (design?: string): Program => {
    const m = loadModel(file, { design });
    if (!m.program) throw new Error(`${file} did not load`);
    return m.program;
  };
  const engine = new CompiledEngine(load());
  const user = engine.program.instances.findIndex((i) => i.display === 'user');
  const l3 = stepSource(engine, 'l3', user);
  expect(l3).not.toContain('rt.compose(');
  expect(l3).not.toContain('T.apply(');
  expect(l3.indexOf('"NoUseAfterFree"')).toBeGreaterThan(-1);
  for (const design of [undefined, 'inc_on_zero']) {
    const compiled = explore(new CompiledEngine(load(design)), { deadlock: false });
    const reference = explore(new ReferenceEngine(load(design)), { deadlock: false });
    expect([compiled.distinct, compiled.generated, compiled.failure?.property ?? null]).toEqual([reference.distinct, reference.generated, reference.failure?.property ?? null]);
    expect(compiled.failure === null).toBe(design === undefined);
  }
});

test('[x \\in S |-> e] assigned whole to a flattened function over S is written slot by slot, its values computed first', () => {
  // f's new values read f's old ones at other keys (a rotation), and h := f[c1] in the same
  // simultaneous assignment reads the old f; g's elements are functions themselves (each built,
  // then written whole and checked to fit). Neither f nor g is built whole.
  const model = (g: string): string => `algorithm Rotate {
  constants CPUS = {c1, c2, c3};
  values c1, c2, c3;
  variables f = [c \\in CPUS |-> IF c = c1 THEN 1 ELSE 0], h = 0, g = [c \\in CPUS |-> [i \\in 1..2 |-> 0]];
  invariant OneHot == Cardinality({c \\in CPUS : f[c] = 1}) = 1;
  process P \\in {1}
  {
  s: while (TRUE) {
       f := [c \\in CPUS |-> IF c = c1 THEN f[c3] ELSE IF c = c2 THEN f[c1] ELSE f[c2]] || h := f[c1];
  t:   g := ${g};
     }
  }
}`;
  const fits = programOf(model('[c \\in CPUS |-> [i \\in 1..2 |-> f[c] + i]]'));
  const engine = new CompiledEngine(fits);
  expect(stepSource(engine, 's', 0)).not.toContain('rt.fn(');
  // Only g's elements are built (each then written whole), not g.
  expect(stepSource(engine, 't', 0).match(/rt\.fn\(/g)).toHaveLength(1);
  const compiled = explore(engine, { deadlock: false });
  const reference = explore(new ReferenceEngine(fits), { deadlock: false });
  expect(compiled.failure).toBeNull();
  expect([compiled.distinct, compiled.generated]).toEqual([reference.distinct, reference.generated]);
  expect(compiled.distinct).toBe(8);
  // An element of another domain is the error it was; so is a function over another set (the
  // general path, which builds it).
  for (const g of ['[c \\in CPUS |-> [i \\in 1..3 |-> 0]]', '[c \\in {c1, c2} |-> [i \\in 1..2 |-> 0]]']) {
    const wrong = programOf(model(g));
    const [c, r] = [explore(new CompiledEngine(wrong), { deadlock: false }), explore(new ReferenceEngine(wrong), { deadlock: false })];
    expect(c.failure?.message).toBe('assignment changes the domain of g');
    expect(c.failure?.message).toBe(r.failure?.message);
  }
});
