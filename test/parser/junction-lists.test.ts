// TLA+ bulleted lists are read by their column, as TLA+ reads them: each item ends at the first
// token at or left of its bullet. The shapes first, then whole models whose verdicts TLC gave.
import { checkModel } from '../../src/pipeline/check-file.js';
import { parseExpression } from '../../src/parser/parse.js';
import { writeModel } from '../helpers.js';
import { exprOk, show } from './helpers.js';

const showOf = (lines: string[]): string => show(exprOk(lines.join('\n')));

describe('the shape of a bulleted list', () => {
  test.each([
    ['an implication in the second item', ['/\\ x = 0', '/\\ y = 1 => x = 5'], '(/\\ (= x 0) (=> (= y 1) (= x 5)))'],
    ['a quantifier that is not the last item', ['/\\ \\A z \\in S : TRUE', '/\\ y > 0'], '(/\\ (forall (z S) TRUE) (> y 0))'],
    ['a CHOOSE that is not the last item', ['/\\ CHOOSE z \\in S : TRUE', '/\\ y'], '(/\\ (choose (z S) TRUE) y)'],
    ['a LET that is not the last item', ['/\\ LET a == 1 IN a = 1', '/\\ y'], '(/\\ (let (a 1) (= a 1)) y)'],
    ['an IF that is not the last item', ['/\\ IF a THEN b ELSE c', '/\\ y'], '(/\\ (if a b c) y)'],
    ['an IF over several lines', ['/\\ IF a', '   THEN b', '   ELSE c', '/\\ y'], '(/\\ (if a b c) y)'],
    ['a CASE that is not the last item', ['/\\ CASE a -> b', '     [] c -> d', '/\\ y'], '(/\\ (case a b c d) y)'],
    ['a disjunction list', ['\\/ a /\\ b', '\\/ c'], '(\\/ (/\\ a b) c)'],
    ['a list nested in an item', ['/\\ \\/ a', '   \\/ b', '/\\ c'], '(/\\ (\\/ a b) c)'],
    ['lists nested in a disjunction', ['\\/ /\\ a', '   /\\ b', '\\/ /\\ c', '   /\\ d'], '(\\/ (/\\ a b) (/\\ c d))'],
    ['a list after an operator at the end of a line', ['p =>', '  /\\ a', '  /\\ b'], '(=> p (/\\ a b))'],
    ['a list inside parentheses', ['(/\\ a', ' /\\ b) \\/ c'], '(\\/ (/\\ a b) c)'],
    ['a list as an argument', ['f(/\\ a', '  /\\ b, c)'], '(f (/\\ a b) c)'],
    ['a one-line list reads by precedence', ['/\\ a => b /\\ c'], '(=> a (/\\ b c))'],
    ['an infix operator left of the bullet continues the expression', ['/\\ a', '\\/ b'], '(\\/ a b)'],
    ['an item continued on the next line right of its bullet', ['/\\ a =>', '     b', '/\\ c'], '(/\\ (=> a b) c)'],
  ])('%s', (_what, lines, expected) => expect(showOf(lines)).toBe(expected));

  test('spans are in the text as written', () => {
    const text = 'p =>\n  /\\ a\n  /\\ b';
    const e = exprOk(text);
    if (e.kind !== 'binary') throw new Error('expected =>');
    expect([e.span.start, e.span.end]).toEqual([0, text.length]);
    expect(text.slice(e.right.span.start, e.right.span.end)).toBe('a\n  /\\ b');
  });

  test('an empty item is an error at the token where its expression is missing', () => {
    const text = '/\\ a\n/\\\n/\\ b';
    const [diagnostics, ast] = parseExpression(text, 'e');
    expect(ast).toBeNull();
    expect(diagnostics).toMatchObject([{ kind: 'SyntaxError', message: 'expected an expression' }]);
    expect(diagnostics[0].span!.start).toBe(text.lastIndexOf('/\\'));
  });
});

/** A one-step model: variables x and y, one process that does nothing, and `Inv` over them. */
function model(init: string, inv: string[]): string {
  return [
    'algorithm A {',
    `  variables ${init};`,
    `  invariant Inv == ${inv.join('\n                   ')};`,
    '  process (P = 1) { a: skip; }',
    '}',
  ].join('\n');
}

// Each case is the TLA+ module
//   EXTENDS Integers
//   VARIABLES x, y
//   Init == <init as a conjunction>
//   Next == UNCHANGED <<x, y>>
//   Inv == <the same lines, at the same columns>
// checked by TLC with INIT Init, NEXT Next, INVARIANT Inv; the verdict is TLC's.
describe('verdicts as TLC gives them', () => {
  test.each([
    // TLC: "Invariant Inv is violated by the initial state".
    ['x = 0, y = 1', ['/\\ x = 0', '/\\ y = 1 => x = 5'], 'violation'],
    // TLC: violated.
    ['x = 0, y = 0', ['/\\ \\A z \\in {} : TRUE', '/\\ y > 0'], 'violation'],
    // TLC: violated.
    ['x = 1, y = 0', ['/\\ \\/ x = 1', '   \\/ y = 1', '/\\ x = 5'], 'violation'],
    // TLC: violated (Inv == y = 1 =>\n /\ x = 0\n /\ y = 2).
    ['x = 0, y = 1', ['y = 1 =>', '  /\\ x = 0', '  /\\ y = 2'], 'violation'],
    // TLC: violated.
    ['x = 0, y = 0', ['/\\ IF x = 0 THEN TRUE ELSE FALSE', '/\\ y > 0'], 'violation'],
    // TLC: "No error has been found".
    ['x = 0, y = 1', ['\\/ /\\ x = 1', '   /\\ y = 1', '\\/ /\\ x = 0', '   /\\ y = 1'], 'ok'],
  ])('%s: %j', (init, inv, verdict) => {
    const file = writeModel(model(init, inv));
    for (const engine of ['reference', 'compiled'] as const) {
      expect(checkModel(file, { engine })).toMatchObject({ verdict });
    }
  });
});
