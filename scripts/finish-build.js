// Finishes `npm run build` after tsc: copies the ohm grammar next to the compiled parser (it is a
// .ohm file read at run time) and makes the CLI executable (tsc writes it without the x bit, and
// `npx lockspec` runs the file itself).
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
mkdirSync('dist/src/parser', { recursive: true });
copyFileSync('src/parser/lockspec.ohm', 'dist/src/parser/lockspec.ohm');
chmodSync('dist/src/cli/main.js', 0o755);
