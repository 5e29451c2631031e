// Shared test helpers: load a model written inline in a test, and format its diagnostics.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { evaluateConstant } from '../src/checker/engine/evaluate-constant.js';
import { formatDiagnostic } from '../src/diagnostics/diagnostics.js';
import type { Program } from '../src/lang/ir.js';
import { loadModel, type LoadedModel } from '../src/load/load-model.js';

const dir = mkdtempSync(join(tmpdir(), 'lockspec-test-'));
let counter = 0;

/** Writes `text` to a fresh temporary .lspec file and returns its path. */
export function writeModel(text: string, name = `model${counter++}.lspec`): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

export function loadText(text: string, opts: { design?: string; consts?: [string, string][] } = {}): LoadedModel {
  return loadModel(writeModel(text), { ...opts, evaluate: evaluateConstant });
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

/** Runs the built CLI with `args`, sends it Ctrl-C (SIGINT) after `ms`, and gives its exit code and output. */
export async function interruptCli(args: string[], ms: number): Promise<{ code: unknown; out: string }> {
  const child = spawn(process.execPath, [join(process.cwd(), 'dist/src/cli/main.js'), ...args]);
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await new Promise((resolve) => setTimeout(resolve, ms));
  child.kill('SIGINT');
  const code = await new Promise((resolve) => child.on('exit', resolve));
  return { code, out };
}
