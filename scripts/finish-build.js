// Finishes `npm run build` after tsc: copies the grammar bundle (`npm run grammar` generated it
// next to lockspec.ohm; tsc compiles only the .ts files) next to the compiled parser; bundles the
// files a command line run starts from, each with what it imports: the command line over itself,
// the search's worker thread into one CommonJS file, and the worker's job (the whole checker) into
// one CommonJS file that the worker runs through V8's code cache (src/cli/code-cache.ts); and makes the
// CLI executable (`npx lockspec` runs the file itself). Node loads one file in about half the time
// of the eighty-odd modules behind it, and a search waits for both loads (docs/performance.md).
import { chmodSync, copyFileSync, readFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { build } from 'esbuild';

copyFileSync('src/parser/lockspec.ohm-bundle.js', 'dist/src/parser/lockspec.ohm-bundle.js');

const CLI = 'dist/src/cli';

/**
 * The URL of a bundle in CLI, as an expression of the bundle's format: a CommonJS bundle's is set
 * by its first line (a module's own `require` may be renamed in the bundle, a banner's is not).
 */
const BUNDLE_URL = { esm: 'import.meta.url', cjs: '__bundleUrl' };
const BANNER = { esm: '', cjs: '"use strict";\nvar __bundleUrl = require("node:url").pathToFileURL(__filename).href;' };

/** A bundled module's import.meta.url stays the URL of its own file, found from the bundle's (in CLI). */
const ownImportMetaUrl = (format) => ({
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?js$/ }, (args) => {
      const own = `new URL(${JSON.stringify(relative(CLI, args.path).replaceAll('\\', '/'))}, ${BUNDLE_URL[format]}).href`;
      return { contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', `(${own})`), loader: 'js', resolveDir: dirname(args.path) };
    });
  },
});

/** Bundles `file` into `outfile` (over itself by default) as `format`; `external`: what it still imports as modules. */
async function bundle(file, external, { outfile = file, format = 'esm' } = {}) {
  await build({
    entryPoints: [file],
    outfile,
    allowOverwrite: true,
    bundle: true,
    format,
    platform: 'node',
    target: 'node20',
    external,
    plugins: [ownImportMetaUrl(format)],
    banner: { js: BANNER[format] },
    // Mapped back through tsc's maps to the TypeScript (node --enable-source-maps).
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

// The job of the worker that runs check, compare and simulate (the packages it loads with require
// stay out), and the worker itself, which loads the job's bundle (its modules only when compiled
// alone, after a `tsc` alone).
await bundle(`${CLI}/command-job.js`, ['immutable', 'ohm-js'], { outfile: `${CLI}/command-job.cjs`, format: 'cjs' });
await bundle(`${CLI}/command-worker.js`, ['./command-job.js'], { outfile: `${CLI}/command-worker.cjs`, format: 'cjs' });
// The command line with yargs; the commands that run on its own thread load when they run.
await bundle(`${CLI}/main.js`, ['./commands.js', './explore-command.js']);
chmodSync(`${CLI}/main.js`, 0o755);
