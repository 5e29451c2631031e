// Shared test helpers: load a model written inline in a test, and format its diagnostics.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { formatDiagnostic } from '../src/diagnostics/diagnostics.js';
import type { Io } from '../src/cli/commands.js';
import type { Program } from '../src/lang/ir.js';
import { loadModel, type LoadedModel } from '../src/pipeline/load-model.js';
import { createEngine, type EngineName } from '../src/checker/engine/create-engine.js';
import { explore } from '../src/checker/search/breadth-first.js';

const dir = mkdtempSync(join(tmpdir(), 'lockspec-test-'));
let counter = 0;

/** Writes `text` to a fresh temporary .lspec file and returns its path. */
export function writeModel(text: string, name = `model${counter++}.lspec`): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

export function loadText(text: string, opts: { design?: string; consts?: [string, string][] } = {}): LoadedModel {
  return loadModel(writeModel(text), { ...opts });
}

/** The program of a model that must load without diagnostics. */
export function programOf(text: string, opts: { design?: string; consts?: [string, string][] } = {}): Program {
  const m = loadText(text, opts);
  if (!m.program) throw new Error(m.diagnostics.map((d) => formatDiagnostic(d, m.sources)).join('\n'));
  return m.program;
}

/** The formatted diagnostics of a model that must fail to load. */
export function errorsOf(text: string, opts: { design?: string; consts?: [string, string][] } = {}): string[] {
  const m = loadText(text, opts);
  if (m.program) throw new Error('expected diagnostics, the model loaded');
  return m.diagnostics.map((d) => formatDiagnostic(d, m.sources).split(dir + sep).join(''));
}

/**
 * A model whose base fails at once and whose design long_search searches until a memory ceiling:
 * for tests of what a command shows between one design's result and the next's end.
 */
export const SLOW_DESIGNS = `algorithm Slow {
  constants N = 6, M = 3;
  variables lock = 0, counter = 0;
  process P \\in 1..N variables i = 0, tmp = 0;
  { loop: while (i < M) { acq: await lock = 0; lock := self; rd: tmp := counter; wr: counter := tmp + 1; rel: lock := 0; i := i + 1; } }
  invariant Small == counter < 1;
  design long_search { invariant Small == counter >= 0; }
}
`;

/** How long a test that runs the CLI as a child may take: a bound on a loaded machine, not a measure. */
export const CHILD_TIMEOUT_MS = 120_000;

/**
 * Runs the built CLI with `args` and `--progress`, sends it `signal` (Ctrl-C's SIGINT) once it has printed its first
 * progress line (the search is under way: no clock involved), and gives its exit code and output.
 */
export async function interruptCli(args: string[], signal: NodeJS.Signals = 'SIGINT'): Promise<{ code: unknown; out: string; err: string }> {
  const child = spawn(process.execPath, [join(process.cwd(), 'dist/src/cli/main.js'), ...args, '--progress']);
  let out = '';
  let err = '';
  let sent = false;
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => {
    err += d;
    if (!sent && /^Progress: /m.test(err)) {
      sent = true;
      child.kill(signal);
    }
  });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  return { code, out, err };
}

/** An Io that keeps what a command prints and writes, and counts the reads of each model file. */
export function memoryIo(): Io & { outs: string[]; errs: string[]; files: Map<string, string>; reads: Map<string, number> } {
  const outs: string[] = [];
  const errs: string[] = [];
  const files = new Map<string, string>();
  const reads = new Map<string, number>();
  return {
    outs,
    errs,
    files,
    reads,
    out: (s) => outs.push(s),
    err: (s) => errs.push(s),
    readFile: (path) => {
      reads.set(path, (reads.get(path) ?? 0) + 1);
      return readFileSync(path, 'utf8');
    },
    writeFile: (path, text) => files.set(path, text),
    isTTY: false,
    width: 100,
    parseCacheDir: null,
  };
}

/** The verdict, the failed property (and runtime error code) and the state count of a model. */
function outcomeOf(text: string, engine: EngineName): string {
  const r = explore(createEngine(engine, programOf(text)), { deadlock: false });
  const f = r.failure;
  return `${r.verdict}${f ? ` ${f.property}${f.code ? ` LS${f.code}` : ''}` : ''} ${r.distinct}`;
}

/** Checks a model (deadlock off) with both engines: each must give `expected` (see outcomeOf). */
export function expectBoth(text: string, expected: string): void {
  for (const engine of ['reference', 'compiled'] as const) expect(`${engine}: ${outcomeOf(text, engine)}`).toBe(`${engine}: ${expected}`);
}
