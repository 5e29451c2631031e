// Imports: a module imported along two paths is one module, and only regular files are read
// (a device such as /dev/zero would be read for ever).
import { loadModel } from '../../src/pipeline/load-model.js';
import { writeModel } from '../helpers.js';
import { formatDiagnostic } from '../../src/diagnostics/diagnostics.js';

describe('imports', () => {
  test('a diamond import (A and B both import C) declares C once', () => {
    writeModel('module C { macro bump(v) { v := v + 1; } }', 'c_diamond.lspec');
    writeModel('module A { import "c_diamond.lspec"; }', 'a_diamond.lspec');
    writeModel('module B { import "c_diamond.lspec"; }', 'b_diamond.lspec');
    const root = writeModel(`algorithm D {
  import "a_diamond.lspec";
  import "b_diamond.lspec";
  variables x = 0;
  process P = 1 { a: bump(x); }
}
`);
    const m = loadModel(root);
    expect(m.diagnostics.map((d) => formatDiagnostic(d, m.sources))).toEqual([]);
    expect(m.program!.labels).toHaveLength(1);
  });

  test.each(['/dev/zero', '/dev/null'])('importing %s is a located error, not a hang', (device) => {
    const m = loadModel(writeModel(`algorithm Dev {\n  import "${device}";\n  process P = 1 { a: skip; }\n}\n`));
    expect(m.program).toBeNull();
    expect(m.diagnostics.map((d) => formatDiagnostic(d, m.sources)).join('\n')).toMatch(new RegExp(`:2:3: error LS1004: cannot read ${device}: not a regular file`));
  });
});
