// Jest's global setup: regenerates the grammar bundle from lockspec.ohm before the tests import it,
// as jest runs the parser from src/ without building (the bundle is generated, not committed).
// A bundle newer than the grammar and the script that finishes it (as after `npm run build`) is
// the one they give, and is kept.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const BUNDLES = ['src/parser/lockspec.ohm-bundle.js', 'src/parser/lockspec.ohm-bundle.d.ts'];
const SOURCES = ['src/parser/lockspec.ohm', 'scripts/grammar-bundle.js', 'package-lock.json'];

export default function generateGrammar() {
  const newestSource = Math.max(...SOURCES.map((f) => statSync(f).mtimeMs));
  if (BUNDLES.every((f) => existsSync(f) && statSync(f).mtimeMs > newestSource)) return;
  execSync('npm run --silent grammar', { stdio: ['ignore', 'ignore', 'inherit'] });
}
