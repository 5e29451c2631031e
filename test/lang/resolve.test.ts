// Semantic diagnostics of the resolver and lowering: each one triggered, with its place and text.
import { errorsOf, programOf } from '../helpers.js';

const wrap = (body: string): string => `algorithm T {\n${body}\n}\n`;

function firstError(body: string, opts = {}): string {
  return errorsOf(wrap(body), opts)[0];
}

describe('name resolution', () => {
  test('unknown name', () => {
    const e = firstError('  variables x = 0;\n  process P = 1 { a: x := y; }');
    expect(e).toMatch(/^model\d+\.lspec:3:27: error LS2001: unknown name "y"/);
    expect(e).toContain('3 |   process P = 1 { a: x := y; }');
    expect(e.split('\n')[3]).toBe('  |                           ^');
  });
  test('duplicate declaration', () => {
    expect(firstError('  variables x = 0, x = 1;\n  process P = 1 { a: skip; }')).toMatch(/:2:20: error LS2002: "x" is already declared at model\d+.lspec:2:13/);
  });
  test('duplicate label', () => {
    expect(firstError('  process P = 1 { a: skip; a: skip; }')).toMatch(/:2:28: error LS2003: label "a" is already used at model\d+.lspec:2:19/);
  });
  test('goto to an unknown label', () => {
    expect(firstError('  process P = 1 { a: goto nowhere; }')).toMatch(/:2:27: error LS2004: goto to unknown label "nowhere"/);
  });
  test('assignment to a constant', () => {
    expect(firstError('  constants N = 1;\n  process P = 1 { a: N := 2; }')).toMatch(/:3:22: error LS2007: cannot assign to the constant "N": expected a variable/);
  });
  test('assignment to a bound name', () => {
    expect(firstError('  variables x = 0;\n  process P = 1 { a: with (v \\in {1}) { v := 2; } }')).toMatch(/error LS2007: cannot assign to the bound name "v"/);
  });
  test('wrong number of arguments to a definition', () => {
    expect(firstError('  define { F(a) == a + 1 }\n  variables x = 0;\n  process P = 1 { a: x := F(1, 2); }')).toMatch(/:4:27: error LS2008: "F" takes 1 argument\(s\), but 2 were given/);
  });
  test('wrong number of arguments to a macro', () => {
    expect(firstError('  macro m(a) { skip; }\n  process P = 1 { a: m(); }')).toMatch(/error LS2008: "m" takes 1 argument\(s\), but 0 were given/);
  });
  test('wrong number of arguments to a procedure', () => {
    expect(firstError('  procedure f(a) { r: return; }\n  process P = 1 { a: call f(); b: skip; }')).toMatch(/error LS2008: "f" takes 1 argument\(s\), but 0 were given/);
  });
  test('unknown procedure', () => {
    expect(firstError('  process P = 1 { a: call g(); b: skip; }')).toMatch(/error LS2005: unknown procedure "g"/);
  });
  test('unknown macro', () => {
    expect(firstError('  process P = 1 { a: frobnicate(1); }')).toMatch(/error LS2006: unknown macro or operation "frobnicate"/);
  });
  test('unknown constant override', () => {
    expect(errorsOf(wrap('  constants N = 1;\n  process P = 1 { a: skip; }'), { consts: [['K', '2']] })[0]).toMatch(/error LS2012: no constant "K" to override: expected one of N/);
  });
  test('unknown design', () => {
    expect(errorsOf(wrap('  process P = 1 { a: skip; }\n  design d1 { }'), { design: 'd2' })[0]).toMatch(/error LS2009: unknown design "d2": expected one of base, d1/);
  });
  test('unknown check to disable', () => {
    expect(firstError('  disable NoSuchCheck "x";\n  process P = 1 { a: skip; }')).toMatch(/error LS2014: no built-in check or invariant "NoSuchCheck" to disable/);
  });
  test('@ outside EXCEPT', () => {
    expect(firstError('  variables x = 0;\n  process P = 1 { a: x := @; }')).toMatch(/error LS2015/);
  });
  test('a variable assigned twice in one simultaneous assignment (PlusCal: "Multiple assignment to x")', () => {
    expect(firstError('  variables x = 0;\n  process P = 1 { a: x := 1 || x := 2; }')).toMatch(
      /:3:32: error LS2019: "x" is assigned twice in one simultaneous assignment: expected each variable once, or parts of it/,
    );
    // Whole and part, part and whole: the same.
    expect(firstError('  variables f = <<0, 0>>;\n  process P = 1 { a: f[1] := 1 || f := <<2, 2>>; }')).toMatch(/:3:35: error LS2019: "f"/);
    expect(firstError('  variables f = <<0, 0>>;\n  process P = 1 { a: f := <<2, 2>> || f[1] := 1; }')).toMatch(/error LS2019: "f"/);
    // Parts of one variable, even one part twice (the last wins, as in PlusCal's EXCEPT), and a
    // variable in two statements of one step: no error.
    expect(programOf(wrap('  variables f = <<0, 0>>, x = 0;\n  process P = 1 { a: f[1] := 1 || f[2] := 2; b: f[1] := 1 || f[1] := 2; c: x := 1; x := x + 1; }'))).toBeTruthy();
  });
});

