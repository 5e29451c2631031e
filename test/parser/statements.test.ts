// Statements, labels and declarations: the AST shape of every form in docs/language.md's tables.
import type { Stmt } from '../../src/parser/ast.js';
import { parseOk, show, stmtsOk } from './helpers.js';

/** A statement list as `kind` names, nested statements in brackets. */
function kinds(stmts: Stmt[]): string {
  return stmts
    .map((s) => {
      const label = s.label ? `${s.label.name.name}: ` : '';
      switch (s.kind) {
        case 'if': return `${label}if[${kinds(s.then)}]${s.else ? `else[${kinds(s.else)}]` : ''}`;
        case 'while': return `${label}while[${kinds(s.body)}]`;
        case 'either': return `${label}either${s.branches.map((b) => `[${kinds(b)}]`).join('or')}`;
        case 'with': return `${label}with[${kinds(s.body)}]`;
        case 'block': return `${label}block[${kinds(s.body)}]`;
        default: return `${label}${s.kind}`;
      }
    })
    .join(' ');
}

describe('statements', () => {
  test('assignment, single and simultaneous', () => {
    const [one, many] = stmtsOk('a: x := 1; y[i].f := 2 || z := a || b;');
    expect(one).toMatchObject({ kind: 'assign', label: { name: { name: 'a' } } });
    if (many.kind !== 'assign') throw new Error('shape');
    expect(many.label).toBeNull();
    expect(many.parts.map((p) => p.target.name.name)).toEqual(['y', 'z']);
    expect(many.parts[0].target.path).toMatchObject([{ kind: 'index' }, { kind: 'field', name: { name: 'f' } }]);
    expect(show(many.parts[1].value)).toBe('(\\/ a b)');
  });

  test('every simple statement', () => {
    const stmts = stmtsOk(
      'a: await x > 0; when y; goto a; assert x; skip; print x; call p(1, 2); call q(); return; ' +
        'lock(L); unlock(bl[b]); might_sleep; might_sleep(); ok := trylock(L); m()',
    );
    expect(stmts.map((s) => s.kind)).toEqual([
      'await', 'await', 'goto', 'assert', 'skip', 'print', 'call', 'call', 'return',
      'invoke', 'invoke', 'invoke', 'invoke', 'trylock', 'invoke',
    ]);
    expect(stmts[6]).toMatchObject({ name: { name: 'p' }, args: [{ value: 1 }, { value: 2 }] });
    expect(stmts[10]).toMatchObject({ name: { name: 'unlock' }, args: [{ kind: 'apply' }] });
    expect(stmts[11]).toMatchObject({ name: { name: 'might_sleep' }, args: [] });
    expect(stmts[12]).toMatchObject({ name: { name: 'might_sleep' }, args: [] });
    expect(stmts[13]).toMatchObject({ target: { name: { name: 'ok' } }, lock: { name: 'L' } });
  });

  test('labels with a cost and a description', () => {
    const [a, b, c, d] = stmtsOk('a: skip; b [3]: skip; c "busy check": skip; d [2] "both": skip;');
    expect(a.label).toMatchObject({ name: { name: 'a' }, cost: null, description: null });
    expect(b.label).toMatchObject({ name: { name: 'b' }, cost: 3, description: null });
    expect(c.label).toMatchObject({ name: { name: 'c' }, cost: null, description: 'busy check' });
    expect(d.label).toMatchObject({ name: { name: 'd' }, cost: 2, description: 'both' });
  });

  test('label and statement spans', () => {
    const text = 'algorithm A { process (P = 1) { lbl [3]: x[1] := 2; } }';
    const decl = parseOk(text).decls[0];
    if (decl.kind !== 'process') throw new Error('shape');
    const [s] = decl.body;
    expect(text.slice(s.label!.span.start, s.label!.span.end)).toBe('lbl [3]:');
    expect(text.slice(s.span.start, s.span.end)).toBe('x[1] := 2');
  });

  test('if, else if chains, braces optional, semicolons optional after braces and before "}"', () => {
    const stmts = stmtsOk(`
      a: if (x) { skip } else if (y) { skip; skip } else { skip };
         if (x) skip; else skip;
         if (x) skip else skip;
         if (x) goto a;
         if (x) { skip }
         skip`);
    expect(kinds(stmts)).toBe(
      'a: if[skip]else[if[skip skip]else[skip]] if[skip]else[skip] if[skip]else[skip] if[goto] if[skip] skip',
    );
  });

  test('while, either, with and blocks', () => {
    const stmts = stmtsOk(`
      a: while (TRUE) { b: skip; };
      c: either { skip } or { d: skip } or skip;
      with (x \\in S, y = 1) { skip; }
      { skip; l: skip }
      e: { skip }`);
    expect(kinds(stmts)).toBe('a: while[b: skip] c: either[skip]or[d: skip]or[skip] with[skip] block[skip l: skip] e: block[skip]');
    const w = stmts[2];
    if (w.kind !== 'with') throw new Error('shape');
    expect(w.bindings.map((b) => [b.name.name, b.kind])).toEqual([['x', '\\in'], ['y', '=']]);
  });

  test('a labeled block in a branch is kept as a block', () => {
    const [s] = stmtsOk('a: if (x) l: { skip }');
    expect(kinds([s])).toBe('a: if[l: block[skip]]');
  });
});

