// INSTANCE in a published spec: named instances used as N!Op in the algorithm and the invariants,
// WITH substitutions of constants and variables, unnamed and LOCAL instances, checked against
// TLC 2.20's figures on both engines; and the located errors for what is not read.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatDiagnostic } from '../../src/diagnostics/diagnostics.js';
import { checkModel } from '../../src/pipeline/check-file.js';
import { ModelFiles } from '../../src/pipeline/load-model.js';
import type { CheckOutcome } from '../../src/checker/check.js';

const spec = (name: string): string => fileURLToPath(new URL(`./specs/${name}`, import.meta.url));
const ENGINES = ['compiled', 'reference'] as const;
const check = (tla: string, cfg: string | null, engine: (typeof ENGINES)[number] = 'compiled'): CheckOutcome =>
  checkModel(tla, { files: new ModelFiles(undefined, cfg), engine });
const errorsOf = (o: CheckOutcome, dir = ''): string[] =>
  o.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d, o.sources).split(dir + sep).join(''));

// test/tla/specs/InstSpec.tla: TLC 2.20 finds 17 distinct states, 26 generated, depth 9 under
// InstSpec.cfg, and TotalSmall violated in a trace of 4 states (7 distinct, 8 generated) under
// InstSpec_small.cfg.
describe('InstSpec.tla (INSTANCE ... WITH, N!Op in the algorithm and the invariants)', () => {
  test.each(ENGINES)("TLC's verdict and counts with the %s engine", (engine) => {
    const o = check(spec('InstSpec.tla'), spec('InstSpec.cfg'), engine);
    expect(errorsOf(o)).toEqual([]);
    expect([o.verdict, o.distinct, o.generated, o.depth]).toEqual(['ok', 17, 26, 9]);
  });
  test.each(ENGINES)("TLC's violation with the %s engine", (engine) => {
    const o = check(spec('InstSpec.tla'), spec('InstSpec_small.cfg'), engine);
    expect(errorsOf(o)).toEqual([]);
    expect([o.verdict, o.failure?.property, o.trace?.length, o.distinct, o.generated]).toEqual(['violation', 'TotalSmall', 4, 7, 8]);
  });
});

const dir = mkdtempSync(join(tmpdir(), 'lockspec-instance-'));

/** Writes the files into a fresh folder and checks Main.tla with Main.cfg. */
function checkWritten(files: Record<string, string>): { outcome: CheckOutcome; folder: string } {
  const folder = mkdtempSync(join(dir, 'spec-'));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(folder, file), text);
  return { outcome: check(join(folder, 'Main.tla'), null), folder };
}

const BASE = `---- MODULE Base ----
EXTENDS Naturals
CONSTANT c
Plus(x) == x + c
====
`;
const main = (instance: string, invariant: string): string => `---- MODULE Main ----
EXTENDS Naturals
CONSTANT x
${instance}
(* --algorithm Main {
variables y = 0;
process (P = 1) {
a: y := y + 1;
}
} *)
\\* BEGIN TRANSLATION
\\* END TRANSLATION
Inv == ${invariant}
====
`;
const CFG = 'SPECIFICATION Spec\nCONSTANT x = 10\nINVARIANT Inv\n';

// TLC 2.20 checks both specs below without a violation (2 distinct states): I!Plus(1) is 1 + x,
// not 1 + 1 (the parameter x of Plus does not capture the x of WITH).
test.each([
  ['a WITH expression naming a parameter of the definition', 'I == INSTANCE Base WITH c <- x', 'I!Plus(1) = 11'],
  ['an unnamed instance', 'INSTANCE Base WITH c <- x + 1', 'Plus(2) = 13'],
])('%s is read as TLC reads it', (_what, instance, invariant) => {
  const { outcome, folder } = checkWritten({ 'Base.tla': BASE, 'Main.tla': main(instance, invariant), 'Main.cfg': CFG });
  expect(errorsOf(outcome, folder)).toEqual([]);
  expect([outcome.verdict, outcome.distinct]).toEqual(['ok', 2]);
});

test('the same invariant made false is a violation (the instance is not read as TRUE)', () => {
  const { outcome, folder } = checkWritten({ 'Base.tla': BASE, 'Main.tla': main('I == INSTANCE Base WITH c <- x', 'I!Plus(1) = 2'), 'Main.cfg': CFG });
  expect(errorsOf(outcome, folder)).toEqual([]);
  expect(outcome.verdict).toBe('violation');
});

test.each([
  // TLC: "Substitution missing for symbol c declared at ... of module Base and instantiated in module Main."
  ['a parameter with no substitution and no same-named symbol', 'I == INSTANCE Base', /Main\.tla:4:1: error LS2076: substitution missing for "c", a CONSTANT or VARIABLE of module Base/],
  ['a substitution for a name Base does not declare', 'I == INSTANCE Base WITH c <- 1, d <- 2', /Main\.tla:4:33: error LS2075: WITH substitutes "d", which is not a CONSTANT or VARIABLE of module Base: expected one of c/],
  ['a parameterised instance', 'I(k) == INSTANCE Base WITH c <- k', /Main\.tla:4:1: error LS3070: a parameterised instance \("I\(\.\.\.\) == INSTANCE"\)/],
  ['an instance of a module not in the folder', 'I == INSTANCE Nowhere', /Main\.tla:4:15: error LS2030: no module "Nowhere"/],
  ['a named instance of a standard module', 'I == INSTANCE Naturals', /Main\.tla:4:15: error LS3070: INSTANCE of the standard module Naturals under a name/],
])('%s is a located error', (_what, instance, message) => {
  const { outcome, folder } = checkWritten({ 'Base.tla': BASE, 'Main.tla': main(instance, 'y >= 0'), 'Main.cfg': CFG });
  expect(outcome.verdict).toBe('error');
  expect(errorsOf(outcome, folder).join('\n')).toMatch(message);
});

// TLC 2.20 on IrqProc.tla with its interrupt's guard `hits < 4` written `B!Room(hits)`, B an
// instance: 73 distinct states, 171 generated, depth 13, as without the instance.
test.each(ENGINES)('N!Op in a hand-written action reads as its body (IrqProc with an instance): %s engine', (engine) => {
  const irq = readFileSync(spec('IrqProc.tla'), 'utf8');
  const instanced = irq.replace('hits < 4', 'B!Room(hits)').replace('Interrupt(self) ==', 'B == INSTANCE HitsBound WITH Max <- 4\nInterrupt(self) ==');
  expect(instanced).toContain('/\\ B!Room(hits)');
  const folder = mkdtempSync(join(dir, 'irq-'));
  writeFileSync(join(folder, 'IrqProc.tla'), instanced);
  writeFileSync(join(folder, 'IrqProc.cfg'), readFileSync(spec('IrqProc.cfg'), 'utf8'));
  writeFileSync(join(folder, 'HitsBound.tla'), '---- MODULE HitsBound ----\nEXTENDS Naturals\nCONSTANT Max\nRoom(h) == h < Max\n====\n');
  const o = check(join(folder, 'IrqProc.tla'), null, engine);
  expect(errorsOf(o, folder)).toEqual([]);
  expect([o.verdict, o.distinct, o.generated, o.depth]).toEqual(['ok', 73, 171, 13]);
});
