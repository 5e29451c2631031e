// Finishes `npm run grammar` after `ohm generateBundles`. The bundle it writes imports makeRecipe
// from 'ohm-js' (the package's ES modules); it is pointed at src/parser/ohm.ts instead, which loads
// ohm's one-file CommonJS build (faster to load, and the one copy of ohm the TLA+ grammars use).
// And it builds the grammar when imported; it is made to build it on the first call instead, so
// that a run whose files all come from the parse cache loads no ohm at all (src/parser/parse.ts).
import { readFileSync, writeFileSync } from 'node:fs';

/** Replaces `from` (which must be there, once) in `text`: a change in @ohm-js/cli's output stops the build. */
function replaceOnce(file, text, from, to) {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`${file} does not hold ${from} once: has @ohm-js/cli changed?`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

const bundle = 'src/parser/lockspec.ohm-bundle.js';
let js = readFileSync(bundle, 'utf8');
if (!js.startsWith("import {makeRecipe} from 'ohm-js';const result=makeRecipe(")) throw new Error(`${bundle}: unexpected start: has @ohm-js/cli changed?`);
js = replaceOnce(bundle, js, "import {makeRecipe} from 'ohm-js';const result=makeRecipe(", "import {makeRecipe} from './ohm.js';const recipe=(");
js = replaceOnce(bundle, js, ');export default result;', ');let result=null;export default function lockspecGrammar(){return result??=makeRecipe(recipe);}');
writeFileSync(bundle, js);

const types = 'src/parser/lockspec.ohm-bundle.d.ts';
writeFileSync(
  types,
  replaceOnce(types, readFileSync(types, 'utf8'), 'declare const grammar: LockspecGrammar;\nexport default grammar;', '/** The lockspec grammar, built from its recipe on the first call. */\nexport default function lockspecGrammar(): LockspecGrammar;'),
);
