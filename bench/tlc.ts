// Runs TLC on a lockspec model, for the cross-check (scripts/crosscheck-tlc) and the benchmark's
// TLC column (bench/run.ts): where the tools jar is, the model exported with `lockspec export-tla`
// (same constants, symmetry through the cfg), TLC on one worker, and its verdict and counts read
// from its output.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface TlcJob {
  file: string;
  /** NAME=EXPR overrides, as `--const` takes them. */
  consts: string[];
  /** Symmetric sets, comma-separated, as `--symmetry` takes them. */
  symmetry?: string;
}

export interface TlcResult {
  verdict: string;
  property: string | null;
  distinct: number | null;
  generated: number | null;
  /** A temporal property failed (TLC names none). */
  temporal?: boolean;
  /** TLC's whole run (JVM start-up, parsing, search). */
  seconds: number;
  /** Its CPU time, user and system, all threads (null where /usr/bin/time is missing): on a shared machine a fairer figure than wall time. */
  cpuSeconds: number | null;
}

/** GNU time, to read a child's CPU time (node's spawnSync does not report it). */
const GNU_TIME = '/usr/bin/time';
const CPU_MARK = 'lockspec-bench-cpu';

/** TLA2TOOLS, else the tools jar beside the checkout (../shared/tools/), as an absolute path; null if neither is set. */
export function tlcJar(root: string): string | null {
  const besideCheckout = join(root, '../shared/tools/tla2tools.jar');
  return process.env.TLA2TOOLS ? resolve(process.env.TLA2TOOLS) : existsSync(besideCheckout) ? besideCheckout : null;
}

/** The --const and --symmetry options of a job. */
export const jobArgs = (job: TlcJob): string[] => [...job.consts.flatMap((c) => ['--const', c]), ...(job.symmetry ? ['--symmetry', job.symmetry] : [])];

/** Runs the lockspec command line (the built one under root/dist). */
export function lockspec(root: string, args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [join(root, 'dist/src/cli/main.js'), ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** TLC's verdict and counts on the exported module of one design (or the base model). */
export function runTlc(root: string, jar: string, job: TlcJob, design: string | null): TlcResult {
  const work = mkdtempSync(join(tmpdir(), 'lockspec-tlc-'));
  try {
    const cfg = join(work, 'MC.cfg');
    const r = lockspec(root, ['export-tla', job.file, ...(design ? ['--design', design] : []), ...jobArgs(job), '--cfg-out', cfg]);
    if (r.code !== 0) return { verdict: 'export failed', property: r.err.trim().split('\n')[0], distinct: null, generated: null, seconds: 0, cpuSeconds: null };
    const name = /^-+ MODULE (\S+) -+$/m.exec(r.out)![1];
    writeFileSync(join(work, `${name}.tla`), r.out);
    const heap = process.env.TLC_HEAP ? [`-Xmx${process.env.TLC_HEAP}`] : [];
    // TLC_JVM_FLAGS: more flags for java (the cross-check's short runs use the first JIT tier only).
    const flags = process.env.TLC_JVM_FLAGS ? process.env.TLC_JVM_FLAGS.split(/\s+/).filter(Boolean) : [];
    const started = performance.now();
    const java = ['java', '-XX:+UseParallelGC', ...flags, ...heap, '-cp', jar, 'tlc2.TLC', '-config', 'MC.cfg', '-workers', '1', '-cleanup', '-noGenerateSpecTE', `${name}.tla`];
    const timed = existsSync(GNU_TIME);
    const [command, ...args] = timed ? [GNU_TIME, '-f', `${CPU_MARK} %U %S`, ...java] : java;
    const t = spawnSync(command, args, { cwd: work, encoding: 'utf8', maxBuffer: 1 << 28 });
    const seconds = (performance.now() - started) / 1000;
    const cpu = new RegExp(`${CPU_MARK} ([\\d.]+) ([\\d.]+)`).exec(t.stderr);
    return { ...parseTlc(t.stdout + t.stderr), seconds, cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : null };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Reads TLC's verdict ("Invariant X is violated", "Assertion failed", "Deadlock reached", "Temporal properties were violated") and counts. */
function parseTlc(out: string): Omit<TlcResult, 'seconds' | 'cpuSeconds'> {
  const counts = [...out.matchAll(/([\d,]+) states generated, ([\d,]+) distinct states found/g)].pop();
  const num = (s: string): number => Number(s.replace(/,/g, ''));
  const res = { distinct: counts ? num(counts[2]) : null, generated: counts ? num(counts[1]) : null };
  let m: RegExpExecArray | null;
  if (/Model checking completed\. No error has been found\./.test(out)) return { ...res, verdict: 'ok', property: null };
  if ((m = /Invariant (\S+) is violated/.exec(out))) return { ...res, verdict: 'violation', property: m[1] };
  if ((m = /The first argument of Assert evaluated to FALSE; the second argument was:\s*"([^":]+):/.exec(out))) return { ...res, verdict: 'violation', property: m[1] };
  // TLC does not name the temporal property that failed, and checks them before its search ends.
  if (/Temporal properties were violated/.test(out)) return { ...res, verdict: 'violation', property: null, temporal: true };
  if (/Deadlock reached/.test(out)) return { ...res, verdict: 'deadlock', property: 'Deadlock' };
  if (/Parsing or semantic analysis failed|Semantic errors|\*\*\* Parse error|Fatal errors|TLC threw an unexpected exception/.test(out) || !counts) {
    return { ...res, verdict: 'TLC error', property: (/Error: (.*)/.exec(out) ?? /\*\*\* (.*)/.exec(out) ?? ['', out.trim().split('\n').pop() ?? ''])[1] };
  }
  return { ...res, verdict: 'violation', property: 'RuntimeError' };
}
