// A spec's own Next: hand-written TLA+ actions joined to the PlusCal translation, as kernel specs
// add an interrupt that preempts a process (test/tla/specs/IrqPreempt.tla). TLC's verdicts and
// counts (TLC 2.20, /work/shared/tools/tlc) on both engines, and a located error for each part of a
// Next or Spec that lockspec does not read.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatDiagnostic } from '../../src/diagnostics/diagnostics.js';
import { checkModel, simulateModel } from '../../src/pipeline/check-file.js';
import { ModelFiles } from '../../src/pipeline/load-model.js';
import type { CheckOutcome } from '../../src/checker/check.js';
import { writeModel } from '../helpers.js';

const spec = (name: string): string => fileURLToPath(new URL(`./specs/${name}`, import.meta.url));
const ENGINES = ['compiled', 'reference'] as const;

const check = (tla: string, cfg: string | null, engine: (typeof ENGINES)[number]): CheckOutcome => checkModel(tla, { files: new ModelFiles(undefined, cfg), engine });
const errorsOf = (o: CheckOutcome, dir = ''): string[] =>
  o.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d, o.sources).split(dir + sep).join(''));

describe.each(ENGINES)('IrqPreempt.tla, an interrupt that moves a process\'s pc (%s engine)', (engine) => {
  test("SPECIFICATION IrqSpec == Init /\\ [][IrqNext]_vars: TLC's 1,047 distinct, 2,801 generated, depth 25", () => {
    const o = check(spec('IrqPreempt.tla'), null, engine);
    expect(errorsOf(o)).toEqual([]);
    expect([o.verdict, o.distinct, o.generated, o.depth]).toEqual(['ok', 1_047, 2_801, 25]);
  });

  test("INIT Init, NEXT IrqNext, the NMI on: TLC's 916 distinct, 2,140 generated, depth 25", () => {
    const o = check(spec('IrqPreempt.tla'), spec('IrqPreempt_next.cfg'), engine);
    expect(errorsOf(o)).toEqual([]);
    expect([o.verdict, o.distinct, o.generated, o.depth]).toEqual(['ok', 916, 2_140, 25]);
  });

  test("the NMI preempts the lock holder: NoIrqHolding violated, TLC's 3-state trace (lock(1), Nmi(1))", () => {
    const o = check(spec('IrqPreempt.tla'), spec('IrqPreempt_nmi.cfg'), engine);
    expect(errorsOf(o)).toEqual([]);
    expect([o.verdict, o.failure?.property, o.trace?.length]).toEqual(['violation', 'NoIrqHolding', 3]);
    expect([o.distinct, o.generated, o.depth]).toEqual([7, 7, 3]);
  });
});

test.each([
  ['fingerprint mode', { fingerprint: true }],
  ['two workers', { workers: 2 }],
])("IrqPreempt.tla counts as TLC does in %s", (_name, opts) => {
  const o = checkModel(spec('IrqPreempt.tla'), { files: new ModelFiles(undefined, null), ...opts });
  expect(errorsOf(o)).toEqual([]);
  expect([o.verdict, o.distinct, o.generated, o.depth]).toEqual(['ok', 1_047, 2_801, 25]);
});

test('a random walk takes the NMI and finds the violation', () => {
  const r = simulateModel(spec('IrqPreempt.tla'), { files: new ModelFiles(undefined, spec('IrqPreempt_nmi.cfg')), runs: 50, depth: 30, seed: 1 });
  expect(r.failure?.property).toBe('NoIrqHolding');
});

test.each(ENGINES)("IrqProc.tla, an interrupt at a label of a process that calls a procedure, UNCHANGED stack: TLC's 73 distinct, 171 generated, depth 13 (%s engine)", (engine) => {
  const o = check(spec('IrqProc.tla'), null, engine);
  expect(errorsOf(o)).toEqual([]);
  expect([o.verdict, o.distinct, o.generated, o.depth]).toEqual(['ok', 73, 171, 13]);
});

// The same in a .lspec model: `action` whose body is `\E c \in S : ...` moving c's pc. TLC on its
// export (export-tla): 105 states generated, 46 distinct, depth 8.
const NATIVE = `algorithm IrqNative {
  variables owner = 0, credits = 1;
  process (Cpu \\in {1, 2})
  variables saved = "lock"; {
  lock:   await owner = 0;
          owner := self;
  crit:   owner := 0;
  done1:  skip;
  irq:    if (saved = "lock") goto lock; else goto done1;
  }
  action Preempt == \\E c \\in {1, 2} : /\\ pc[c] \\in {"lock", "done1"} /\\ credits > 0 /\\ credits' = credits - 1
                                      /\\ saved' = [saved EXCEPT ![c] = pc[c]] /\\ pc' = [pc EXCEPT ![c] = "irq"] /\\ UNCHANGED owner;
  invariant Mutex == \\A c \\in {1, 2} : pc[c] = "crit" => owner = c;
}
`;

