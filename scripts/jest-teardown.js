// Jest's global teardown: removes the parse cache the tests' command lines kept (scripts/jest-grammar.js).
import { rmSync } from 'node:fs';

export default function removeParseCache() {
  if (process.env.LOCKSPEC_PARSE_CACHE?.includes('lockspec-test-parse-cache-')) rmSync(process.env.LOCKSPEC_PARSE_CACHE, { recursive: true, force: true });
}
