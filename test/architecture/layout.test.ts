// The source tree is the pipeline: each folder one stage, imports only pointing down to earlier
// stages, no import cycle between files, and no two source files sharing a name. docs/architecture.md
// draws the same order; this test keeps the drawing true.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The stages, lowest first; a file belongs to the first (most specific) folder that holds it. */
const STAGES = [
  'src/diagnostics/',
  'src/parser/',
  'src/tla/',
  'src/lang/',
  'src/invariants/',
  'src/checker/engine/',
  'src/checker/search/',
  'src/checker/',
  'src/pipeline/',
  'src/report/',
  'src/explore/',
  'src/cli/',
];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function stageOf(file: string): number {
  const candidates = STAGES.map((s, i) => [s, i] as const).filter(([s]) => file.startsWith(s));
  candidates.sort((a, b) => b[0].length - a[0].length);
  return candidates.length ? candidates[0][1] : -1;
}

/** The relative imports of a file, as paths of .ts files from the root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from\s+|import\(\s*)'(\.[^']+)'/g)) {
    out.push(relative(root, resolve(root, dirname(file), m[1])).replace(/\.js$/, '.ts'));
  }
  return out;
}

const files = sourceFiles('src');
const graph = new Map(files.map((f) => [f, importsOf(f)]));

describe('source layout', () => {
  test('every source file is in a stage', () => {
    expect(files.filter((f) => stageOf(f) < 0)).toEqual([]);
  });

  test('imports point only down the pipeline', () => {
    const upward: string[] = [];
    for (const [f, deps] of graph) {
      for (const d of deps) if (stageOf(d) > stageOf(f)) upward.push(`${f} -> ${d}`);
    }
    expect(upward).toEqual([]);
  });

  test('no import cycle between files', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, path: string[]): void => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...path.slice(path.indexOf(f)), f].join(' -> '));
        return;
      }
      state.set(f, 'open');
      for (const d of graph.get(f) ?? []) visit(d, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });

  test('no two source files share a name', () => {
    const byName = new Map<string, string[]>();
    for (const f of files) byName.set(basename(f), [...(byName.get(basename(f)) ?? []), f]);
    expect([...byName.values()].filter((fs) => fs.length > 1)).toEqual([]);
  });
});
