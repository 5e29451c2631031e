// What a wrong command line is told: yargs's usage messages turned into coded diagnostics, with a
// "did you mean" for a mistyped command or option (the nearest name by edit distance).
import { diag, type Diagnostic } from '../diagnostics/diagnostics.js';

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next.push(Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    row = next;
  }
  return row[b.length];
}

/** `did you mean X?` for the nearest name within a third of the word's length, else the names there are. */
function suggestion(word: string, names: string[], show: (name: string) => string): string {
  const ranked = names.map((n) => [n, editDistance(word, n)] as const).sort((x, y) => x[1] - y[1]);
  if (ranked.length && ranked[0][1] <= Math.max(2, Math.floor(word.length / 3))) return `did you mean ${show(ranked[0][0])}?`;
  return `expected one of ${names.map(show).join(', ')}`;
}

/**
 * The diagnostic of a usage error yargs reports: an unknown command (the first word when it is no
 * command), an unknown option (of the command given), or yargs's message as it is.
 * `words` are the command line's arguments; `options` the option names of the command given.
 */
export function usageDiagnostic(message: string, words: string[], commands: string[], options: string[]): Diagnostic {
  const first = words[0];
  if (first !== undefined && !first.startsWith('-') && !commands.includes(first)) {
    return diag('UnknownCommand', null, first, suggestion(first, commands, (c) => `"${c}"`));
  }
  const unknown = /^Unknown arguments?: ([^,]+)/.exec(message)?.[1];
  if (unknown && words.some((w) => w === `--${unknown}` || w.startsWith(`--${unknown}=`) || w === `-${unknown}`)) {
    const dashed = (name: string): string => `${name.length === 1 ? '-' : '--'}${name}`;
    return diag('UnknownOption', null, dashed(unknown), suggestion(unknown, options.filter((o) => o === o.toLowerCase()), dashed));
  }
  return diag('Usage', null, message);
}
