// ohm-js loaded with require, as its one-file CommonJS build: node's ESM import of the package
// loads its ~50 source modules one by one, about 50 ms more CPU at every start (and in every worker
// thread that parses). It is loaded on first use, not at import: a run whose files all come from
// the parse cache (src/pipeline/parse-cache.ts) never loads it. The grammar bundle (`npm run
// grammar`, scripts/grammar-bundle.js) and the TLA+ grammars take ohm from here, so that every
// grammar is built by the same copy of ohm.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as Ohm from 'ohm-js';

const require = createRequire(import.meta.url);
let loaded: typeof Ohm | null = null;
const ohm = (): typeof Ohm => (loaded ??= require('ohm-js') as typeof Ohm);

/** ohm's `grammars`: grammars compiled from source. */
export const grammars = (source: string, namespace?: Ohm.Namespace): Ohm.Namespace => ohm().grammars(source, namespace);

/** What the generated bundle builds the lockspec grammar with (not in ohm's published types). */
export const makeRecipe = (recipe: unknown): Ohm.Grammar => (ohm() as unknown as { makeRecipe(recipe: unknown): Ohm.Grammar }).makeRecipe(recipe);

/**
 * Which ohm builds the trees (the parse cache's entries depend on it), read from its package.json
 * (the package exports no such path, so beside its resolved entry) without loading it.
 */
export function ohmVersion(): string {
  return (JSON.parse(readFileSync(join(dirname(require.resolve('ohm-js')), '..', 'package.json'), 'utf8')) as { version: string }).version;
}
