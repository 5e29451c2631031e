// Expressions: every construct's AST shape, every operator alias, precedence, spans and literals.
import { parseExpression } from '../../src/parser/parse.js';
import { exprOk, show } from './helpers.js';

const showOf = (text: string): string => show(exprOk(text));

describe('literals and names', () => {
  test.each([
    ['42', '42'],
    ['TRUE', 'TRUE'],
    ['FALSE', 'FALSE'],
    ['x_1', 'x_1'],
    ['_y', '_y'],
    ['self', 'self'],
    ['"text"', '"text"'],
    ['"a \\"quoted\\" \\\\ b"', JSON.stringify('a "quoted" \\ b')],
    ['TRUEx', 'TRUEx'],
    ['ifx', 'ifx'],
    ['variablesX', 'variablesX'],
    ['variable1', 'variable1'],
    ['constants_', 'constants_'],
    ['orx', 'orx'],
    ['INx', 'INx'],
    ['268435455', '268435455'],
  ])('%s', (src, expected) => expect(showOf(src)).toBe(expected));

  test.each([['variable'], ['variables'], ['constant'], ['or'], ['IN'], ['OTHER'], ['skip']])('%s is reserved', (word) => {
    expect(parseExpression(word, 'e')[1]).toBeNull();
  });

  test('an integer above 2^28-1 is BadNumber', () => {
    const [diagnostics, ast] = parseExpression('1 + 268435456', 'e');
    expect(ast).toBeNull();
    expect(diagnostics).toEqual([
      {
        kind: 'BadNumber', code: 1003, severity: 'error', message: 'integer 268435456 is too large: expected at most 2^28-1',
        span: { file: 'e', start: 4, end: 13 },
      },
    ]);
  });
});

describe('constructs', () => {
  test.each([
    ['f[a]', '(apply f a)'],
    ['f[a, b]', '(apply f a b)'],
    ['r.f', '(. r f)'],
    ['f[a].b[c]', '(apply (. (apply f a) b) c)'],
    ['Cardinality(S)', '(Cardinality S)'],
    ['Op(a, b + 1)', '(Op a (+ b 1))'],
    ['{}', '{}'],
    ['{a, b}', '{a b}'],
    ['{x \\in S : x > 1}', '(filter (x S) (> x 1))'],
    ['{x + 1 : x \\in S}', '(map (+ x 1) (x S))'],
    ['{<<x, y>> : x \\in S, y \\in T}', '(map <<x y>> (x S) (y T))'],
    ['{x \\in S}', '{(\\in x S)}'],
    ['<<>>', '<<>>'],
    ['<<a, b>>', '<<a b>>'],
    ['<<a, b > c>>', '<<a (> b c)>>'],
    ['[a |-> 1, b |-> 2]', '(record a 1 b 2)'],
    ['[a : S, b : T]', '(recordSet a S b T)'],
    ['[x \\in S |-> x + 1]', '(fn (x S) (+ x 1))'],
    ['[x, y \\in S, z \\in T |-> 0]', '(fn (x y S) (z T) 0)'],
    ['[S -> T]', '(-> S T)'],
    ['[1..N -> 0..M]', '(-> (.. 1 N) (.. 0 M))'],
    ['[f EXCEPT ![a] = 1]', '(except f [a] 1)'],
    ['[f EXCEPT ![a].b = e, ![c] = @ + 1]', '(except f [a].b e [c] (+ @ 1))'],
    ['[f EXCEPT ![a, b] = 1]', '(except f [a b] 1)'],
    ['IF p THEN a ELSE b', '(if p a b)'],
    ['IF p THEN a ELSE b + 1', '(if p a (+ b 1))'],
    ['CASE p -> a [] q -> b', '(case p a q b)'],
    ['CASE p -> a [] q -> b [] OTHER -> c', '(case p a q b other c)'],
    ['LET x == 1 IN x', '(let (x 1) x)'],
    ['LET x == 1  f(y, z) == y + x  g[i \\in S] == g[i] IN f(x, 2)', '(let (x 1) (f y z (+ y x)) (g i in S (apply g i)) (f x 2))'],
    ['\\A x \\in S : p', '(forall (x S) p)'],
    ['\\A x, y \\in S, z \\in T : p', '(forall (x y S) (z T) p)'],
    ['\\E x \\in S : p /\\ q', '(exists (x S) (/\\ p q))'],
    ['forall x \\in S : p', '(forall (x S) p)'],
    ['exists x \\in S : p', '(exists (x S) p)'],
    ['\\forall x \\in S : p', '(forall (x S) p)'],
    ['\\exists x \\in S : p', '(exists (x S) p)'],
    ['CHOOSE x \\in S : x > 0', '(choose (x S) (> x 0))'],
    ['DOMAIN f', '(DOMAIN f)'],
    ['SUBSET S', '(SUBSET S)'],
    ['UNION S', '(UNION S)'],
    ['-x', '(- x)'],
    ['(a)', 'a'],
    ['pc[p] = "Done"', '(= (apply pc p) "Done")'],
  ])('%s', (src, expected) => expect(showOf(src)).toBe(expected));

  test('a nested CASE, LET and quantifier extend as far right as possible', () => {
    expect(showOf('\\A x \\in S : \\E y \\in T : x = y')).toBe('(forall (x S) (exists (y T) (= x y)))');
    expect(showOf('LET a == 1 IN a + 1')).toBe('(let (a 1) (+ a 1))');
  });
});

