// Choosing the invariants a check checks, as a TLC configuration's INVARIANTS does: `--invariant
// A,B` keeps only those (an unknown name is a located error listing the invariants), and
// `disable` may name a user invariant as well as a built-in check.
import { formatDiagnostic } from '../../src/diagnostics/diagnostics.js';
import { loadModel } from '../../src/pipeline/load-model.js';
import { runCheck, type CheckArgs } from '../../src/cli/commands.js';
import { errorsOf, memoryIo, programOf, writeModel } from '../helpers.js';

const MODEL = `algorithm A {
  variables x = 0;
  invariant Small == x < 2;
  invariant NonNeg == x >= 0;
  final Ends == x = 3;
  process P = 1 { a: x := x + 1; b: x := x + 1; c: x := x + 1; }
}`;

const names = (file: string, invariants?: string[]): string[] => {
  const m = loadModel(file, { invariants });
  if (!m.program) throw new Error(m.diagnostics.map((d) => formatDiagnostic(d, m.sources)).join('\n'));
  return [...m.program.invariants, ...m.program.finals].filter((p) => !p.builtin).map((p) => p.name);
};

test('--invariant keeps only the named invariants and finals', () => {
  const file = writeModel(MODEL);
  expect(names(file)).toEqual(['Small', 'NonNeg', 'Ends']);
  expect(names(file, ['NonNeg', 'Ends'])).toEqual(['NonNeg', 'Ends']);
});

test('an unknown --invariant name is a located error listing the invariants', () => {
  const m = loadModel(writeModel(MODEL), { invariants: ['NonNeg', 'Big'] });
  expect(m.program).toBeNull();
  expect(m.diagnostics.map((d) => formatDiagnostic(d, m.sources))).toEqual([
    expect.stringMatching(/^--invariant:1:8: error LS2017: no invariant "Big" to check: expected one of Small, NonNeg, Ends/),
  ]);
});

test('check --invariant: the dropped invariant is not checked', () => {
  const check = (extra: Partial<CheckArgs>): string => {
    const io = memoryIo();
    runCheck({ file: writeModel(MODEL), deadlock: true, engine: 'compiled', format: 'text', ...extra }, io, () => false);
    return io.outs.join('\n');
  };
  expect(check({})).toMatch(/Invariant Small violated/);
  expect(check({ invariant: 'NonNeg,Ends' })).toMatch(/No violation/i);
});

test('disable names a user invariant', () => {
  const p = programOf(MODEL.replace('variables x = 0;', 'variables x = 0;\n  disable Small "x grows on purpose";'));
  expect(p.invariants.map((i) => i.name)).toEqual(['NonNeg']);
  expect(p.disabled).toEqual([{ name: 'Small', reason: 'x grows on purpose' }]);
  expect(errorsOf(MODEL.replace('variables x = 0;', 'variables x = 0;\n  disable Smal "typo";'))).toEqual([
    expect.stringMatching(/LS2014: no built-in check or invariant "Smal" to disable: expected one of .*Small, NonNeg, Ends/),
  ]);
});
