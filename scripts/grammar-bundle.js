// Finishes `npm run grammar` after `ohm generateBundles`: the bundle it writes imports makeRecipe
// from 'ohm-js' (the package's ES modules); it is pointed at src/parser/ohm.ts instead, which loads
// ohm's one-file CommonJS build (faster to load, and the one copy of ohm the TLA+ grammars use).
import { readFileSync, writeFileSync } from 'node:fs';
const bundle = 'src/parser/lockspec.ohm-bundle.js';
const generated = "import {makeRecipe} from 'ohm-js';";
const text = readFileSync(bundle, 'utf8');
if (!text.startsWith(generated)) throw new Error(`${bundle} does not start with ${generated}: has @ohm-js/cli changed?`);
writeFileSync(bundle, "import {makeRecipe} from './ohm.js';" + text.slice(generated.length));
