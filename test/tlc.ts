// TLC itself, for tests that hold an export to TLC's figures: the jar TLA2TOOLS names, else the
// tools jar beside the checkout (../shared/tools/). Only a machine with neither skips those tests.
// TLC runs as the cross-check runs it (bench/tlc.ts): its classes shared between runs, and the
// first JIT tier only (every run here is short).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TlaExport } from '../src/report/tla.js';
import { runTlcModule, tlcJar } from '../bench/tlc.js';

export const tlaJar = tlcJar(process.cwd());
/** `describe` where TLC can run, `describe.skip` elsewhere. */
export const withTlc = tlaJar ? describe : describe.skip;

/** Runs TLC on an export: its distinct and generated states (-1 when it printed none) and its output. */
export function runTlc(tla: TlaExport): { distinct: number; generated: number; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lockspec-tla-'));
  writeFileSync(join(dir, `${tla.name}.tla`), tla.module);
  writeFileSync(join(dir, 'MC.cfg'), tla.cfg);
  const { out } = runTlcModule(tlaJar!, dir, tla.name, { shareClasses: true, jvmFlags: ['-XX:TieredStopAtLevel=1'] });
  const m = /([\d,]+) states generated, ([\d,]+) distinct states found/.exec(out);
  const num = (s: string): number => Number(s.replace(/,/g, ''));
  return { distinct: m ? num(m[2]) : -1, generated: m ? num(m[1]) : -1, out };
}
