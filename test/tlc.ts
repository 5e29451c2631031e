// TLC itself, for tests that hold an export to TLC's figures: the jar TLA2TOOLS names, else the
// tools jar beside the checkout (../shared/tools/). Only a machine with neither skips those tests.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TlaExport } from '../src/report/tla.js';

const besideCheckout = join(process.cwd(), '../shared/tools/tla2tools.jar');
export const tlaJar = process.env.TLA2TOOLS ? resolve(process.env.TLA2TOOLS) : existsSync(besideCheckout) ? besideCheckout : null;
/** `describe` where TLC can run, `describe.skip` elsewhere. */
export const withTlc = tlaJar ? describe : describe.skip;

/** Runs TLC on an export: its distinct and generated states (-1 when it printed none) and its output. */
export function runTlc(tla: TlaExport): { distinct: number; generated: number; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lockspec-tla-'));
  writeFileSync(join(dir, `${tla.name}.tla`), tla.module);
  writeFileSync(join(dir, 'MC.cfg'), tla.cfg);
  const r = spawnSync('java', ['-cp', tlaJar!, 'tlc2.TLC', '-config', 'MC.cfg', '-workers', '1', '-cleanup', '-noGenerateSpecTE', `${tla.name}.tla`], { cwd: dir, encoding: 'utf8' });
  const out = r.stdout + r.stderr;
  const m = /([\d,]+) states generated, ([\d,]+) distinct states found/.exec(out);
  const num = (s: string): number => Number(s.replace(/,/g, ''));
  return { distinct: m ? num(m[2]) : -1, generated: m ? num(m[1]) : -1, out };
}
