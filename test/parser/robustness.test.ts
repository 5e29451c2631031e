// The parser never throws: random bytes, random token soup and randomly mutated example files all
// come back as either an AST without diagnostics or no AST and diagnostics located in the text.
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parseExpression, parseSource } from '../../src/parser/parse.js';

const dir = new URL('../../examples/', import.meta.url);
const examples = readdirSync(dir)
  .filter((f) => f.endsWith('.lspec'))
  .map((f) => readFileSync(new URL(f, dir), 'utf8'));

function wellFormed(text: string, [diagnostics, ast]: [{ span: { start: number; end: number } | null }[], unknown]): boolean {
  if (ast !== null) return diagnostics.length === 0;
  return (
    diagnostics.length > 0 &&
    diagnostics.every((d) => d.span !== null && d.span.start >= 0 && d.span.start <= d.span.end && d.span.end <= text.length)
  );
}

const TOKENS = [
  'algorithm', 'A', '{', '}', '(', ')', '[', ']', ';', ',', ':', ':=', '=', '==', '\\in', 'x', '1', '"s"',
  'process', 'variables', 'if', 'else', 'while', 'either', 'or', 'with', 'skip', '/\\', '\\/', '~', '+',
  '<<', '>>', '|->', '->', 'EXCEPT', '!', '@', 'CASE', '[]', 'OTHER', 'LET', 'IN', '\\A', 'CHOOSE', '(*',
  '*)', '\\*', '\n', ' ', 'define', 'invariant', '||', '..', '.', 'IF', 'THEN', 'ELSE',
];

test('random bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      const text = String.fromCharCode(...bytes);
      return wellFormed(text, parseSource(text, 'r')) && wellFormed(text, parseExpression(text, 'r'));
    }),
    { numRuns: 300 },
  );
});

test('random token sequences', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }), (tokens) => {
      const text = tokens.join(' ');
      return wellFormed(text, parseSource(text, 'r')) && wellFormed(text, parseExpression(text, 'r'));
    }),
    { numRuns: 300 },
  );
});

test('randomly mutated examples', () => {
  const edit = fc.tuple(fc.constantFrom('delete', 'insert', 'replace'), fc.nat(), fc.constantFrom(...TOKENS, 'a', '"', '\\', '*'));
  fc.assert(
    fc.property(fc.constantFrom(...examples), fc.array(edit, { minLength: 1, maxLength: 4 }), (source, edits) => {
      let text = source;
      for (const [op, at, s] of edits) {
        const i = at % (text.length + 1);
        if (op === 'delete') text = text.slice(0, i) + text.slice(i + 1);
        else if (op === 'insert') text = text.slice(0, i) + s + text.slice(i);
        else text = text.slice(0, i) + s + text.slice(i + 1);
      }
      return wellFormed(text, parseSource(text, 'm'));
    }),
    { numRuns: 300 },
  );
});