describe('aliases normalise to the canonical operator', () => {
  test.each([
    ['<=>', '<=>'], ['\\equiv', '<=>'], ['=>', '=>'],
    ['\\/', '\\/'], ['\\lor', '\\/'], ['or', '\\/'], ['||', '\\/'],
    ['/\\', '/\\'], ['\\land', '/\\'], ['&&', '/\\'], ['and', '/\\'],
    ['=', '='], ['#', '#'], ['/=', '#'], ['!=', '#'],
    ['<', '<'], ['<=', '<='], ['=<', '<='], ['\\leq', '<='], ['>', '>'], ['>=', '>='], ['\\geq', '>='],
    ['\\in', '\\in'], ['\\notin', '\\notin'], ['\\subseteq', '\\subseteq'],
    ['..', '..'], ['\\cup', '\\cup'], ['\\union', '\\cup'], ['\\', '\\'],
    ['\\cap', '\\cap'], ['\\intersect', '\\cap'],
    ['+', '+'], ['-', '-'], ['*', '*'], ['\\div', '\\div'], ['%', '%'],
    ['\\o', '\\o'], ['\\X', '\\X'], ['\\times', '\\X'],
    ['(+)', '(+)'], ['(-)', '(-)'],
  ])('a %s b', (op, canonical) => {
    const e = exprOk(`a ${op} b`);
    expect(e).toMatchObject({ kind: 'binary', op: canonical, left: { name: 'a' }, right: { name: 'b' } });
  });

  test('\\oplus and \\ominus are user-definable infix operators (the Bags module\'s (+) and (-) when undefined)', () => {
    expect(exprOk('a \\oplus b')).toMatchObject({ kind: 'opcall', name: { name: '\\oplus' }, args: [{ name: 'a' }, { name: 'b' }] });
    expect(exprOk('a \\ominus b')).toMatchObject({ kind: 'opcall', name: { name: '\\ominus' } });
  });

  test.each([['~'], ['!'], ['not'], ['\\lnot'], ['\\neg']])('%s a', (op) => {
    expect(exprOk(`${op} a`)).toMatchObject({ kind: 'unary', op: '~', arg: { name: 'a' } });
  });

  test('operators need no spaces', () => {
    expect(showOf('S\\{x}')).toBe('(\\ S {x})');
    expect(showOf('a/=b')).toBe('(# a b)');
    expect(showOf('x=<<1, 2>>')).toBe('(= x <<1 2>>)');
    expect(showOf('k-1')).toBe('(- k 1)');
  });
});

