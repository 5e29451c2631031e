// The sleeping-lock and waiting examples of the kernel library (mutex owners): for each check a
// model with the bug shape that trips it and a fixed one that does not, on both engines, with the
// state counts TLC finds on the export. The TLC figures were recorded by running TLC 2.20
// (/work/shared/tools/tlc) on `lockspec export-tla FILE --design D` (module NAME_D); where lockspec
// reports a step's check, TLC stops at the same state with its assertion failed.
import { fileURLToPath } from 'node:url';
import { checkModel } from '../../src/pipeline/check-file.js';

const example = (name: string): string => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));

interface Case {
  file: string;
  design: string;
  verdict: 'ok' | 'violation';
  /** The properties violated, in order. */
  violated: string[];
  /** TLC's search on the export: distinct and generated states. */
  tlc: [number, number];
}

const CASES: Case[] = [
  { file: 'mutex-owner.lspec', design: 'handoff', verdict: 'violation', violated: ['UnlockNotHeld'], tlc: [5, 5] },
  { file: 'mutex-owner.lspec', design: 'owner', verdict: 'ok', violated: [], tlc: [8, 9] },
];

describe.each(['compiled', 'reference'] as const)('the %s engine', (engine) => {
  test.each(CASES)('$file $design: $verdict, over the states TLC finds', (c) => {
    const o = checkModel(example(c.file), { design: c.design, engine });
    expect(o.verdict).toBe(c.verdict);
    expect(o.violations.map((v) => v.failure.property)).toEqual(c.violated);
    expect([o.distinct, o.generated]).toEqual(c.tlc);
  });
});

test('the worker releasing the ioctl\'s mutex is reported at its unlock, naming the owner check', () => {
  const o = checkModel(example('mutex-owner.lspec'), { design: 'handoff' });
  expect(o.failure!.message).toBe('unlock(dev_lock) by a process that does not hold it: another process does');
  expect(o.program!.labels[o.failingStep!.label].name).toBe('release');
});
