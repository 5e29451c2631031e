// Specs as they are published, a .tla module with a PlusCal algorithm and its TLC config, checked
// unchanged: TLC's verdicts and counts on both engines (the figures of test/tla/reference/README.md,
// TLC 2.20, and those test/examples/progress.test.ts records for the PlusCal twins in
// test/examples/tla/), and located errors for what the front end does not read.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatDiagnostic } from '../../src/diagnostics/diagnostics.js';
import { checkModel } from '../../src/pipeline/check-file.js';
import { ModelFiles } from '../../src/pipeline/load-model.js';
import type { CheckOutcome } from '../../src/checker/check.js';
import { runCheck, type CheckArgs } from '../../src/cli/commands.js';
import { memoryIo } from '../helpers.js';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const reference = (name: string): string => here(`./reference/${name}`);
const twin = (name: string): string => here(`../examples/tla/${name}`);

const ENGINES = ['compiled', 'reference'] as const;

const check = (tla: string, cfg: string | null, engine: (typeof ENGINES)[number], more: { continue?: boolean } = {}): CheckOutcome =>
  checkModel(tla, { files: new ModelFiles(undefined, cfg), engine, ...more });

const errorsOf = (o: CheckOutcome, dir = ''): string[] =>
  o.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d, o.sources).split(dir + sep).join(''));

interface Case {
  tla: string;
  /** The reference engine takes tens of seconds here: the compiled engine alone (both agree on it from the command line). */
  compiledOnly?: boolean;
  cfg: string | null;
  verdict: 'ok' | 'violation';
  /** distinct, generated, depth for a complete search; the property and trace length for a violation. */
  counts?: [number, number, number];
  violated?: [string, number];
}

// TLC's figures (test/tla/reference/README.md). LockInc N=4, M=3 (1,752,112 distinct, 4,716,249
// generated, depth 65) takes seconds with the compiled engine and minutes with the reference one:
// it is checked from the command line, not here.
const REFERENCE: Case[] = [
  { tla: 'Peterson.tla', cfg: null, verdict: 'ok', counts: [42, 77, 11] },
  { tla: 'TicketLock.tla', cfg: null, verdict: 'ok', counts: [16_412, 50_317, 46], compiledOnly: true },
  { tla: 'TicketLock.tla', cfg: 'TicketLock_wrap.cfg', verdict: 'violation', violated: ['Mutex', 9] },
  { tla: 'RefPool.tla', cfg: null, verdict: 'ok', counts: [196, 404, 11] },
  { tla: 'RefPool.tla', cfg: 'RefPool_3users.cfg', verdict: 'ok', counts: [1_372, 3_696, 15] },
  { tla: 'RefPool.tla', cfg: 'RefPool_racy.cfg', verdict: 'violation', violated: ['NoUseAfterFree', 9] },
  { tla: 'RefPoolSym.tla', cfg: null, verdict: 'ok', counts: [178, 489, 15] },
  { tla: 'LockInc.tla', cfg: 'LockInc_N3_M3.cfg', verdict: 'ok', counts: [22_436, 47_749, 49], compiledOnly: true },
];

describe.each(REFERENCE)('$tla with $cfg', (c) => {
  test.each(c.compiledOnly ? ENGINES.slice(0, 1) : ENGINES)("TLC's verdict and counts with the %s engine", (engine) => {
    const o = check(reference(c.tla), c.cfg && reference(c.cfg), engine);
    expect(errorsOf(o)).toEqual([]);
    expect(o.verdict).toBe(c.verdict);
    if (c.counts) expect([o.distinct, o.generated, o.depth]).toEqual(c.counts);
    if (c.violated) expect([o.failure?.property, o.trace?.length]).toEqual(c.violated);
  });
});

describe('P-syntax (test/tla/specs/PSyntax.tla, figures from TLC 2.20)', () => {
  test.each(ENGINES)("TLC's counts with the %s engine", (engine) => {
    const o = check(here('./specs/PSyntax.tla'), null, engine);
    expect(errorsOf(o)).toEqual([]);
    expect([o.verdict, o.distinct, o.generated, o.depth]).toEqual(['ok', 3_296, 6_832, 27]);
  });

  test('and its violation, with a shortest trace as long as TLC\'s', () => {
    const folder = mkdtempSync(join(dir, 'psyntax-'));
    writeFileSync(join(folder, 'PSyntax.tla'), readFileSync(here('./specs/PSyntax.tla'), 'utf8').replace('Bounded == x <= K * 4', 'Bounded == x <= K * 2'));
    copyFileSync(here('./specs/PSyntax.cfg'), join(folder, 'PSyntax.cfg'));
    const o = check(join(folder, 'PSyntax.tla'), null, 'compiled');
    expect([o.verdict, o.failure?.property, o.trace?.length]).toEqual(['violation', 'Bounded', 16]);
  });
});

