// ohm-js loaded with require, as its one-file CommonJS build: node's ESM import of the package
// loads its ~50 source modules one by one, about 50 ms more CPU at every start (and in every worker
// thread that parses). The grammar bundle (`npm run grammar`, scripts/grammar-bundle.js) and the
// TLA+ grammars take ohm from here, so that every grammar is built by the same copy of ohm.
import { createRequire } from 'node:module';
import type * as Ohm from 'ohm-js';

const ohm = createRequire(import.meta.url)('ohm-js') as typeof Ohm;

export const { grammars } = ohm;
/** Which ohm builds the trees (the parse cache's entries depend on it). */
export const ohmVersion: string = ohm.version;
/** What the generated bundle builds the lockspec grammar with (not in ohm's published types). */
export const { makeRecipe } = ohm as unknown as { makeRecipe(recipe: unknown): Ohm.Grammar };
