// Syntax diagnostics: each failure gives exactly one diagnostic, at the right line:column, saying
// what was expected in the user's terms.
import { formatDiagnostic, lineCol } from '../../src/diagnostics/diagnostics.js';
import { parseExpression, parseSource } from '../../src/parser/parse.js';

function only(text: string): { where: string; kind: string; message: string } {
  const [diagnostics, ast] = parseSource(text, 'f.lspec');
  expect(ast).toBeNull();
  expect(diagnostics).toHaveLength(1);
  const [d] = diagnostics;
  const { line, column } = lineCol(text, d.span!.start);
  return { where: `${line}:${column}`, kind: d.kind, message: d.message };
}

const proc = (body: string): string => `algorithm A {\n  process (P = 1) {\n    ${body}\n  }\n}\n`;

describe('syntax errors', () => {
  test.each([
    ['a missing ";" between statements', proc('a: x := 1 y := 2;'), '3:15', 'expected ";", "}" or an operator'],
    ['a missing ";" after a declaration', 'algorithm A {\n  variables x = 0\n  process (P = 1) { a: skip; }\n}', '3:3', 'expected ",", ";" or an operator'],
    ['a missing expression', 'algorithm A { variables x = ; }', '1:29', 'expected an expression'],
    ['a missing operand', 'algorithm A { variables x = 1 + ; }', '1:33', 'expected an expression'],
    ['a missing declaration', 'algorithm A { foo }', '1:15', 'expected "}" or a declaration'],
    ['a missing statement after a label', proc('a: else;'), '3:8', 'expected a statement'],
    ['a missing statement', proc('a: skip; ;'), '3:14', 'expected "}" or a statement'],
    ['an unclosed parenthesis', proc('a: x := (1 + 2;'), '3:19', 'expected ")"'],
    ['an if without parentheses', proc('a: if x { skip; }'), '3:11', 'expected "("'],
    ['"=" for ":="', proc('a: x = 1;'), '3:10', 'expected "[", ".", ":=" or "("'],
    ['a missing "}"', 'algorithm A { process (P = 1) { a: skip; }', '1:43', 'expected "}"'],
    ['an incomplete record', 'algorithm A { variables x = [a |-> 1, b]; }', '1:40', 'expected "|->"'],
    ['an unclosed set', 'algorithm A { variables x = {1, 2; }', '1:34', 'expected "}"'],
    ['an unclosed tuple', 'algorithm A { variables x = <<1, 2; }', '1:35', 'expected ">>"'],
    ['a quantifier without ":"', 'algorithm A { variables x = \\A y \\in S p; }', '1:40', 'expected "(", ",", ":" or an operator'],
    ['IF without ELSE', 'algorithm A { variables x = IF a THEN b; }', '1:40', 'expected "ELSE"'],
    ['a CASE with a dangling "[]"', 'algorithm A { variables x = CASE a -> b [] ; }', '1:44', 'expected "OTHER" or an expression'],
    ['a reserved word as a name', 'algorithm A { variables if = 1; }', '1:25', 'expected an identifier'],
    ['chained comparisons', 'algorithm A { variables x = a = b = c; }', '1:35', 'expected "(", ",", ";" or an operator'],
    ['an empty definition', 'algorithm A { define { F == } }', '1:29', 'expected an expression'],
    ['a label cost that is not a number', proc('lbl [x]: skip;'), '3:12', 'expected ":="'],
    ['an unclosed process header', 'algorithm A { process (P \\in S { a: skip; } }', '1:32', 'expected "(", ")" or an operator'],
    ['"=" in an invariant', 'algorithm A { invariant I = 1; }', '1:27', 'expected "=="'],
    ['a disable without a reason', 'algorithm A { disable X; }', '1:24', 'expected a string'],
    ['no algorithm', 'algo A {}', '1:1', 'expected "algorithm" or "module"'],
    ['an empty file', '', '1:1', 'expected "algorithm" or "module"'],
    ['text after the algorithm', 'algorithm A { }\nextra', '2:1', 'expected end of input'],
    ['an empty index', 'algorithm A { variables x = f[]; }', '1:31', 'expected an expression'],
    ['an EXCEPT without "="', 'algorithm A { variables x = [f EXCEPT ![1] 2]; }', '1:44', 'expected "[", "." or "="'],
    ['a number glued to a name', 'algorithm A { variables x = 12ab; }', '1:29', 'expected an expression'],
    ['an unclosed string', 'algorithm A {\n  variables x = "abc;\n}', '2:17', 'expected a closing " on the same line (the only escapes are \\" and \\\\)'],
    ['a bad string escape', 'algorithm A { variables x = "a\\qb"; }', '1:29', 'expected a closing " on the same line (the only escapes are \\" and \\\\)'],
  ])('%s', (_what, text, where, message) => {
    expect(only(text)).toEqual({ where, kind: 'SyntaxError', message });
  });

  test('an unclosed (* comment is reported at the (*', () => {
    expect(only('algorithm A {\n  variables x = 1; (* never (* closed *)\n}')).toEqual({
      where: '2:20', kind: 'UnterminatedComment', message: 'comment is never closed: expected "*)"',
    });
  });

  test('"(*" inside a string or a line comment is not a comment', () => {
    expect(only('algorithm A { variables x = "(*"; \\* (*\n y }')).toMatchObject({ where: '2:4', kind: 'SyntaxError' });
  });

  test('an integer that is too large', () => {
    expect(only('algorithm A {\n  constants N = 268435456;\n}')).toEqual({
      where: '2:17', kind: 'BadNumber', message: 'integer 268435456 is too large: expected at most 2^28-1',
    });
  });

  // Each construct nested `n` deep, and where its `level`th opener starts.
  const nestings: [string, (n: number) => string, (text: string, level: number) => number][] = [
    ['parentheses', (n) => `${'('.repeat(n)}1${')'.repeat(n)}`, (_, level) => level - 1],
    ['set brackets', (n) => `${'{'.repeat(n)}1${'}'.repeat(n)}`, (_, level) => level - 1],
    ['sequence brackets', (n) => `${'<<'.repeat(n)}1${'>>'.repeat(n)}`, (_, level) => 2 * (level - 1)],
    ['record brackets', (n) => `${'[a |-> '.repeat(n)}1${']'.repeat(n)}`, (_, level) => 7 * (level - 1)],
    ['IF conditions', (n) => `${'IF '.repeat(n)}TRUE${' THEN 1 ELSE 2'.repeat(n)}`, (_, level) => 3 * (level - 1)],
    ['ELSE IF chains', (n) => `${'IF TRUE THEN 1 ELSE '.repeat(n)}2`, (_, level) => 20 * (level - 1)],
    ['LET bodies', (n) => `${'LET a == 1 IN '.repeat(n)}a`, (_, level) => 14 * (level - 1)],
    ['quantifier bodies', (n) => `${'\\A x \\in S : '.repeat(n)}TRUE`, (_, level) => 13 * (level - 1)],
  ];

  test.each(nestings)('%s nested 64 deep parse', (_, nest) => {
    expect(parseExpression(nest(64), 'e')[0]).toEqual([]);
  });

  test.each(nestings)('%s nested too deep are reported at the opener past the limit', (_, nest, opener) => {
    for (const n of [65, 5000]) {
      const text = nest(n);
      const [diagnostics, ast] = parseExpression(text, 'e');
      expect(ast).toBeNull();
      expect(diagnostics).toMatchObject([{
        kind: 'ParserLimit', message: 'cannot parse this text: it nests more than 64 levels deep', span: { start: opener(text, 65) },
      }]);
    }
  });

  test('statement blocks nested too deep are reported at the "{" past the limit, with a caret', () => {
    const nest = (n: number): string => `algorithm A {\n  variables x = 0;\n  process (P = 1)\n${'{\n'.repeat(n)}x := 1;\n${'}\n'.repeat(n)}}\n`;
    // The algorithm's "{" is the first level.
    expect(parseSource(nest(63), 'f.lspec')[0]).toEqual([]);
    for (const n of [64, 5000]) {
      const text = nest(n);
      const [[d, ...more]] = parseSource(text, 'f.lspec');
      expect(more).toEqual([]);
      expect(formatDiagnostic(d, new Map([['f.lspec', text]]))).toBe(
        ['f.lspec:67:1: error LS1005: cannot parse this text: it nests more than 64 levels deep', '   |', '67 | {', '   | ^'].join('\n'),
      );
    }
  });

  test('parseExpression reports at the end of the text', () => {
    expect(parseExpression('1 +', 'e')[0]).toEqual([
      { kind: 'SyntaxError', code: 1001, severity: 'error', message: 'expected an expression', span: { file: 'e', start: 3, end: 3 } },
    ]);
  });

  test('the formatted diagnostic has a caret under the place', () => {
    const text = proc('a: x := 1 y := 2;');
    const [[d]] = parseSource(text, 'f.lspec');
    expect(formatDiagnostic(d, new Map([['f.lspec', text]]))).toBe(
      [
        'f.lspec:3:15: error LS1001: expected ";", "}" or an operator',
        '  |',
        '3 |     a: x := 1 y := 2;',
        '  |               ^',
      ].join('\n'),
    );
  });
});
