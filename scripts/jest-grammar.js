// Jest's global setup: regenerates the grammar bundle from lockspec.ohm before the tests import it,
// as jest runs the parser from src/ without building (the bundle is generated, not committed).
// A bundle newer than the grammar and the script that finishes it (as after `npm run build`) is
// the one they give, and is kept. The command lines the tests start keep their parse cache and
// their code cache in directories of this run's own (removed by scripts/jest-teardown.js), not in
// the user's.
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BUNDLES = ['src/parser/lockspec.ohm-bundle.js', 'src/parser/lockspec.ohm-bundle.d.ts'];
const SOURCES = ['src/parser/lockspec.ohm', 'scripts/grammar-bundle.js', 'package-lock.json'];

export default function generateGrammar() {
  process.env.LOCKSPEC_PARSE_CACHE = mkdtempSync(join(tmpdir(), 'lockspec-test-parse-cache-'));
  process.env.LOCKSPEC_CODE_CACHE = mkdtempSync(join(tmpdir(), 'lockspec-test-code-cache-'));
  const newestSource = Math.max(...SOURCES.map((f) => statSync(f).mtimeMs));
  if (BUNDLES.every((f) => existsSync(f) && statSync(f).mtimeMs > newestSource)) return;
  execSync('npm run --silent grammar', { stdio: ['ignore', 'ignore', 'inherit'] });
}
