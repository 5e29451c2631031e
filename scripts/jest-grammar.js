// Jest's global setup: regenerates the grammar bundle from lockspec.ohm before the tests import it,
// as jest runs the parser from src/ without building (the bundle is generated, not committed).
import { execSync } from 'node:child_process';
export default function generateGrammar() {
  execSync('npm run --silent grammar', { stdio: ['ignore', 'ignore', 'inherit'] });
}
