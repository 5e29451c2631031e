// Choosing the temporal and cover properties a check checks, as a TLC configuration's PROPERTIES
// does: `--property A,B` keeps only those (an unknown name is a located error listing them), and
// `--property ''` none, so that the same model can be checked for safety alone.
import { formatDiagnostic } from '../../src/diagnostics/diagnostics.js';
import { loadModel } from '../../src/pipeline/load-model.js';
import { runCheck, type CheckArgs } from '../../src/cli/commands.js';
import { memoryIo, writeModel } from '../helpers.js';

const MODEL = `algorithm A {
  variables x = 0;
  fair process P = 1 { a: x := 1; b: x := 2; }
  property Ends == <>(x = 2);
  property Never == <>(x = 5);
  property Stays == [](x < 3);
  reachable Two == x = 2;
}`;

const chosen = (file: string, properties?: string[]): string[] => {
  const m = loadModel(file, { properties });
  if (!m.program) throw new Error(m.diagnostics.map((d) => formatDiagnostic(d, m.sources)).join('\n'));
  const p = m.program;
  return [...(p.temporal ?? []).map((t) => t.name), ...(p.reachable ?? []).map((r) => r.name), ...p.invariants.filter((i) => !i.builtin).map((i) => i.name)];
};

test('--property keeps only the named temporal, cover and [] properties', () => {
  const file = writeModel(MODEL);
  expect(chosen(file)).toEqual(['Ends', 'Never', 'Two', 'Stays']);
  expect(chosen(file, ['Ends', 'Stays'])).toEqual(['Ends', 'Stays']);
  expect(chosen(file, [])).toEqual([]);
});

test('an unknown --property name is a located error listing the properties', () => {
  const m = loadModel(writeModel(MODEL), { properties: ['Ends', 'Nevr'] });
  expect(m.program).toBeNull();
  expect(m.diagnostics.map((d) => formatDiagnostic(d, m.sources))).toEqual([
    expect.stringMatching(/^--property:1:6: error LS2018: no property "Nevr" to check: expected one of Ends, Never, Stays, Two/),
  ]);
});

test('check --property: the dropped property is not checked', () => {
  const check = (extra: Partial<CheckArgs>): string => {
    const io = memoryIo();
    runCheck({ file: writeModel(MODEL), deadlock: false, engine: 'compiled', format: 'text', ...extra }, io, () => false);
    return io.outs.join('\n');
  };
  expect(check({})).toMatch(/Never fails/);
  expect(check({ property: 'Ends,Two' })).toMatch(/No violation/i);
  expect(check({ property: '' })).toMatch(/No violation/i);
});
