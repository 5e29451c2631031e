// Adding an IR kind must make `tsc` list every place that has to handle it: every switch over
// statement and expression kinds ends in assertNever. This compiles a copy of src/ with one more
// statement kind and one more expression kind, and expects the errors in each dispatching file.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.cwd();

test('a new IR statement or expression kind fails tsc where it must be handled', () => {
  const dir = mkdtempSync(join(root, '.exhaustive-'));
  try {
    cpSync(join(root, 'src'), join(dir, 'src'), { recursive: true });
    const ir = join(dir, 'src/lang/ir.ts');
    const text = readFileSync(ir, 'utf8')
      .replace("  | { k: 'done'; span: Span }", "  | { k: 'done'; span: Span }\n  | { k: 'newStmt'; span: Span }")
      .replace("  | { k: 'self' }", "  | { k: 'self' }\n  | { k: 'newExpr' }");
    expect(text).toContain('newStmt');
    expect(text).toContain('newExpr');
    writeFileSync(ir, text);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ extends: '../tsconfig.json', compilerOptions: { noEmit: true, rootDir: '.' }, include: ['src/**/*.ts'] }),
    );
    const r = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
    const files = (kind: string): string[] =>
      [...new Set(r.stdout.split('\n').filter((l) => l.includes(`"${kind}"`)).map((l) => l.split('(')[0].slice(l.indexOf('src/'))))].sort();
    expect(r.status).not.toBe(0);
    expect(files('newStmt')).toEqual(
      expect.arrayContaining(['src/checker/engine/compiled/codegen.ts', 'src/checker/engine/reference-engine.ts', 'src/lang/ir-walk.ts', 'src/report/tla.ts']),
    );
    expect(files('newExpr')).toEqual(
      expect.arrayContaining(['src/checker/engine/compiled/codegen.ts', 'src/checker/engine/reference-engine.ts', 'src/lang/ir-walk.ts', 'src/report/tla.ts']),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