// The PlusCal twins of the progress examples, LockAll configs: TLC's complete counts (with
// --continue past a violated LockAll) and its verdicts, as test/examples/progress.test.ts records.
const TWINS: (Case & { failing?: number })[] = [
  { tla: 'QRWLockProgress.tla', cfg: 'QRWLockProgress_plain_LockAll.cfg', verdict: 'ok', counts: [688, 1_844, 19] },
  { tla: 'QRWLockProgress.tla', cfg: 'QRWLockProgress_interrupts_LockAll.cfg', verdict: 'violation', counts: [688, 1_958, 19], failing: 3 },
  { tla: 'QRWLockProgress.tla', cfg: 'QRWLockProgress_trylock_LockAll.cfg', verdict: 'violation', counts: [759, 1_571, 25], failing: 2 },
  { tla: 'TASProgress_weak.tla', cfg: 'TASProgress_weak_LockAll.cfg', verdict: 'violation', counts: [7, 10, 3], failing: 3 },
  { tla: 'TASProgress_strong.tla', cfg: 'TASProgress_strong_LockAll.cfg', verdict: 'ok', counts: [7, 10, 3] },
];

describe.each(TWINS)('$tla with $cfg', (c) => {
  test.each(ENGINES)("TLC's verdict and counts with the %s engine", (engine) => {
    const o = check(twin(c.tla), twin(c.cfg!), engine, { continue: true });
    expect(errorsOf(o)).toEqual([]);
    expect(o.verdict).toBe(c.verdict);
    expect(o.progressChecked).toBe(true);
    expect([o.distinct, o.generated, o.depth]).toEqual(c.counts);
    expect(o.violations.length).toBe(c.failing ?? 0);
  });
});

test('LockAny, \\E over ~>, is a located error: lockspec checks \\A over temporal formulas only', () => {
  const o = check(twin('TASProgress_weak.tla'), twin('TASProgress_weak_LockAny.cfg'), 'compiled');
  expect(o.verdict).toBe('error');
  expect(errorsOf(o)).toEqual([expect.stringMatching(/TASProgress_weak\.tla:12:14: error LS3020: \\E over a temporal formula/)]);
});

test.each(['compiled', 'reference'] as const)('a variable declared without a value starts as defaultInitValue (TicketProgress, TLC: 693 distinct, 1,720 generated): %s engine', (engine) => {
  const o = check(twin('TicketProgress.tla'), twin('TicketProgress_plain_LockAll.cfg'), engine);
  expect(errorsOf(o)).toEqual([]);
  expect([o.verdict, o.distinct, o.generated]).toEqual(['ok', 693, 1_720]);
});

test.each(['compiled', 'reference'] as const)("the config's CONSTRAINT bounds the search as in TLC (test/tla/specs/Bounded.tla, TLC: 20 distinct, 41 generated, depth 7): %s engine", (engine) => {
  const o = check(here('./specs/Bounded.tla'), null, engine);
  expect(errorsOf(o)).toEqual([]);
  expect([o.verdict, o.distinct, o.generated, o.depth]).toEqual(['ok', 20, 41, 7]);
});

test.each(['compiled', 'reference'] as const)('a recursive operator, an operator parameter with LAMBDA arguments and an infix operator in the algorithm and its invariants (test/tla/specs/Ledger.tla, TLC: 305 distinct, 1,744 generated, depth 7): %s engine', (engine) => {
  const o = check(here('./specs/Ledger.tla'), null, engine);
  expect(errorsOf(o)).toEqual([]);
  expect([o.verdict, o.distinct, o.generated, o.depth]).toEqual(['ok', 305, 1_744, 7]);
});

test.each(['compiled', 'reference'] as const)('a uniprocess algorithm in C syntax (test/tla/specs/Uni.tla, TLC: 9 distinct, 10 generated, depth 9): %s engine', (engine) => {
  const o = check(here('./specs/Uni.tla'), null, engine);
  expect(errorsOf(o)).toEqual([]);
  expect([o.verdict, o.distinct, o.generated, o.depth]).toEqual(['ok', 9, 10, 9]);
});