describe('precedence, loosest first', () => {
  test.each([
    ['a <=> b => c', '(<=> a (=> b c))'],
    ['a => b => c', '(=> a (=> b c))'],
    ['a => b \\/ c', '(=> a (\\/ b c))'],
    ['a \\/ b /\\ c', '(\\/ a (/\\ b c))'],
    ['a /\\ b \\/ c', '(\\/ (/\\ a b) c)'],
    ['a /\\ b /\\ c', '(/\\ (/\\ a b) c)'],
    ['~a /\\ b', '(/\\ (~ a) b)'],
    ['~a = b', '(~ (= a b))'],
    ['~~a', '(~ (~ a))'],
    ['x \\in 0..N', '(\\in x (.. 0 N))'],
    ['x \\in S \\cup T', '(\\in x (\\cup S T))'],
    ['a .. b + 1', '(.. a (+ b 1))'],
    ['S \\cup T \\cap U', '(\\cup S (\\cap T U))'],
    ['S \\ T \\cup U', '(\\cup (\\ S T) U)'],
    ['S \\cap T + 1', '(\\cap S (+ T 1))'],
    ['{0} \\cup 1..N', '(\\cup {0} (.. 1 N))'],
    ['S \\cap 1..N', '(\\cap S (.. 1 N))'],
    ['a + b - c', '(- (+ a b) c)'],
    ['a + b * c', '(+ a (* b c))'],
    ['a - b \\o c', '(- a (\\o b c))'],
    ['a (+) b (-) c \\o d', '((-) ((+) a b) (\\o c d))'],
    ['s \\o t * 2', '(\\o s (* t 2))'],
    ['a * b \\div c % d', '(% (\\div (* a b) c) d)'],
    ['a * S \\X T', '(* a (\\X S T))'],
    ['S \\X T \\X U', '(\\X (\\X S T) U)'],
    ['-a \\X b', '(\\X (- a) b)'],
    ['-a * b', '(* (- a) b)'],
    ['a * -b', '(* a (- b))'],
    ['-2^2', '(- (^ 2 2))'],
    ['a * b^c', '(* a (^ b c))'],
    ['a^b * c', '(* (^ a b) c)'],
    ['f[x]^r.n', '(^ (apply f x) (. r n))'],
    ['2^(-1)', '(^ 2 (- 1))'],
    ['-f[x]', '(- (apply f x))'],
    ['-r.f', '(- (. r f))'],
    ['DOMAIN f \\cup S', '(\\cup (DOMAIN f) S)'],
    ['SUBSET S \\cup T', '(\\cup (SUBSET S) T)'],
    ['p # q => ~(a /\\ b)', '(=> (# p q) (~ (/\\ a b)))'],
    ['a || b && c', '(\\/ a (/\\ b c))'],
    ['a or b and not c', '(\\/ a (/\\ b (~ c)))'],
    ['counter = N * M', '(= counter (* N M))'],
  ])('%s', (src, expected) => expect(showOf(src)).toBe(expected));

  test('a leading bullet is dropped', () => {
    expect(showOf('/\\ lock \\in 0..N /\\ counter \\in 0..9')).toBe('(/\\ (\\in lock (.. 0 N)) (\\in counter (.. 0 9)))');
    expect(showOf('\\/ a \\/ b')).toBe('(\\/ a b)');
    expect(showOf('f[/\\ a /\\ b]')).toBe('(apply f (/\\ a b))');
    expect(showOf('\\/ (/\\ a /\\ b) \\/ c')).toBe('(\\/ (/\\ a b) c)');
  });

  test('^ does not chain and takes no unary minus on its right, as in TLA+', () => {
    expect(parseExpression('a^b^c', 'e')[0][0]).toMatchObject({ kind: 'SyntaxError', span: { start: 3 } });
    expect(parseExpression('2^-1', 'e')[0][0]).toMatchObject({ kind: 'SyntaxError', span: { start: 2 } });
  });

  test('comparisons do not chain', () => {
    expect(parseExpression('a = b = c', 'e')[0][0]).toMatchObject({ kind: 'SyntaxError', span: { start: 6 } });
  });
});

describe('spans', () => {
  test('operators span their operands, names their text, without surrounding space', () => {
    const e = exprOk('  a + f[b] ');
    expect(e.span).toEqual({ file: 'expr', start: 2, end: 10 });
    if (e.kind !== 'binary' || e.right.kind !== 'apply') throw new Error('shape');
    expect(e.left.span).toEqual({ file: 'expr', start: 2, end: 3 });
    expect(e.right.span).toEqual({ file: 'expr', start: 6, end: 10 });
    expect(e.right.args[0].span).toEqual({ file: 'expr', start: 8, end: 9 });
  });

  test('binders span from the first name to the set', () => {
    const e = exprOk('\\A x, y \\in S : TRUE');
    if (e.kind !== 'quant') throw new Error('shape');
    expect(e.binders[0].span).toMatchObject({ start: 3, end: 13 });
    expect(e.binders[0].names.map((n) => n.span.start)).toEqual([3, 6]);
  });
});

test('comments are space', () => {
  expect(showOf('a \\* comment\n + (* block (* nested *) *) b // more\n')).toBe('(+ a b)');
});
