// What the command line loads at start-up, held structurally (docs/performance.md, start-up): no
// parser or checker before a command runs; and the libraries whose ES module entry costs more than
// their CommonJS build are loaded with require, by one module each, so no other source file may
// import them at run time (a type import is erased).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.(?<!\.d\.)[tj]s$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** The source files (the generated grammar bundle included; declaration files are types) that import `pkg` at run time. */
function runtimeImporters(pkg: string): string[] {
  const runtimeImport = new RegExp(`(?:import\\s+(?!type\\b)[^;]*?from\\s+|import\\(\\s*)'${pkg}'`);
  return sourceFiles('src')
    .filter((f) => runtimeImport.test(readFileSync(join(root, f), 'utf8')))
    .map((f) => relative(root, join(root, f)));
}

/** The files src/cli/main.ts loads before any command runs: its static imports, transitively. */
function loadedByMain(): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(root, file), 'utf8');
    for (const m of text.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'(\.[^']+)'/gm)) {
      visit(relative(root, resolve(root, dirname(file), m[1])).replace(/\.js$/, '.ts'));
    }
  };
  visit('src/cli/main.ts');
  return [...seen];
}

describe('start-up', () => {
  test('the command line loads no parser, grammar or checker before a command runs (--help, --version)', () => {
    const loaded = loadedByMain();
    expect(loaded).toContain('src/cli/io.ts');
    expect(loaded.filter((f) => !f.startsWith('src/cli/') && !f.startsWith('src/diagnostics/'))).toEqual([]);
  });

  test('a search command\'s worker starts before yargs is loaded, so its imports overlap the reading of the arguments', () => {
    const main = readFileSync(join(root, 'src/cli/main.ts'), 'utf8');
    expect(main).not.toMatch(/^import\s+(?!type\b)[^;]*?from\s+'yargs/m);
    const earlyStart = main.search(/^let early\b.*startWorker\(\)/m);
    expect(earlyStart).toBeGreaterThan(0);
    expect(main.indexOf("import('yargs')")).toBeGreaterThan(earlyStart);
  });

  test('Immutable.js is loaded by src/lang/immutable.ts alone, with require', () => {
    expect(runtimeImporters('immutable')).toEqual([]);
    expect(readFileSync(join(root, 'src/lang/immutable.ts'), 'utf8')).toMatch(/createRequire\(import\.meta\.url\)\('immutable'\)/);
  });

  test('ohm-js is loaded by src/parser/ohm.ts alone, with require, on first use; the grammar bundle takes it from there when first called', () => {
    expect(runtimeImporters('ohm-js')).toEqual([]);
    const ohm = readFileSync(join(root, 'src/parser/ohm.ts'), 'utf8');
    expect(ohm).toMatch(/const require = createRequire\(import\.meta\.url\);/);
    expect(ohm).toMatch(/^const ohm = \(\): typeof Ohm => \(loaded \?\?= require\('ohm-js'\)/m);
    const bundle = readFileSync(join(root, 'src/parser/lockspec.ohm-bundle.js'), 'utf8');
    expect(bundle).toMatch(/^import \{makeRecipe\} from '\.\/ohm\.js';const recipe=\(/);
    expect(bundle).toMatch(/export default function lockspecGrammar\(\)\{return result\?\?=makeRecipe\(recipe\);\}$/);
  });
});