test.each(ENGINES)('a uniprocess algorithm in P syntax, with a procedure (test/tla/specs/UniP.tla, TLC: 73 distinct, 81 generated, depth 19): %s engine', (engine) => {
  const o = check(here('./specs/UniP.tla'), null, engine);
  expect(errorsOf(o)).toEqual([]);
  expect([o.verdict, o.distinct, o.generated, o.depth]).toEqual(['ok', 73, 81, 19]);
});

// Written for lockspec in published PlusCal style; TLC 2.20's figures (/work/shared/tools/tlc).
const WRITTEN: Case[] = [
  { tla: 'MsgQueue.tla', cfg: null, verdict: 'ok', counts: [2_980, 8_398, 12] },
  { tla: 'MsgQueue.tla', cfg: 'MsgQueue_nop.cfg', verdict: 'violation', violated: ['OnlyRequests', 2] },
  { tla: 'BagPool.tla', cfg: null, verdict: 'ok', counts: [231, 566, 12] },
  { tla: 'BagPool.tla', cfg: 'BagPool_one.cfg', verdict: 'violation', violated: ['AtMostOne', 3] },
  // A model module extending MsgQueue: model values substituted for Senders, an ASSUME, the
  // symmetry set written as Permutations of the substituted definition.
  { tla: 'MCMsgQueue.tla', cfg: 'MCMsgQueue.cfg', verdict: 'ok', counts: [402, 1_254, 11] },
  { tla: 'MCMsgQueue.tla', cfg: 'MCMsgQueue_nosym.cfg', verdict: 'ok', counts: [2_267, 7_075, 11] },
];

describe.each(WRITTEN)('test/tla/specs/$tla with $cfg', (c) => {
  test.each(ENGINES)("TLC's verdict and counts with the %s engine", (engine) => {
    const o = check(here(`./specs/${c.tla}`), c.cfg && here(`./specs/${c.cfg}`), engine);
    expect(errorsOf(o)).toEqual([]);
    expect(o.verdict).toBe(c.verdict);
    if (c.counts) expect([o.distinct, o.generated, o.depth]).toEqual(c.counts);
    if (c.violated) expect([o.failure?.property, o.trace?.length]).toEqual(c.violated);
  });
});

// ---------------------------------------------------------------- what is refused, located

const dir = mkdtempSync(join(tmpdir(), 'lockspec-tla-'));

/** Writes Name.tla (and Name.cfg when given) into a fresh folder and checks it with the compiled engine. */
function checkWritten(name: string, tla: string, cfg: string | null, extra: Record<string, string> = {}): CheckOutcome {
  const folder = mkdtempSync(join(dir, 'spec-'));
  writeFileSync(join(folder, `${name}.tla`), tla);
  if (cfg !== null) writeFileSync(join(folder, `${name}.cfg`), cfg);
  for (const [file, text] of Object.entries(extra)) writeFileSync(join(folder, file), text);
  return check(join(folder, `${name}.tla`), null, 'compiled');
}

const SMALL = `---- MODULE Small ----
EXTENDS Naturals
CONSTANTS N
(* --algorithm Small {
variables x = 0;
process (P \\in 1..N) {
a: x := x + 1;
b: x := x - 1;
}
} *)
\\* BEGIN TRANSLATION
\\* END TRANSLATION
Low == x <= N
====
`;
const SMALL_CFG = 'SPECIFICATION Spec\nCONSTANT N = 2\nINVARIANT Low\n';

test('a small spec checks, its invariant chosen by the config', () => {
  const o = checkWritten('Small', SMALL, SMALL_CFG);
  expect(errorsOf(o)).toEqual([]);
  expect(o.verdict).toBe('ok');
  expect(o.program?.invariants.map((i) => i.name)).toContain('Low');
});

