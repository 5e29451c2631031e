// Runs TLC on a lockspec model, for the cross-check (scripts/crosscheck-tlc) and the benchmark's
// TLC column (bench/run.ts): where the tools jar is, the model exported as `lockspec export-tla`
// exports it (same constants, symmetry through the cfg), TLC on one worker, and its verdict and
// counts read from its output. The lockspec side (check, export-tla) runs the commands' own
// functions in this process: one process checks many models without a start-up each.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCheck, runExportTla, type ExportTlaArgs, type Io } from '../src/cli/commands.js';

export interface TlcJob {
  file: string;
  /** NAME=EXPR overrides, as `--const` takes them. */
  consts: string[];
  /** Symmetric sets, comma-separated, as `--symmetry` takes them. */
  symmetry?: string;
  /** Only these temporal and cover properties, as `--property` takes them (unset: every one). */
  properties?: string[];
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

/** An Io that keeps what a command prints and the text of the one file it writes. */
function keptIo(): Io & { outs: string[]; errs: string[]; written: string } {
  const io = {
    outs: [] as string[],
    errs: [] as string[],
    written: '',
    out: (s: string) => io.outs.push(s),
    err: (s: string) => io.errs.push(s),
    readFile: (path: string) => readFileSync(path, 'utf8'),
    writeFile: (_path: string, text: string) => (io.written = text),
    isTTY: false,
    width: 100,
    parseCacheDir: null,
  };
  return io;
}

/** The first line of what a command printed on stderr. */
const firstLine = (errs: string[]): string => errs.join('\n').trim().split('\n')[0];

/**
 * `lockspec check --format json` on a job, in this process (the command's own function): the
 * JSON reports (one per design), or the first line of the error when it printed none.
 */
function checkJob(job: TlcJob, engine: 'compiled' | 'reference'): { reports: unknown } | { error: string } {
  const io = keptIo();
  runCheck({ file: job.file, const: job.consts, symmetry: job.symmetry, engine, deadlock: true, 'lock-order': true, format: 'json' }, io, () => false);
  try {
    return { reports: JSON.parse(io.outs.join('\n')) };
  } catch {
    return { error: firstLine(io.errs) };
  }
}

/** lockspec's verdict and counts for one design of a job, as the cross-check compares them with TLC's. */
export interface LockspecRow {
  design: string | null;
  verdict: string;
  /** The failing property, or for a model that does not load the first error. */
  property: string | null;
  /** The first violation is of a temporal property, or of a reachable (cover) one. */
  temporal: boolean;
  cover: boolean;
  distinct: number | null;
  generated: number | null;
}

/** `check` on a job: a row per design (or the base model without designs). */
export function lockspecRows(job: TlcJob, engine: 'compiled' | 'reference'): LockspecRow[] {
  const checked = checkJob(job, engine);
  if ('error' in checked) return [{ design: null, verdict: 'error', property: checked.error, temporal: false, cover: false, distinct: null, generated: null }];
  const reports = checked.reports as CheckReport | CheckReport[];
  return (Array.isArray(reports) ? reports : [reports]).map((o) => ({
    design: o.design ?? null,
    verdict: o.verdict,
    // A warning (a diagnostic of a model that checked) names no property.
    property: o.property ?? o.diagnostics?.find((d) => d.severity === 'error')?.message ?? null,
    temporal: o.violations?.[0]?.kind === 'temporal',
    cover: o.violations?.[0]?.kind === 'cover',
    distinct: o.states?.distinct ?? null,
    generated: o.states?.generated ?? null,
  }));
}

/** What lockspecRows reads of a JSON report (docs/json.md). */
interface CheckReport {
  design?: string | null;
  verdict: string;
  property?: string | null;
  diagnostics?: { severity: string; message: string }[];
  violations?: { kind: string }[];
  states?: { distinct: number; generated: number };
}

/** A model that fails as it runs: TLC runs it too (its error is a violation of RuntimeError). */
export const isRuntimeError = (ls: LockspecRow): boolean => ls.verdict === 'error' && ls.property === 'RuntimeError';

/**
 * Whether lockspec's row and TLC's result agree. Verdict, property and distinct states must agree;
 * generated states too for a complete search (a search stopped by a violation has generated
 * whatever came before the failing state). TLC prints no counts for a violation in an initial
 * state. A temporal violation: lockspec checks after the whole search, TLC as it goes, so TLC may
 * have seen fewer states; the property is not named by TLC, only that one was temporal. Three of
 * lockspec's findings are read off the state graph after a complete search, where TLC has nothing
 * to find: a lock-order cycle (TLC: ok), a lost wake-up (TLC: the deadlock it is) and a reachable
 * (cover) property no state meets (TLC has no cover properties: ok). A runtime error (verdict
 * error, exit 2) is TLC's error in evaluation, read as a violation of RuntimeError.
 */
export function agreesWithTlc(ls: LockspecRow, tlc: Pick<TlcResult, 'verdict' | 'property' | 'distinct' | 'generated' | 'temporal'>): boolean {
  const asTlc =
    ls.property === 'LockOrder' || ls.cover
      ? { ...ls, verdict: 'ok', property: null }
      : ls.property === 'LostWakeup'
        ? { ...ls, verdict: 'deadlock', property: 'Deadlock' }
        : isRuntimeError(ls)
          ? { ...ls, verdict: 'violation' }
          : ls;
  const countsAgree = tlc.temporal
    ? (tlc.distinct ?? 0) <= (asTlc.distinct ?? 0)
    : tlc.distinct === null
      ? asTlc.verdict !== 'ok'
      : asTlc.distinct === tlc.distinct && (asTlc.verdict !== 'ok' || asTlc.generated === tlc.generated);
  const sameProperty = tlc.temporal ? ls.temporal : (asTlc.property ?? null) === (tlc.property ?? null);
  return asTlc.verdict === tlc.verdict && sameProperty && countsAgree;
}

/** `lockspec export-tla --cfg-out` on a job, in this process: the module and the config, or the first line of the error. */
function exportModel(job: TlcJob, design: string | null): { module: string; cfg: string } | { error: string } {
  const io = keptIo();
  const args: ExportTlaArgs = {
    file: job.file,
    ...(design ? { design } : {}),
    const: job.consts,
    symmetry: job.symmetry,
    ...(job.properties ? { property: job.properties.join(',') } : {}),
    deadlock: true,
    'cfg-out': 'MC.cfg',
  };
  return runExportTla(args, io) === 0 ? { module: io.outs.join('\n'), cfg: io.written } : { error: firstLine(io.errs) };
}

/**
 * Java's flags to share TLC's classes between runs (a class-data archive, AppCDS): the archive
 * of the tools jar in the temporary folder, else the flag that writes it when this run exits
 * (under a name of its own, renamed into place by `written`: runs at the same time never read a
 * half-written one). Java checks the archive against the jar and itself and ignores a stale one.
 * It saves TLC's start-up, a third of a short run's CPU.
 */
function classArchive(jar: string): { flags: string[]; written: () => void } {
  const { size, mtimeMs } = statSync(jar);
  const archive = join(tmpdir(), `lockspec-tlc-${size}-${Math.round(mtimeMs)}.jsa`);
  if (existsSync(archive)) return { flags: [`-XX:SharedArchiveFile=${archive}`], written: () => {} };
  const partial = `${archive}.${process.pid}`;
  return { flags: [`-XX:ArchiveClassesAtExit=${partial}`], written: () => existsSync(partial) && renameSync(partial, archive) };
}

/** How java runs TLC: `shareClasses` keeps TLC's classes in an archive between runs (classArchive); `jvmFlags` more flags. */
export interface TlcJava {
  shareClasses?: boolean;
  jvmFlags?: string[];
}

/**
 * TLC on one worker on `NAME.tla` with MC.cfg in `work`: its output (stdout, then stderr), its
 * wall time and its CPU time. TLC_HEAP sets java's -Xmx.
 */
export function runTlcModule(jar: string, work: string, name: string, java: TlcJava = {}): { out: string; seconds: number; cpuSeconds: number | null } {
  const heap = process.env.TLC_HEAP ? [`-Xmx${process.env.TLC_HEAP}`] : [];
  const archive = java.shareClasses ? classArchive(jar) : { flags: [], written: () => {} };
  const started = performance.now();
  const command = ['java', '-XX:+UseParallelGC', ...(java.jvmFlags ?? []), ...archive.flags, ...heap, '-cp', jar, 'tlc2.TLC', '-config', 'MC.cfg', '-workers', '1', '-cleanup', '-noGenerateSpecTE', `${name}.tla`];
  const [program, ...args] = existsSync(GNU_TIME) ? [GNU_TIME, '-f', `${CPU_MARK} %U %S`, ...command] : command;
  const t = spawnSync(program, args, { cwd: work, encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = (performance.now() - started) / 1000;
  archive.written();
  const cpu = new RegExp(`${CPU_MARK} ([\\d.]+) ([\\d.]+)`).exec(t.stderr);
  return { out: t.stdout + t.stderr, seconds, cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : null };
}

/**
 * TLC's verdict and counts on the exported module of one design (or the base model).
 * TLC_JVM_FLAGS: more flags for java (the cross-check's short runs use the first JIT tier only).
 */
export function runTlc(jar: string, job: TlcJob, design: string | null, shareClasses = false): TlcResult {
  const work = mkdtempSync(join(tmpdir(), 'lockspec-tlc-'));
  try {
    const exported = exportModel(job, design);
    if ('error' in exported) return { verdict: 'export failed', property: exported.error, distinct: null, generated: null, seconds: 0, cpuSeconds: null };
    const name = /^-+ MODULE (\S+) -+$/m.exec(exported.module)![1];
    writeFileSync(join(work, `${name}.tla`), exported.module);
    writeFileSync(join(work, 'MC.cfg'), exported.cfg);
    const jvmFlags = process.env.TLC_JVM_FLAGS ? process.env.TLC_JVM_FLAGS.split(/\s+/).filter(Boolean) : [];
    const { out, seconds, cpuSeconds } = runTlcModule(jar, work, name, { shareClasses, jvmFlags });
    return { ...parseTlc(out), seconds, cpuSeconds };
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
  // An invariant that is a constant, and FALSE: TLC says so before it starts (no counts).
  if ((m = /The invariant of (\S+) is equal to FALSE/.exec(out))) return { ...res, verdict: 'violation', property: m[1] };
  if ((m = /The first argument of Assert evaluated to FALSE; the second argument was:\s*"([^":]+):/.exec(out))) return { ...res, verdict: 'violation', property: m[1] };
  // TLC does not name the temporal property that failed, and checks them before its search ends.
  if (/Temporal properties were violated/.test(out)) return { ...res, verdict: 'violation', property: null, temporal: true };
  if (/Deadlock reached/.test(out)) return { ...res, verdict: 'deadlock', property: 'Deadlock' };
  // An error in evaluation with the behaviour to it (some, as a CASE with no true arm, TLC reports
  // as an unexpected exception).
  if (counts && /The behavior up to this point is/.test(out)) return { ...res, verdict: 'violation', property: 'RuntimeError' };
  if (/Parsing or semantic analysis failed|Semantic errors|\*\*\* Parse error|Fatal errors|TLC threw an unexpected exception/.test(out) || !counts) {
    return { ...res, verdict: 'TLC error', property: (/Error: (.*)/.exec(out) ?? /\*\*\* (.*)/.exec(out) ?? ['', out.trim().split('\n').pop() ?? ''])[1] };
  }
  return { ...res, verdict: 'violation', property: 'RuntimeError' };
}
