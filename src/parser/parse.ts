// The parser's entry points: source text to the typed AST (ast.ts), or to located diagnostics.
// They never throw: a failed match, an unclosed comment, an integer out of range, text nested past
// the limit (at the opener past it), even text too deep for the stack, all come back as a diagnostic.
import type * as ohm from 'ohm-js';
import type { Expr, SourceFile, Span } from './ast.js';
import { astSemantics, buildAst } from './build-ast.js';
import { diag, type Diagnostic } from '../diagnostics/diagnostics.js';
import { blockCommentEnd, layout, MAX_NESTING, type Layout } from './column-layout.js';
// The grammar bundle `npm run grammar` generates from lockspec.ohm (with its typed .d.ts): it builds
// the grammar from a precompiled recipe, so the CLI and every search worker thread load it in
// milliseconds instead of compiling the .ohm source (about 170 ms); and only on the first parse, so
// that a run whose files all come from the parse cache builds no grammar (nor loads ohm).
import grammar, { type LockspecGrammar, type LockspecSemantics } from './lockspec.ohm-bundle.js';

/** The compiled lockspec grammar, which src/tla's grammars extend. */
export const lockspecGrammar = (): LockspecGrammar => grammar();

let semantics: LockspecSemantics | null = null;
/** The `ast` semantics of lockspec.ohm, which src/tla's semantics extend. */
export const lockspecSemantics = (): LockspecSemantics => (semantics ??= astSemantics(grammar()));

/** Parses a whole `.lspec` file (one algorithm or module). */
export function parseSource(text: string, file: string): [Diagnostic[], SourceFile | null] {
  return parseWith<SourceFile>(text, file, 'File');
}

/** Parses one expression, such as the right side of `--const N=expr`. */
export function parseExpression(text: string, file: string): [Diagnostic[], Expr | null] {
  return parseWith<Expr>(text, file, 'Expr');
}

function parseWith<T>(text: string, file: string, startRule: string): [Diagnostic[], T | null] {
  return parseWithGrammar<T>(grammar(), lockspecSemantics(), text, file, startRule);
}

/**
 * Parses `text` from `startRule` of lockspec.ohm or of a grammar that extends it (src/tla reads
 * TLA+ modules and TLC configs so), with a semantics that extends the `ast` operation.
 */
export function parseWithGrammar<T>(g: ohm.Grammar, sem: ohm.Semantics, text: string, file: string, startRule: string): [Diagnostic[], T | null] {
  try {
    const laid = layout(text);
    if (laid.tooDeep !== null) {
      return [[diag('ParserLimit', { file, ...laid.tooDeep }, `it nests more than ${MAX_NESTING} levels deep`)], null];
    }
    const match = g.match(laid.text, startRule);
    if (match.failed()) return [[failure(match as ohm.FailedMatchResult, text, laid, file)], null];
    const [diagnostics, ast] = buildAst<T>(sem as LockspecSemantics, match, laid, file);
    return diagnostics.length > 0 ? [diagnostics, null] : [[], ast];
  } catch (e) {
    const reason = e instanceof RangeError ? 'it is nested too deeply' : String(e);
    return [[diag('ParserLimit', { file, start: 0, end: 0 }, reason)], null];
  }
}

/** The one diagnostic for a failed match: at the rightmost failure, saying what was expected. */
function failure(match: ohm.FailedMatchResult, text: string, laid: Layout, file: string): Diagnostic {
  const at = laid.toSource(match.getRightmostFailurePosition());
  const comment = unclosedComment(text);
  if (comment !== null && comment <= at) return diag('UnterminatedComment', { file, start: comment, end: comment + 2 });
  const where: Span = { file, start: at, end: Math.min(at + 1, text.length) };
  if (text[at] === '"' && !STRING.test(text.slice(at))) {
    return diag('SyntaxError', where, 'a closing " on the same line (the only escapes are \\" and \\\\)');
  }
  return diag('SyntaxError', where, expectedText(match));
}

/** A whole string literal, as the grammar's `string` rule reads it. */
const STRING = /^"(?:\\["\\]|[^"\\\n])*"/;

interface OhmFailure {
  isFluffy(): boolean;
  isDescription(): boolean;
  getText(): string;
  toString(): string;
}

/** `";", "}" or a statement`: literal tokens first, then described items, without repeats. */
function expectedText(match: ohm.MatchResult): string {
  const failures = (match as unknown as { getRightmostFailures(): OhmFailure[] }).getRightmostFailures();
  const tokens = new Set<string>();
  const described = new Set<string>();
  for (const f of [...failures].reverse()) {
    if (f.isFluffy()) continue;
    if (!f.isDescription()) tokens.add(f.toString());
    else if (!f.getText().startsWith('not ')) described.add(f.getText());
  }
  const items = [...tokens, ...described];
  if (items.length === 0) return 'something else';
  if (items.length === 1) return items[0];
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/**
 * Where a `(*` comment that is never closed starts, or null. Reads the text as the grammar's
 * `space` rule does: strings and line comments hide `(*`, block comments nest.
 */
function unclosedComment(text: string): number | null {
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      i++;
      while (i < text.length && text[i] !== '"' && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i++;
    } else if (text.startsWith('\\*', i) || text.startsWith('//', i)) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (text.startsWith('(*', i)) {
      const end = blockCommentEnd(text, i);
      if (end < 0) return i;
      i = end;
    } else {
      i++;
    }
  }
  return null;
}
