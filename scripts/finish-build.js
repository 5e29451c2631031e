// Finishes `npm run build` after tsc: precompiles the ohm grammar into a recipe next to the
// compiled parser (loading a recipe takes milliseconds; compiling the .ohm source takes about
// 170 ms, paid by every CLI run and every search worker thread), and makes the CLI executable
// (tsc writes it without the x bit, and `npx lockspec` runs the file itself).
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as ohm from 'ohm-js';
mkdirSync('dist/src/parser', { recursive: true });
const grammar = ohm.grammar(readFileSync('src/parser/lockspec.ohm', 'utf8'));
writeFileSync('dist/src/parser/lockspec.recipe.json', grammar.toRecipe());
chmodSync('dist/src/cli/main.js', 0o755);
