// A pass over the source text before the grammar sees it, for what a context-free grammar cannot
// say: TLA+ reads a bulleted `/\` or `\/` list by its column (each item ends at the first token
// at or left of its bullet's column), not by operator precedence. The pass finds those lists and
// writes their boundaries as parentheses, `( /\ (item) /\ (item) )`. It also shortens what the
// grammar would read character by character: a string literal's text is kept aside (the grammar
// sees `""`) and a comment becomes one space. `toSource` maps offsets in the text the grammar saw
// back to the user's text, so every span and error stays located where the user wrote it. And it
// finds where the text nests deeper than the grammar is given (MAX_NESTING), before the grammar
// would run out of stack there.

/** The text for the grammar and the way back to the user's offsets. */
export interface Layout {
  text: string;
  /** A string literal's value by the offset of its opening quote in `text`. */
  strings: Map<number, string>;
  /** The offset in the user's text of offset `at` in `text`. */
  toSource(at: number): number;
  /** The token (offsets in the user's text) that opens a level past MAX_NESTING, or null. */
  tooDeep: { start: number; end: number } | null;
}

/**
 * How deep constructs may nest (docs/language.md): each open bracket `(` `[` `{` `<<`, IF, CASE,
 * LET, quantifier and CHOOSE is a level until it is closed, and so are an ELSE branch, a LET's
 * body and a quantifier's body, up to the end of the construct they are in.
 */
export const MAX_NESTING = 64;
/** An ELSE branch, a LET body or a quantifier body: a level with no closing token. */
const TAIL = 'tail';

interface Token {
  start: number;
  end: number;
  text: string;
  column: number;
}

/** An open bracket-like construct, or an open junction list. */
type Frame =
  | { kind: 'open'; token: string }
  | { kind: 'list'; bullet: string; column: number };