test('a fair .lspec action that moves a process\'s pc is a located error: its steps are the process\'s', () => {
  const o = checkModel(writeModel(NATIVE.replace('action Preempt', 'fair action Preempt')), {});
  expect(errorsOf(o).map((e) => e.split('\n')[0].replace(/^[^:]*:/, ''))).toEqual([expect.stringMatching(/^11:3: error LS3144: a fair action that moves a process's pc cannot be checked yet/)]);
});

test.each(ENGINES)("a .lspec action that moves a process's pc counts as TLC does on its export (%s engine)", (engine) => {
  const o = checkModel(writeModel(NATIVE), { engine });
  expect(errorsOf(o)).toEqual([]);
  expect([o.verdict, o.distinct, o.generated, o.depth]).toEqual(['ok', 46, 105, 8]);
});

// ---------------------------------------------------------------- what is refused, located

const dir = mkdtempSync(join(tmpdir(), 'lockspec-next-'));
const IRQ = readFileSync(spec('IrqPreempt.tla'), 'utf8');
const CFG = readFileSync(spec('IrqPreempt.cfg'), 'utf8');
/** The line of IrqPreempt.tla that starts with `text`, 1-based. */
const lineOf = (tla: string, text: string): number => tla.split('\n').findIndex((l) => l.startsWith(text)) + 1;

function checkWritten(tla: string, cfg: string = CFG, name = 'IrqPreempt'): CheckOutcome {
  const folder = mkdtempSync(join(dir, 'spec-'));
  writeFileSync(join(folder, `${name}.tla`), tla);
  writeFileSync(join(folder, `${name}.cfg`), cfg);
  return check(join(folder, `${name}.tla`), null, 'compiled');
}

const edit = (from: string, to: string): string => {
  expect(IRQ).toContain(from);
  return IRQ.replace(from, to);
};

test("a Next that spells out the translation's disjuncts (\\E self \\in CPUS : Cpu(self), Terminating) is the same spec: TLC's counts (1,047 distinct, 2,801 generated, depth 25)", () => {
  const tla = edit('IrqNext == \\/ Next', 'IrqNext == \\/ (\\E self \\in CPUS : Cpu(self)) \\/ Terminating');
  const o = checkWritten(tla);
  expect(errorsOf(o, dir)).toEqual([]);
  expect([o.verdict, o.distinct, o.generated, o.depth]).toEqual(['ok', 1_047, 2_801, 25]);
});

test.each([
  ['a Next that leaves out a process', () => edit('IrqNext == \\/ Next', 'IrqNext == \\/ Terminating'), 'IrqNext ==', /error LS3141: this Next leaves out the translation's actions of process Cpu/],
  ['a Next lockspec cannot parse', () => edit('IrqNext == \\/ Next', 'IrqNext == \\/ [Next]_vars'), 'IrqNext ==', /error LS3140: the Next "IrqNext" cannot be read as the spec's behaviour/],
  ['a Spec with another conjunct', () => edit('IrqSpec == Init /\\ [][IrqNext]_vars', 'IrqSpec == Init /\\ [][IrqNext]_vars /\\ []Mutex'), 'IrqSpec ==', /error LS3140: SPECIFICATION "IrqSpec" cannot be read/],
  ['a pc computed at run time', () => edit('pc\' = [pc EXCEPT ![self] = "irq"]\n                   /\\ UNCHANGED <<owner, rounds>>', 'pc\' = [pc EXCEPT ![self] = saved[self]]\n                   /\\ UNCHANGED <<owner, rounds>>'), '                   /\\ pc\' = [pc EXCEPT ![self] = saved', /error LS3142: an action of process "Cpu" moves its pc to a label computed at run time/],
  ['a pc moved to no label', () => edit('pc\' = [pc EXCEPT ![self] = "irq"]\n                   /\\ UNCHANGED <<owner, rounds>>', 'pc\' = [pc EXCEPT ![self] = "handler"]\n                   /\\ UNCHANGED <<owner, rounds>>'), '                   /\\ pc\' = [pc EXCEPT ![self] = "handler"]', /error LS2060: no label "handler" of a process/],
  ['another process\'s variable written', () => edit('saved\' = [saved EXCEPT ![self] = pc[self]]', 'saved\' = [c \\in CPUS |-> pc[self]]'), '                   /\\ saved\'', /error LS3142: an action of process "Cpu" sets saved' otherwise than at its own process/],
  ['no pc guard', () => edit('Interrupt(self) == /\\ pc[self] \\in {"lock", "check"}', 'Interrupt(self) == /\\ TRUE'), "           \\/ \\E self", /error LS3143: action "Interrupt\(self\)" moves a process's pc, but no conjunct says at which labels/],
  ['a guard that lets it move a finished process', () => edit('pc[self] \\in {"lock", "check"}', 'pc[self] \\in {"lock", "Done"}'), 'Interrupt(self) ==', /error LS3143: .* its guard lets it move a finished process \("Done"\)/],
])('%s is a located error', (_what, tla, line, message) => {
  const text = tla();
  const o = checkWritten(text);
  expect(o.verdict).toBe('error');
  const errors = errorsOf(o, dir);
  expect(errors).toEqual([expect.stringMatching(message)]);
  expect(errors[0]).toMatch(new RegExp(`^[^:]*IrqPreempt\\.tla:${lineOf(text, line)}:`));
});

test('PROPERTIES under a spec of its own are a located error: its fairness is not the algorithm\'s', () => {
  const o = checkWritten(IRQ.replace('====', 'Ends == <>(\\A c \\in CPUS : pc[c] = "fin")\n===='), `${CFG}PROPERTY Ends\n`);
  expect(errorsOf(o, dir)).toEqual([expect.stringMatching(/IrqPreempt\.cfg:4:10: error LS3144: PROPERTIES under SPECIFICATION "IrqSpec" cannot be checked yet: the spec's fairness/)]);
});

test('an action that sets the call stack is a located error: it cannot call or return', () => {
  const proc = readFileSync(spec('IrqProc.tla'), 'utf8');
  const tla = proc.replace('/\\ UNCHANGED stack', "/\\ stack' = [stack EXCEPT ![self] = <<>>]");
  expect(tla).not.toBe(proc);
  const o = checkWritten(tla, readFileSync(spec('IrqProc.cfg'), 'utf8'), 'IrqProc');
  expect(errorsOf(o, dir)).toEqual([expect.stringMatching(new RegExp(`IrqProc\\.tla:${lineOf(tla, "                   /\\ stack'")}:23: error LS3142: an action of process "Cpu" sets stack: expected UNCHANGED stack`))]);
});
