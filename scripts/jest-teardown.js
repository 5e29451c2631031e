// Jest's global teardown: removes the parse cache and the code cache the tests' command lines kept (scripts/jest-grammar.js).
import { rmSync } from 'node:fs';

export default function removeCaches() {
  for (const [variable, mark] of [
    ['LOCKSPEC_PARSE_CACHE', 'lockspec-test-parse-cache-'],
    ['LOCKSPEC_CODE_CACHE', 'lockspec-test-code-cache-'],
  ]) {
    if (process.env[variable]?.includes(mark)) rmSync(process.env[variable], { recursive: true, force: true });
  }
}
