// Front-end regressions found by the fuzzer (test/fuzz/fuzz.test.ts): inputs that once crashed the
// parser or the resolver, or got a diagnostic that points nowhere.
import { errorsOf, loadText } from '../helpers.js';

test('a model without a process is reported at the algorithm name', () => {
  const m = loadText('algorithm A {\n  variables x = 0;\n}\n');
  expect(m.program).toBeNull();
  expect(m.diagnostics.map((d) => d.kind)).toEqual(['NoProcess']);
  expect(m.diagnostics[0].span).toMatchObject({ start: 10, end: 11 });
  expect(errorsOf('algorithm A { }')[0]).toMatch(/:1:11: error LS3007: the algorithm has no process/);
});

test('a procedure whose while loop is its last statement is warned about at the procedure', () => {
  const text = 'algorithm A {\n  procedure p() {\n  q: while (TRUE) { skip; }\n  }\n  process (P = 1) { a: call p(); b: skip; }\n}\n';
  const m = loadText(text);
  expect(m.diagnostics.map((d) => [d.kind, d.span?.file === '' ? 'no file' : 'located'])).toEqual([['ProcedureRunsOff', 'located']]);
  expect(m.diagnostics[0].span).toMatchObject({ start: text.indexOf('procedure') });
});
