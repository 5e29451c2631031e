// Syntax trees kept on disk between runs. ohm's parse of a kernel-sized model is most of a small
// check's start-up (spec/bh-migration: about 0.4 s of a 1.4 s run, and some 60 MB of fresh memory);
// a run on a file whose text, shown name and parser are all unchanged reads its tree back in a few
// milliseconds instead. An entry is named by a digest of the three, so an edited file or a rebuilt
// parser never meets a stale entry; only clean parses are kept, so every diagnostic still comes from
// the parser. The `--const` values are kept the same way: a run whose every parse is kept builds no
// grammar and loads no ohm (src/parser/ohm.ts loads it on first use). Nothing here changes a
// result: a cache that cannot be read or written is a miss.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { readEntry, writeEntry } from './cache-entries.js';
import type { Expr, SourceFile } from '../parser/ast.js';
import { ohmVersion } from '../parser/ohm.js';
import { parseExpression, parseSource } from '../parser/parse.js';
import type { Diagnostic } from '../diagnostics/diagnostics.js';

/** The entries kept: past this many, the least recently used are removed down to three quarters. */
export const MAX_ENTRIES = 128;

/** A digest of the code that turns text into a tree: every file of src/parser, ohm's version, node's. */
let parserDigest: string | null = null;

function parserIdentity(): string {
  if (parserDigest === null) {
    const dir = fileURLToPath(new URL('../parser/', import.meta.url));
    const hash = createHash('sha256').update(`${ohmVersion()}\0${process.version}\0`);
    for (const name of readdirSync(dir).filter((n) => /\.(?:js|ts)$/.test(n)).sort()) {
      hash.update(`${name}\0`).update(readFileSync(join(dir, name))).update('\0');
    }
    parserDigest = hash.digest('hex');
  }
  return parserDigest;
}

/** Parsed .lspec files on disk in `dir` (see the file's comment). */
export class ParseCache {
  constructor(readonly dir: string) {}

  /** What parseSource(text, shown) gives: the kept tree when there is one, else the parse (kept when clean). */
  parse(text: string, shown: string): [Diagnostic[], SourceFile | null] {
    return this.kept('file', text, shown, () => parseSource(text, shown));
  }

  /** What parseExpression(text, shown) gives (a `--const` value), kept the same way. */
  expression(text: string, shown: string): [Diagnostic[], Expr | null] {
    return this.kept('expression', text, shown, () => parseExpression(text, shown));
  }

  private kept<T>(kind: string, text: string, shown: string, parse: () => [Diagnostic[], T | null]): [Diagnostic[], T | null] {
    const entry = `${this.key(kind, text, shown)}.ast`;
    const kept = this.read(entry) as T | null;
    if (kept) return [[], kept];
    const parsed = parse();
    if (parsed[0].length === 0 && parsed[1]) writeEntry(this.dir, entry, serialize(parsed[1]), '.ast', MAX_ENTRIES);
    return parsed;
  }

  private key(kind: string, text: string, shown: string): string {
    return createHash('sha256').update(`${parserIdentity()}\0${kind}\0${shown}\0`).update(text).digest('hex').slice(0, 40);
  }

  private read(entry: string): unknown {
    const body = readEntry(join(this.dir, entry));
    if (body === null) return null;
    try {
      return deserialize(body);
    } catch {
      return null;
    }
  }
}
