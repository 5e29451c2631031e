// Copies the ohm grammar next to the compiled parser: the grammar is a .ohm file, read at run time.
import { copyFileSync, mkdirSync } from 'node:fs';
mkdirSync('dist/src/parser', { recursive: true });
copyFileSync('src/parser/lockspec.ohm', 'dist/src/parser/lockspec.ohm');