describe('structure', () => {
  test('a label inside a macro', () => {
    expect(firstError('  macro m() { l: skip; }\n  process P = 1 { a: m(); }')).toMatch(/:2:15: error LS3001: label "l" inside a macro/);
  });
  test('a while without a label', () => {
    expect(firstError('  variables x = 0;\n  process P = 1 { a: x := 1; while (x < 2) { x := x + 1; } }')).toMatch(/error LS3002: a while statement must be labeled/);
  });
  test('the first statement of a process', () => {
    expect(firstError('  process P = 1 { skip; }')).toMatch(/:2:19: error LS3002: the first statement of process P must be labeled/);
  });
  test('the statement after a call', () => {
    expect(firstError('  procedure f() { r: return; }\n  process P = 1 { a: call f(); skip; }')).toMatch(/error LS3002: the statement after a call must be labeled/);
  });
  test('return outside a procedure', () => {
    expect(firstError('  process P = 1 { a: return; }')).toMatch(/error LS3003: return outside a procedure/);
  });
  test('unlock of something that is not a lock', () => {
    expect(firstError('  variables x = 0;\n  process P = 1 { a: unlock(x); }')).toMatch(/:3:29: error LS3004: unlock of "x", which is not a lock/);
  });
  test('put of something that is not a refcount', () => {
    expect(firstError('  variables x = 0;\n  process P = 1 { a: put(x); }')).toMatch(/error LS3005: put of "x", which is not a refcount/);
  });
  test('no process', () => {
    expect(firstError('  variables x = 0;')).toMatch(/error LS3007: the algorithm has no process/);
  });
  test('process set that is not a set', () => {
    expect(firstError('  process P \\in 3 { a: skip; }')).toMatch(/error LS4002: the process set of P must be a finite set, got 3/);
  });
  test('constant that cannot be evaluated', () => {
    expect(firstError('  constants N = 1 \\div 0;\n  process P = 1 { a: skip; }')).toMatch(/error LS4001: cannot evaluate this expression: division by zero/);
  });
});

describe('lowering', () => {
  test('labels cut the body into steps; while loops back to its label', () => {
    const p = programOf(wrap('  variables x = 0;\n  process P = 1 { w: while (x < 2) { x := x + 1; }; e: skip; }'));
    expect(p.labels.map((l) => l.name)).toEqual(['w', 'e']);
    const w = p.labels[0].body;
    expect(w[0].k).toBe('if');
    if (w[0].k !== 'if') return;
    expect(w[0].then.map((s) => s.k)).toEqual(['assign', 'goto']);
    expect(w[0].else).toEqual([expect.objectContaining({ k: 'goto', label: 1 })]);
    expect(p.labels[1].body.map((s) => s.k)).toEqual(['done']);
  });
  test('a process local is the own variable in code and a function in a definition', () => {
    const p = programOf(wrap('  define { Sum == i[1] + i[2] }\n  invariant Small == Sum < 10;\n  process P \\in 1..2 variables i = 0; { a: i := i + 1; }'));
    // The definition is bound once (letIn) and read where it is used.
    expect(p.invariants[0].body).toMatchObject({ k: 'letIn', value: { k: 'bin', op: '+', left: { k: 'pvarOf' } }, body: { k: 'bin', op: '<', left: { k: 'bound' } } });
    expect(p.labels[0].body[0]).toMatchObject({ k: 'assign', targets: [{ ref: { kind: 'pvar', index: 0 } }] });
  });
  test('a variable initialised by a function constructor keeps its domain', () => {
    const p = programOf(wrap('  variables f = [i \\in 1..3 |-> [a |-> 0, b |-> FALSE]], s = {1};\n  process P = 1 { a: skip; }'));
    expect(p.globals[0].shape).toEqual({ kind: 'fn', domain: [1, 2, 3], elem: { kind: 'fn', domain: ['a', 'b'], elem: { kind: 'leaf' } } });
    expect(p.globals[1].shape).toEqual({ kind: 'leaf' });
  });
  test('a design replaces the same-named process', () => {
    const text = wrap('  variables x = 0;\n  process P = 1 { a: x := 1; }\n  design two { process P = 1 { b: x := 2; } }');
    expect(programOf(text).labels.map((l) => l.name)).toEqual(['a']);
    expect(programOf(text, { design: 'two' }).labels.map((l) => l.name)).toEqual(['b']);
  });
  test('a design replaces a definition, a constant and a variable, and adds new ones', () => {
    const text = wrap(`  constants N = 1;
  variables x = 0;
  define { F == 10 }
  process P = 1 { a: x := F + N; }
  design d { constants N = 2; variables x = 5, y = 7; define { F == 20  G == 1 } }`);
    const base = programOf(text);
    const d = programOf(text, { design: 'd' });
    expect(base.constants).toEqual([{ name: 'N', value: 1 }]);
    expect(d.constants).toEqual([{ name: 'N', value: 2 }]);
    expect(d.globals.map((g) => [g.name, g.inits])).toEqual([['x', [5]], ['y', [7]]]);
    expect(d.labels[0].body[0]).toMatchObject({ k: 'assign', values: [{ k: 'bin', op: '+', left: { k: 'lit', value: 20 }, right: { k: 'lit', value: 2 } }] });
  });
  test('constants are overridden from the command line; unknown names there are model values', () => {
    const p = programOf(wrap('  constants S = {1};\n  process P \\in S { a: skip; }'), { consts: [['S', '{u1, u2}']] });
    expect(p.instances.map((i) => i.display)).toEqual(['P(u1)', 'P(u2)']);
  });
});

describe('symmetry', () => {
  test('a symmetry set must be a constant set of model values', () => {
    expect(firstError('  constants S = {1, 2};\n  symmetry S;\n  process P \\in S { a: skip; }')).toMatch(/:3:12: error LS4003: symmetry set "S" must be a constant set of model values, got \{1, 2\}/);
  });
  test('the sets reach the program', () => {
    const p = programOf(wrap('  values a, b;\n  constants S = {a, b};\n  symmetry S;\n  process P \\in S { x: skip; }'));
    expect(p.symmetry?.map((s) => s.map(String))).toEqual([['a', 'b']]);
  });
});