describe('declarations', () => {
  test('every declaration kind', () => {
    const file = parseOk(`
      algorithm Kernel {
        import "kernel.lspec";
        constants N = 3, S = {1, 2};
        constant K = 1;
        values u1, u2;
        type Page = {OLD, NEW};
        variables x = 0, y \\in 0..2;
        variable z = 1; w = 2;
        spinlock L;
        spinlock bl[b \\in Bufs];
        sleeplock page_lock[p \\in Page];
        refcount c = 0;
        refcount pref[p \\in Page] = 3 of page;
        object page[p \\in Page] = [data |-> 0];
        mapping slot -> page = OLD;
        mapping b_page[b \\in Bufs] -> page = OLD;
        define { Op(a, b) == a + b  F == 1  f[i \\in S] == f[i] }
        invariant Inv == x >= 0;
        final Fin == x = 1;
        disable NoLeak "the LRU keeps its references";
        macro m(a, b) { x := a }
        macro none() { skip; };
        procedure p(a) variables l = 0; { r: return; }
        procedure q() { r: return; }
        process (P \\in S) variables l = 0, k \\in S; { a: skip; }
        process Q = "q" { a: skip; }
        fair process (R = 1) { a: skip; }
        fair+ process T \\in S { a: skip; }
        design hold "PL held (ebdf4de5642f)" { procedure q() { r: skip; } }
        design bare { constants N = 4; };
      }`);
    expect(file).toMatchObject({ kind: 'algorithm', name: { name: 'Kernel' } });
    const d = file.decls;
    expect(d.map((x) => x.kind)).toEqual([
      'import', 'constants', 'constants', 'values', 'type', 'variables', 'variables', 'lock', 'lock', 'lock',
      'refcount', 'refcount', 'object', 'mapping', 'mapping', 'define', 'invariant', 'invariant', 'disable',
      'macro', 'macro', 'procedure', 'procedure', 'process', 'process', 'process', 'process', 'design', 'design',
    ]);
    expect(d[0]).toMatchObject({ path: 'kernel.lspec' });
    expect(d[1]).toMatchObject({ items: [{ name: { name: 'N' }, value: { value: 3 } }, { name: { name: 'S' } }] });
    expect(d[3]).toMatchObject({ names: [{ name: 'u1' }, { name: 'u2' }] });
    expect(d[4]).toMatchObject({ name: { name: 'Page' }, members: [{ name: 'OLD' }, { name: 'NEW' }] });
    expect(d[5]).toMatchObject({ vars: [{ name: { name: 'x' }, initKind: '=' }, { name: { name: 'y' }, initKind: '\\in' }] });
    expect(d[6]).toMatchObject({ vars: [{ name: { name: 'z' } }, { name: { name: 'w' } }] });
    expect(d[7]).toMatchObject({ lockKind: 'spin', name: { name: 'L' }, index: null });
    expect(d[8]).toMatchObject({ lockKind: 'spin', index: { name: { name: 'b' }, set: { name: 'Bufs' } } });
    expect(d[9]).toMatchObject({ lockKind: 'sleep', name: { name: 'page_lock' } });
    expect(d[10]).toMatchObject({ name: { name: 'c' }, index: null, init: { value: 0 }, of: null });
    expect(d[11]).toMatchObject({ name: { name: 'pref' }, init: { value: 3 }, of: { name: 'page' } });
    expect(d[12]).toMatchObject({ name: { name: 'page' }, index: { name: { name: 'p' } }, init: { kind: 'record' } });
    expect(d[13]).toMatchObject({ name: { name: 'slot' }, index: null, target: { name: 'page' }, init: { name: 'OLD' } });
    expect(d[14]).toMatchObject({ name: { name: 'b_page' }, index: { name: { name: 'b' } }, target: { name: 'page' } });
    expect(d[15]).toMatchObject({
      defs: [
        { name: { name: 'Op' }, params: [{ name: 'a' }, { name: 'b' }], fnDomain: null },
        { name: { name: 'F' }, params: [], fnDomain: null },
        { name: { name: 'f' }, params: [{ name: 'i' }], fnDomain: { name: 'S' } },
      ],
    });
    expect(d[16]).toMatchObject({ when: 'always', name: { name: 'Inv' } });
    expect(d[17]).toMatchObject({ when: 'final', name: { name: 'Fin' } });
    expect(d[18]).toMatchObject({ name: { name: 'NoLeak' }, reason: 'the LRU keeps its references' });
    expect(d[19]).toMatchObject({ name: { name: 'm' }, params: [{ name: 'a' }, { name: 'b' }], body: [{ kind: 'assign' }] });
    expect(d[20]).toMatchObject({ params: [], body: [{ kind: 'skip' }] });
    expect(d[21]).toMatchObject({ name: { name: 'p' }, params: [{ name: 'a' }], locals: [{ name: { name: 'l' } }] });
    expect(d[22]).toMatchObject({ params: [], locals: [] });
    expect(d[23]).toMatchObject({ fairness: 'none', name: { name: 'P' }, setKind: '\\in', id: { name: 'S' }, locals: [{}, { initKind: '\\in' }] });
    expect(d[24]).toMatchObject({ fairness: 'none', name: { name: 'Q' }, setKind: '=', id: { value: 'q' }, locals: [] });
    expect(d[25]).toMatchObject({ fairness: 'weak', name: { name: 'R' }, setKind: '=' });
    expect(d[26]).toMatchObject({ fairness: 'strong', name: { name: 'T' }, setKind: '\\in' });
    expect(d[27]).toMatchObject({ name: { name: 'hold' }, description: 'PL held (ebdf4de5642f)', decls: [{ kind: 'procedure' }] });
    expect(d[28]).toMatchObject({ name: { name: 'bare' }, description: null, decls: [{ kind: 'constants' }] });
  });

  test('a module', () => {
    expect(parseOk('module kernel { macro m() { skip } }')).toMatchObject({ kind: 'module', name: { name: 'kernel' } });
  });

  test('declaration spans cover the declaration', () => {
    const text = 'algorithm A {\n  variables x = 0;\n}\n';
    const [v] = parseOk(text).decls;
    expect(text.slice(v.span.start, v.span.end)).toBe('variables x = 0;');
    expect(v.span.file).toBe('test.lspec');
  });

  test('kernel operation names are not reserved', () => {
    const d = parseOk('algorithm A { variables lock = 0, free = {}; process (P = 1) { alloc: lock := 1; } }').decls;
    expect(d[0]).toMatchObject({ vars: [{ name: { name: 'lock' } }, { name: { name: 'free' } }] });
  });
});
