// Finishes `npm run build` after tsc: copies the grammar bundle (`npm run grammar` generated it
// next to lockspec.ohm; tsc compiles only the .ts files) next to the compiled parser, and makes the
// CLI executable (tsc writes it without the x bit, and `npx lockspec` runs the file itself).
import { chmodSync, copyFileSync } from 'node:fs';
copyFileSync('src/parser/lockspec.ohm-bundle.js', 'dist/src/parser/lockspec.ohm-bundle.js');
chmodSync('dist/src/cli/main.js', 0o755);
