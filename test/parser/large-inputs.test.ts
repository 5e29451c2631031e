// Large inputs parse, or fail at a located place: a long string literal or comment is read as one
// token, and a long run of operands neither recurses once per operand nor is reported at 1:1.
// No durations are asserted; the generous per-test timeout is the only bound. Runs of operators
// are grouped in a loop, so they cost no stack depth even inside deep nesting.
import { lineCol } from '../../src/diagnostics/diagnostics.js';
import { parseExpression, parseSource } from '../../src/parser/parse.js';

const MB = 1 << 20;

test('a 1 MB string literal', () => {
  const [diagnostics, ast] = parseExpression(`"${'a'.repeat(MB)}" = "b"`, 'e');
  expect(diagnostics).toEqual([]);
  expect(ast).toMatchObject({ kind: 'binary', left: { kind: 'str', span: { start: 0, end: MB + 2 } } });
  expect(ast?.kind === 'binary' && ast.left.kind === 'str' && ast.left.value.length).toBe(MB);
}, 60_000);

test('a 1 MB comment', () => {
  const text = `algorithm A {\n  (* ${'x'.repeat(MB)} *)\n  variables x = 0;\n}`;
  const [diagnostics, ast] = parseSource(text, 'f');
  expect(diagnostics).toEqual([]);
  expect(ast?.decls[0].span.start).toBe(text.indexOf('variables'));
}, 60_000);

test('an error after a 1 MB string literal is located', () => {
  const text = `algorithm A {\n  variables s = "${'a'.repeat(MB)}", t = ;\n}`;
  const [diagnostics] = parseSource(text, 'f');
  expect(diagnostics).toHaveLength(1);
  const { line, column } = lineCol(text, diagnostics[0].span!.start);
  expect([diagnostics[0].kind, line, column]).toEqual(['SyntaxError', 2, text.split('\n')[1].indexOf(';') + 1]);
}, 60_000);

test('a sum of 5,000 terms', () => {
  const n = 5000;
  const [diagnostics, ast] = parseExpression(Array.from({ length: n }, (_, i) => String(i % 10)).join(' + '), 'e');
  expect(diagnostics).toEqual([]);
  let depth = 0;
  for (let e = ast; e?.kind === 'binary'; e = e.left) depth++;
  expect(depth).toBe(n - 1);
}, 120_000);

test('an error at the end of a sum of 5,000 terms is located there, not at 1:1', () => {
  const text = `${Array.from({ length: 5000 }, () => '1').join(' + ')} + )`;
  const [diagnostics] = parseExpression(text, 'e');
  expect(diagnostics).toMatchObject([{ kind: 'SyntaxError', span: { start: text.length - 1 } }]);
}, 120_000);

test('a 5,000-conjunct chain and a 5,000-element set, each 60 parentheses deep, cost no stack per operand', () => {
  const n = 5000;
  const deep = (s: string): string => `${'('.repeat(60)}${s}${')'.repeat(60)}`;
  const [d1, and] = parseExpression(deep(Array.from({ length: n }, () => 'x').join(' /\\ ')), 'e');
  expect(d1).toEqual([]);
  let depth = 0;
  for (let e = and; e?.kind === 'binary' && e.op === '/\\'; e = e.left) depth++;
  expect(depth).toBe(n - 1);
  const [d2, set] = parseExpression(deep(`{${Array.from({ length: n }, (_, i) => String(i % 10)).join(', ')}}`), 'e');
  expect(d2).toEqual([]);
  expect(set?.kind === 'setEnum' && set.elems.length).toBe(n);
}, 120_000);

test('a long run mixing precedence levels groups as the short one does', () => {
  const unit = 'a + b * c \\o d - e';
  const [, one] = parseExpression(unit, 'e');
  const [, run] = parseExpression(Array.from({ length: 1000 }, () => `(${unit})`).join(' \\cup '), 'e');
  let e = run;
  for (let i = 0; i < 999; i++) e = e?.kind === 'binary' && e.op === '\\cup' ? e.left : null;
  expect(JSON.stringify(e, (k, v) => (k === 'span' ? undefined : v))).toBe(JSON.stringify(one, (k, v) => (k === 'span' ? undefined : v)));
}, 120_000);
