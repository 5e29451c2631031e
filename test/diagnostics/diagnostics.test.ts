// The diagnostic formatter: file:line:column, the line, and a caret under the span.
import { diag, formatDiagnostic } from '../../src/diagnostics/diagnostics.js';

test('points at the place with a caret', () => {
  const src = 'algorithm A {\n  variables x = y;\n}\n';
  const d = diag('UnknownName', { file: 'a.lspec', start: 30, end: 31 }, 'y');
  const text = formatDiagnostic(d, new Map([['a.lspec', src]]));
  expect(text).toBe(
    [
      'a.lspec:2:17: error LS2001: unknown name "y": expected a constant, variable, definition or bound name',
      '  |',
      '2 |   variables x = y;',
      '  |                 ^',
    ].join('\n'),
  );
});