const OPENERS: Record<string, string> = { ')': '(', ']': '[', '}': '{', '>>': '<<', THEN: 'IF', ELSE: 'THEN', IN: 'LET' };
const QUANTIFIERS = new Set(['\\A', '\\E', '\\forall', '\\exists', 'forall', 'exists', 'CHOOSE']);
/** Separators that no junction item contains at its own level: they end lists opened at that level. */
const SEPARATORS = new Set([',', ';', ':=', '->', '|->', '[]', '==', ':']);
/** Tokens after which an expression is complete: a `/\` after one of them is infix, not a bullet. */
const OPERAND_WORDS = new Set(['TRUE', 'FALSE']);
const RESERVED = new Set([
  'IF', 'THEN', 'ELSE', 'CASE', 'OTHER', 'LET', 'IN', 'CHOOSE', 'DOMAIN', 'SUBSET', 'UNION', 'EXCEPT', 'not',
  'and', 'or', 'forall', 'exists', 'algorithm', 'module', 'import', 'constants', 'values', 'type', 'variables',
  'spinlock', 'sleeplock', 'refcount', 'of', 'object', 'mapping', 'define', 'invariant', 'final', 'disable',
  'macro', 'procedure', 'process', 'fair', 'design', 'if', 'else', 'while', 'either', 'with', 'await', 'when',
  'goto', 'assert', 'skip', 'print', 'call', 'return', 'constant', 'variable', 'symmetry',
]);
const SYMBOLS = ['<=>', '|->', '/\\', '\\/', '<<', '>>', '->', '[]', '==', ':=', '||', '..', '=>', '<=', '>=', '/=', '!=', '&&'];
const WORD = /[A-Za-z0-9_]/;
const STRING = /"(?:\\["\\]|[^"\\\n])*"/y;

function isCase(f: Frame): boolean {
  return f.kind === 'open' && f.token === 'CASE';
}

function endsOperand(t: Token | null): boolean {
  if (t === null) return false;
  // `'` is a prime (`x' /\ y' = 1`): it ends an operand.
  if (t.text === ')' || t.text === ']' || t.text === '}' || t.text === '>>' || t.text === '@' || t.text === "'") return true;
  if (t.text[0] === '"' || /[0-9]/.test(t.text[0])) return true;
  return /^[A-Za-z_]/.test(t.text) && (OPERAND_WORDS.has(t.text) || !RESERVED.has(t.text));
}

/** Lays out `source` for the grammar (see the file comment). Linear in the length of `source`. */
export function layout(source: string): Layout {
  const out: string[] = [];
  // Edits as [offset in `text` from which they apply, (source offset - text offset) from there].
  const edits: [number, number][] = [];
  const strings = new Map<number, string>();
  let copied = 0; // how much of `source` is in `out`
  let length = 0; // the length of `out` joined
  let shift = 0; // source offset - text offset at the end of `out`
  const emit = (s: string): void => {
    out.push(s);
    length += s.length;
  };
  const copyTo = (at: number): void => {
    emit(source.slice(copied, at));
    copied = at;
  };
  /** Inserts `s` at source offset `at` (or after what is already copied), mapping each char to `at`. */
  const insert = (at: number, s: string): void => {
    copyTo(Math.max(at, copied));
    for (const ch of s) {
      emit(ch);
      edits.push([length, --shift]);
    }
  };
  /** Replaces source[from, to) by `s` (shorter), keeping `s` at the source offset `from`. */
  const shorten = (from: number, to: number, s: string): void => {
    copyTo(from);
    emit(s);
    copied = to;
    shift += to - from - s.length;
    edits.push([length, shift]);
  };

  const frames: Frame[] = [];
  const levels: string[] = []; // what nests at the current token (see MAX_NESTING)
  let tooDeep: Layout['tooDeep'] = null;
  let previous: Token | null = null;
  let itemStarts = false; // the next token starts a list item
  /** Closes the innermost frame; for a list, with `)` for its item and `)` for the list. */
  const closeList = (): void => {
    if (frames.pop()!.kind === 'list') insert(previous!.end, '))');
  };
  /** Closes the lists on top of the frames. */
  const closeLists = (): void => {
    while (frames.length > 0 && frames[frames.length - 1].kind === 'list') closeList();
  };

  let i = 0;
  let lineStart = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '\n') {
      lineStart = ++i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    // Comments: a well-formed one becomes a space (parse.ts reports an unclosed one).
    if (source.startsWith('\\*', i) || source.startsWith('//', i)) {
      const end = source.indexOf('\n', i);
      const to = end < 0 ? source.length : end;
      shorten(i, to, ' ');
      i = to;
      continue;
    }
    if (source.startsWith('(*', i)) {
      const to = blockCommentEnd(source, i);
      if (to < 0) break; // never closed: the grammar reports it
      for (let k = i; k < to; k++) if (source[k] === '\n') lineStart = k + 1;
      shorten(i, to, ' ');
      i = to;
      continue;
    }
    let end: number;
    if (c === '"') {
      STRING.lastIndex = i;
      if (!STRING.test(source)) break; // the grammar reports a bad string
      end = STRING.lastIndex;
      copyTo(i);
      strings.set(length, source.slice(i + 1, end - 1).replace(/\\(["\\])/g, '$1'));
      shorten(i, end, '""');
    } else if (WORD.test(c)) {
      end = i + 1;
      while (end < source.length && WORD.test(source[end])) end++;
    } else if (c === '\\' && i + 1 < source.length && /[A-Za-z]/.test(source[i + 1])) {
      end = i + 2;
      while (end < source.length && /[A-Za-z]/.test(source[end])) end++;
    } else {
      const symbol = SYMBOLS.find((s) => source.startsWith(s, i));
      end = i + (symbol?.length ?? 1);
    }
    const token: Token = { start: i, end, text: source.slice(i, end), column: i - lineStart };
    i = end;
    if (tooDeep === null) nest(token);
    visit(token);
    previous = token;
  }
  if (itemStarts) insert(source.length, '(');
  closeLists();
  copyTo(source.length);
  return { text: out.join(''), strings, toSource: (at) => toSource(edits, at), tooDeep };

  /** Follows the nesting levels at `token`; sets tooDeep at the first opener past the limit. */
  function nest(token: Token): void {
    const t = token.text;
    const top = levels[levels.length - 1];
    const opener = OPENERS[t];
    if (opener !== undefined) {
      const at = levels.lastIndexOf(opener);
      if (at < 0) return;
      levels.length = at;
      if (t === 'THEN') levels.push('THEN');
      if (t === 'ELSE' || t === 'IN') levels.push(TAIL);
    } else if (t === ':' && QUANTIFIERS.has(top)) {
      levels[levels.length - 1] = TAIL;
    } else if (SEPARATORS.has(t)) {
      // An ELSE branch or a body ends at a separator of the construct it is in; a CASE at one
      // that no arm contains.
      const ends = t === ',' || t === ';' || t === '==' ? [TAIL, 'CASE'] : [TAIL];
      while (levels.length > 0 && ends.includes(levels[levels.length - 1])) levels.pop();
    } else if (t === '(' || t === '[' || t === '{' || t === '<<' || t === 'IF' || t === 'LET' || t === 'CASE' || QUANTIFIERS.has(t)) {
      levels.push(t);
      if (levels.length > MAX_NESTING) tooDeep = { start: token.start, end: token.end };
    }
  }

  function visit(token: Token): void {
    const t = token.text;
    if (itemStarts) insert(token.start, '(');
    itemStarts = false;
    // A token at or left of a list's column ends it, unless it is that list's next bullet. A CASE
    // has no closing token: its arms end with the list it is in.
    for (;;) {
      let at = frames.length - 1;
      while (at >= 0 && isCase(frames[at])) at--;
      const top = frames[at];
      if (top?.kind !== 'list' || token.column > top.column) break;
      while (frames.length > at + 1) frames.pop();
      if (token.column === top.column && t === top.bullet) {
        insert(previous!.end, ')');
        itemStarts = true;
        return;
      }
      closeList();
    }
    if ((t === '/\\' || t === '\\/') && !endsOperand(previous)) {
      insert(token.start, '(');
      itemStarts = true;
      frames.push({ kind: 'list', bullet: t, column: token.column });
      return;
    }
    const opener = OPENERS[t];
    if (opener !== undefined) {
      // A closing token ends the lists inside its construct; THEN and ELSE continue it.
      let at = frames.length - 1;
      while (at >= 0 && !(frames[at].kind === 'open' && (frames[at] as { token: string }).token === opener)) at--;
      if (at < 0) return;
      while (frames.length > at + 1) closeList();
      frames.pop();
      if (t === 'THEN') frames.push({ kind: 'open', token: 'THEN' });
      return;
    }
    if (t === ':' && frames.length > 0) {
      closeLists();
      const top = frames[frames.length - 1];
      if (top?.kind === 'open' && QUANTIFIERS.has(top.token)) frames.pop();
      return;
    }
    if (SEPARATORS.has(t)) {
      closeLists();
      return;
    }
    if (t === '(' || t === '[' || t === '{' || t === '<<' || t === 'IF' || t === 'LET' || t === 'CASE' || QUANTIFIERS.has(t)) {
      frames.push({ kind: 'open', token: t });
    }
  }
}

/** The end of the `(* ... *)` comment at `from` (they nest), or -1 if it is never closed. */
export function blockCommentEnd(source: string, from: number): number {
  let depth = 0;
  let i = from;
  do {
    if (source.startsWith('(*', i)) {
      depth++;
      i += 2;
    } else if (source.startsWith('*)', i)) {
      depth--;
      i += 2;
    } else {
      i++;
    }
  } while (depth > 0 && i < source.length);
  return depth > 0 ? -1 : i;
}

/** The source offset of `at`: `at` plus the shift of the last edit that applies from at or before it. */
function toSource(edits: [number, number][], at: number): number {
  let lo = 0;
  let hi = edits.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edits[mid][0] <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? at : at + edits[lo - 1][1];
}