test.each([
  ['VIEW', 'SPECIFICATION Spec\nCONSTANT N = 2\nVIEW Low\n', /Small\.cfg:3:1: error LS3071: VIEW in a TLC config is not supported/],
  ['ALIAS', 'SPECIFICATION Spec\nCONSTANT N = 2\nALIAS Low\n', /Small\.cfg:3:1: error LS3071: ALIAS/],
  ['a constant without a value', 'SPECIFICATION Spec\nINVARIANT Low\n', /Small\.tla:3:11: error LS2032: constant "N" has no value/],
  ['an unknown constant', 'SPECIFICATION Spec\nCONSTANTS N = 2 K = 3\n', /Small\.cfg:2:17: error LS2031: the config gives a value to "K"/],
  ['an unknown invariant', 'SPECIFICATION Spec\nCONSTANT N = 2\nINVARIANT Lo\n', /Small\.cfg:3:11: error LS2033: no definition "Lo" in the module for the config's INVARIANT/],
  ['another SPECIFICATION', 'SPECIFICATION FairSpec\nCONSTANT N = 2\n', /Small\.cfg:1:15: error LS3070: a SPECIFICATION other than the translation's Spec/],
  ['a syntax error', 'SPECIFICATION Spec\nCONSTANT N = = 2\n', /Small\.cfg:2:14: error LS1001: expected/],
])('the config: %s is a located error', (_what, cfg, message) => {
  const o = checkWritten('Small', SMALL, cfg);
  expect(o.verdict).toBe('error');
  expect(errorsOf(o, dir)).toEqual([expect.stringMatching(message)]);
});

test.each([
  ['a named INSTANCE of a standard module', SMALL.replace('Low ==', 'I == INSTANCE Naturals\nLow =='), /Small\.tla:13:15: error LS3070: INSTANCE of the standard module Naturals under a name/],
  ['RECURSIVE without a definition', SMALL.replace('Low ==', 'RECURSIVE F(_)\nLow =='), /Small\.tla:13:11: error LS2070: RECURSIVE declares "F", which is not defined here/],
  ['VARIABLES outside the algorithm', SMALL.replace('Low ==', 'VARIABLE y\nLow =='), /Small\.tla:13:1: error LS3070: VARIABLES outside the algorithm/],
  ['Reals', SMALL.replace('EXTENDS Naturals', 'EXTENDS Naturals, Reals'), /Small\.tla:2:19: error LS3070: the standard module Reals/],
  ['a Bags operator lockspec does not have', SMALL.replace('EXTENDS Naturals', 'EXTENDS Naturals, Bags').replace('Low == x <= N', 'Low == SubBag(EmptyBag) = {}'), /Small\.tla:13:8: error LS2001: unknown name "SubBag"/],
  ['an unknown module', SMALL.replace('EXTENDS Naturals', 'EXTENDS Naturals, Nowhere'), /Small\.tla:2:19: error LS2030: no module "Nowhere"/],
  ['no algorithm', SMALL.replace(/\(\* --algorithm[^]*?\} \*\)/, ''), /Small\.tla:1:13: error LS3072: no PlusCal algorithm in module "Small"/],
  ['a false ASSUME', SMALL.replace('Low ==', 'ASSUME N > 5\nLow =='), /Small\.tla:13:1: error LS3076: this assumption is FALSE/],
  ['Seq(S) enumerated', SMALL.replace('EXTENDS Naturals', 'EXTENDS Naturals, Sequences').replace('Low == x <= N', 'Low == \\E s \\in Seq({1}) : Len(s) = x'), /Small\.tla:13:17: error LS7050: Seq\(S\) is infinite, and here it would be enumerated/],
  ['a test of SelectSeq that is no operator', SMALL.replace('EXTENDS Naturals', 'EXTENDS Naturals, Sequences').replace('Low == x <= N', 'Low == SelectSeq(<<x>>, N) = <<>>'), /Small\.tla:13:25: error LS2080: "N" as the test of SelectSeq: expected the name of an operator of one parameter/],
])('the module: %s is a located error', (_what, tla, message) => {
  const o = checkWritten('Small', tla, SMALL_CFG);
  expect(o.verdict).toBe('error');
  expect(errorsOf(o, dir)).toEqual([expect.stringMatching(message)]);
});

test('a constant operator takes the definition the config substitutes for it', () => {
  const tla = SMALL.replace('CONSTANTS N', 'CONSTANTS N, Bound(_)').replace('Low == x <= N', 'Twice(n) == 2 * n\nLow == x < Bound(1)');
  const cfg = (value: string): string => `SPECIFICATION Spec\nCONSTANTS N = 2\n${value}\nINVARIANT Low\n`;
  // x reaches 2 = Twice(1) when both processes have added one.
  const o = checkWritten('Small', tla, cfg('Bound <- Twice'));
  expect(errorsOf(o)).toEqual([]);
  expect([o.verdict, o.failure?.property]).toEqual(['violation', 'Low']);
  expect(checkWritten('Small', tla.replace('x < Bound(1)', 'x <= Bound(1)'), cfg('Bound <- Twice')).verdict).toBe('ok');
  expect(errorsOf(checkWritten('Small', tla, cfg('Bound = 3')), dir)).toEqual([expect.stringMatching(/Small\.cfg:3:1: error LS3153: constant operator "Bound" takes 1 argument\(s\): expected "Bound <- Definition"/)]);
  expect(errorsOf(checkWritten('Small', tla, cfg('')), dir)).toEqual([expect.stringMatching(/Small\.tla:3:14: error LS2032: constant "Bound" has no value/)]);
});

test('a true ASSUME is checked and is not a constant of the model', () => {
  const o = checkWritten('Small', SMALL.replace('Low ==', 'ASSUME N \\in Nat /\\ N > 1\nLow =='), SMALL_CFG);
  expect(errorsOf(o)).toEqual([]);
  expect(o.program?.constants.map((c) => c.name)).toEqual(['N']);
});

test('a model module extends the spec beside it and substitutes a definition for a constant', () => {
  const mc = '---- MODULE MCSmall ----\nEXTENDS Small\nconst_N == 3\n====\n';
  const o = checkWritten('MCSmall', mc, 'SPECIFICATION Spec\nCONSTANT N <- const_N\nINVARIANT Low\n', { 'Small.tla': SMALL });
  expect(errorsOf(o)).toEqual([]);
  expect(o.program?.constants).toEqual([{ name: 'N', value: 3 }]);
  expect(o.verdict).toBe('ok');
});

test('a translation that does not match the algorithm is a warning naming the labels that differ', () => {
  const stale = readFileSync(reference('LockInc.tla'), 'utf8').replace('rel:   lock := 0;', 'free:  lock := 0;');
  const folder = mkdtempSync(join(dir, 'stale-'));
  writeFileSync(join(folder, 'LockInc.tla'), stale);
  copyFileSync(reference('LockInc_N3_M3.cfg'), join(folder, 'LockInc.cfg'));
  const o = check(join(folder, 'LockInc.tla'), null, 'compiled');
  expect(errorsOf(o)).toEqual([]);
  const warnings = o.diagnostics.filter((d) => d.severity === 'warning').map((d) => formatDiagnostic(d, o.sources).split(dir + sep).join(''));
  expect(warnings).toEqual([expect.stringMatching(/LockInc\.tla:\d+:1: warning LS3074: the translation does not match the algorithm \(labels free only in the algorithm; labels rel only in the translation\)/)]);
  // The up-to-date translation gives no warning.
  const fresh = check(reference('LockInc.tla'), reference('LockInc_N3_M3.cfg'), 'compiled');
  expect(fresh.diagnostics.filter((d) => d.code === 3074)).toEqual([]);
  // A variable the translation does not have.
  writeFileSync(join(folder, 'LockInc.tla'), stale.replace('free:  lock := 0;', 'rel:   lock := 0;').replace('variables i = 0, tmp = 0;', 'variables i = 0, tmp = 0, extra = 0;'));
  const added = check(join(folder, 'LockInc.tla'), null, 'compiled');
  expect(added.diagnostics.filter((d) => d.code === 3074).map((d) => d.message)).toEqual([expect.stringMatching(/^the translation does not match the algorithm \(variables extra only in the algorithm\)/)]);
});

test.each([
  ['TicketLock.tla', [16_412, 50_317, 46]],
  ['RefPool.tla', [196, 404, 11]],
])("%s as pcal.trans (TLC 2.20) translated it: no stale-translation warning (procedures, stack, a named process), TLC's counts", (file, counts) => {
  const o = check(here(`./specs/translated/${file}`), null, 'compiled');
  expect(o.diagnostics).toEqual([]);
  expect([o.distinct, o.generated, o.depth]).toEqual(counts);
});

test('the CLI: --config chooses the config; --config on a .lspec file is a usage error', () => {
  const args = (file: string, config: string): CheckArgs => ({ file, config, deadlock: true, engine: 'compiled', format: 'text' });
  const io = memoryIo();
  expect(runCheck(args(reference('RefPool.tla'), reference('RefPool_racy.cfg')), io, () => false)).toBe(1);
  expect(io.outs.join('\n')).toMatch(/Invariant NoUseAfterFree violated after 8 steps/);
  const lspec = memoryIo();
  expect(runCheck(args(here('../../examples/refpool.lspec'), reference('RefPool.cfg')), lspec, () => false)).toBe(2);
  expect(lspec.errs.join('\n')).toMatch(/error LS5021: --config is for a \.tla spec/);
});

test('--fair algorithm makes every process weakly fair, as the translation\'s Spec', () => {
  const withProperty = (tla: string): string => tla.replace('Low ==', 'Ends == \\A p \\in 1..N : <>(pc[p] = "Done")\nLow ==');
  const cfg = `${SMALL_CFG}PROPERTY Ends\n`;
  expect(checkWritten('Small', withProperty(SMALL), cfg).verdict).toBe('violation');
  const fair = checkWritten('Small', withProperty(SMALL.replace('(* --algorithm', '(* --fair algorithm')), cfg);
  expect(errorsOf(fair)).toEqual([]);
  expect([fair.verdict, fair.progressChecked]).toEqual(['ok', true]);
});

test('definitions in action-level TLA+ are set aside: the spec checks, and naming one as an invariant is a located error at its prime', () => {
  const actions = SMALL.replace('Low ==', "FairSpec == Spec /\\ [][Next]_vars /\\ WF_vars(Next)\nStep == x' = x + 1\n  /\\ UNCHANGED pc\nLow ==");
  const o = checkWritten('Small', actions, SMALL_CFG);
  expect(errorsOf(o)).toEqual([]);
  expect(o.verdict).toBe('ok');
  const named = checkWritten('Small', actions, `${SMALL_CFG}INVARIANT Step\n`);
  expect(errorsOf(named, dir)[0]).toMatch(/Small\.tla:14:9: error LS2050: a primed variable can only be used in an action/);
});

test("PROPERTY Termination is the translator's: violated without fairness, holds under --fair algorithm (TLC: 168 distinct, 259 generated)", () => {
  const lockInc = readFileSync(reference('LockInc.tla'), 'utf8');
  const cfg = 'SPECIFICATION Spec\nCONSTANTS N = 2\n  M = 2\nPROPERTY Termination\n';
  const unfair = checkWritten('LockInc', lockInc, cfg);
  expect([unfair.verdict, unfair.failure?.property, unfair.distinct, unfair.generated]).toEqual(['violation', 'Termination', 168, 259]);
  const fair = checkWritten('LockInc', lockInc.replace('(* --algorithm', '(* --fair algorithm'), cfg);
  expect(errorsOf(fair)).toEqual([]);
  expect([fair.verdict, fair.distinct, fair.generated]).toEqual(['ok', 168, 259]);
});

test('no config beside the .tla (and no --config) is an error at the module name', () => {
  const o = checkWritten('Small', SMALL, null);
  expect(errorsOf(o, dir)).toEqual([expect.stringMatching(/Small\.tla:1:13: error LS5020: cannot read the config .*Small\.cfg: no such file/)]);
});

test('INIT Init and NEXT Next are the translation\'s behaviours; with SPECIFICATION too, a located error', () => {
  const spec = checkWritten('Small', SMALL, SMALL_CFG);
  const initNext = checkWritten('Small', SMALL, 'INIT Init\nNEXT Next\nCONSTANT N = 2\nINVARIANT Low\n');
  expect(errorsOf(initNext)).toEqual([]);
  expect([initNext.verdict, initNext.distinct, initNext.generated]).toEqual([spec.verdict, spec.distinct, spec.generated]);
  const both = checkWritten('Small', SMALL, `INIT Init\nNEXT Next\n${SMALL_CFG}`);
  expect(errorsOf(both, dir)).toEqual([expect.stringMatching(/Small\.cfg:3:1: error LS3075: SPECIFICATION and INIT\/NEXT together: expected one of them/)]);
});

test('a constant set to itself in the config is a model value of its name', () => {
  const tla = SMALL.replace('CONSTANTS N', 'CONSTANTS N, NoOne').replace('variables x = 0;', 'variables x = 0, who = NoOne;');
  const o = checkWritten('Small', tla, `${SMALL_CFG}CONSTANT NoOne = NoOne\n`);
  expect(errorsOf(o)).toEqual([]);
  expect(o.verdict).toBe('ok');
});
