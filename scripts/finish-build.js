// Finishes `npm run build` after tsc: copies the grammar bundle (`npm run grammar` generated it
// next to lockspec.ohm; tsc compiles only the .ts files) next to the compiled parser; bundles the
// two files a command line run starts from, each with what it imports, into itself; and makes the
// CLI executable (`npx lockspec` runs the file itself). Node loads one file in about half the time
// of the eighty-odd modules behind it, and a search waits for both loads (docs/performance.md).
import { chmodSync, copyFileSync, readFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { build } from 'esbuild';

copyFileSync('src/parser/lockspec.ohm-bundle.js', 'dist/src/parser/lockspec.ohm-bundle.js');

const CLI = 'dist/src/cli';

/** A bundled module's import.meta.url stays the URL of its own file, found from the bundle's. */
const ownImportMetaUrl = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?js$/ }, (args) => {
      const own = `new URL(${JSON.stringify(relative(CLI, args.path).replaceAll('\\', '/'))}, import.meta.url).href`;
      return { contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', `(${own})`), loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

/** Bundles `file` over itself; `external`: what it still imports as modules. */
async function bundleInPlace(file, external) {
  await build({
    entryPoints: [file],
    outfile: file,
    allowOverwrite: true,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external,
    plugins: [ownImportMetaUrl],
    // Mapped back through tsc's maps to the TypeScript (node --enable-source-maps).
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

// The worker that runs check, compare and simulate (the packages it loads with require stay out).
await bundleInPlace(`${CLI}/command-worker.js`, ['immutable', 'ohm-js']);
// The command line with yargs; the commands that run on its own thread load when they run.
await bundleInPlace(`${CLI}/main.js`, ['./commands.js', './explore-command.js']);
chmodSync(`${CLI}/main.js`, 0o755);
