// A mistake in the model found while searching (a value of the wrong type, a key outside a
// function's domain, a non-boolean invariant, an empty CHOOSE) is an error, not a finding: verdict
// `error`, exit 2, the coded diagnostic at file:line:column with a caret, and the trace that
// reaches it, in every search (breadth-first, both engines, parallel, simulate) and every report.
import { runCheck, runSimulate } from '../../src/cli/commands.js';
import { memoryIo, writeModel } from '../helpers.js';

// `Id[0]` is `s` through a recursive function, whose value the type pass does not know: the
// mistakes below get past it and are found by the search.
const model = (decls: string, body: string): string => `algorithm E {
  variables x = 0, s = {1, 2}, f = [i \\in 1..2 |-> 0];
  define { Id[n \\in {0}] == s }
  ${decls}
  process P \\in 1..2 {
  a: x := x + 1;
  ${body}
  }
}
`;

/** Each mistake, the code it is reported with, and the text under the caret. */
const CASES: [string, string, number, string][] = [
  ['an operand of the wrong type', model('', 'b: x := Id[0] + 1;'), 6001, 'Id[0] + 1'],
  ['a key outside a function domain', model('', 'b: f[3] := 1;'), 6002, 'f[3] := 1'],
  ['a non-boolean invariant', model('invariant Bad == Id[0];', 'b: x := 2;'), 6001, 'Id[0]'],
  ['a wrong type inside an invariant', model('invariant Bad == Id[0] + 1 > x;', 'b: x := 2;'), 6001, 'Id[0] + 1'],
  ['an empty CHOOSE', model('', 'b: x := CHOOSE v \\in s : v > 5;'), 6011, 'CHOOSE v \\in s : v > 5'],
  ['a wrong type in an await', model('', 'b: await x + Id[0] = 2;'), 6001, 'x + Id[0]'],
  ['a wrong type in an if condition', model('', 'b: if (x + Id[0] = 2) { x := 1 };'), 6001, 'x + Id[0]'],
];

const checkArgs = { deadlock: true, engine: 'compiled' as const, format: 'text' as const };

describe.each([
  ['compiled', { engine: 'compiled' as const }],
  ['reference', { engine: 'reference' as const }],
  ['parallel', { engine: 'compiled' as const, workers: 2 }],
])('%s search', (_, opts) => {
  test.each(CASES)('%s is an error with its place, code and trace', (_, text, code, under) => {
    const file = writeModel(text);
    const io = memoryIo();
    expect(runCheck({ ...checkArgs, ...opts, file }, io, () => false)).toBe(2);
    const err = io.errs.join('\n');
    const lines = err.split('\n');
    const at = lines.findIndex((l) => l.includes(`error LS${code}:`));
    expect(at).toBeGreaterThanOrEqual(0);
    expect(lines[at]).toMatch(/\.lspec:\d+:\d+: error/);
    // The caret underlines the expression that failed.
    const source = lines[at + 2].replace(/^\d+ \| /, '');
    const caret = lines[at + 3].replace(/^ *\| /, '');
    expect(source.slice(caret.indexOf('^'), caret.lastIndexOf('^') + 1)).toBe(under);
    // The trace that reaches it follows.
    expect(err).toMatch(/Initial state:/);
    expect(err).not.toMatch(/No violation|violated/);
  });
});

test.each(CASES)('JSON: %s has verdict error, the located diagnostic and the trace', (_, text, code) => {
  const file = writeModel(text);
  const io = memoryIo();
  expect(runCheck({ ...checkArgs, file, format: 'json' }, io, () => false)).toBe(2);
  const json = JSON.parse(io.outs.join('\n'));
  expect(json.verdict).toBe('error');
  expect(json.trace.length).toBeGreaterThan(0);
  expect(json.diagnostics).toEqual([expect.objectContaining({ code: `LS${code}`, severity: 'error', location: expect.stringMatching(/\.lspec:\d+:\d+$/) })]);
});

test.each(CASES)('simulate: %s is an error with its place', (_, text, code) => {
  const file = writeModel(text);
  const io = memoryIo();
  expect(runSimulate({ file, deadlock: true, engine: 'compiled', runs: 20, depth: 10, seed: 1, format: 'text' }, io, () => false)).toBe(2);
  expect(io.errs.join('\n')).toMatch(new RegExp(`\\.lspec:\\d+:\\d+: error LS${code}:`));
});

test('a failing assertion is named by file:line:column, so that two asserts in one step differ', () => {
  const file = writeModel(`algorithm A {
  variables x = 0;
  process P \\in 1..1 {
  a: assert x = 0;
     assert x = 1;
  }
}
`);
  const io = memoryIo();
  expect(runCheck({ ...checkArgs, file }, io, () => false)).toBe(1);
  // (The headline wraps under 100 columns: the temporary path may push the place to the next line.)
  expect(io.outs.join('\n')).toMatch(/Assertion failed at step 1 \(shortest trace, 1 states\):\s+assertion at\s+\S+\.lspec:5:6\n/);
  const json = memoryIo();
  runCheck({ ...checkArgs, file, format: 'json' }, json, () => false);
  expect(JSON.parse(json.outs.join('\n')).message).toMatch(/^assertion at \S+\.lspec:5:6$/);
});
