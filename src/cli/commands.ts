// The commands behind the command line, as functions of parsed arguments to an exit code, so that
// tests can run them in-process. They chain the stages and choose the report; nothing more.
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadFailure, type CheckOutcome } from '../checker/check.js';
import { diag, formatDiagnostic, type Diagnostic, type SourceMap } from '../diagnostics/diagnostics.js';
import { checkDesign, designsToCheck, simulateModel, type FileCheckOptions } from '../pipeline/check-file.js';
import { designsOf, displayPath, loadModel, lowerDesign, ModelFiles, parseModel } from '../pipeline/load-model.js';
import { ParseCache } from '../pipeline/parse-cache.js';
import { formatCompare } from '../report/compare.js';
import { checkToJson, traceToItf } from '../report/json.js';
import { formatCheck, formatCoverage, formatNumber } from '../report/text.js';
import { outcomeGraphDot } from '../report/graph.js';
import { GRAPH_VIEW_MAX_STATES, reportView } from '../report/html-data.js';
import { reportHtml } from '../report/html.js';
import { exportTla } from '../report/tla.js';
import type { Program } from '../lang/ir.js';
import { EXIT, type Io } from './io.js';

export { EXIT, processIo, reportWidth, type Io } from './io.js';


export interface CheckArgs {
  file: string;
  design?: string;
  /** `--config F.cfg`: the TLC config of a .tla spec. */
  config?: string;
  const?: string[];
  deadlock: boolean;
  symmetry?: string;
  /** `--invariant A,B`: check only these invariants and finals. */
  invariant?: string;
  /** `--property A,B`: check only these temporal and cover properties (`''`: none). */
  property?: string;
  'max-states'?: number;
  'max-depth'?: number;
  'time-limit'?: number;
  'memory-limit'?: number;
  engine: 'compiled' | 'reference';
  progress?: boolean;
  format: 'text' | 'json';
  'trace-format'?: 'itf';
  'trace-out'?: string;
  /** `--coverage`: each label's steps taken and new states after the report. */
  coverage?: boolean;
  fingerprint?: boolean;
  'lock-order'?: boolean;
  workers?: number;
  continue?: boolean;
  /** Write the report as one self-contained HTML page to this file. */
  html?: string;
  /** Write the explored state graph in TLC's dot format to this file. */
  'dump-graph'?: string;
}


function printDiagnostics(io: Io, diagnostics: Diagnostic[], sources: SourceMap): void {
  io.err(diagnostics.map((d) => formatDiagnostic(d, sources)).join('\n\n'));
}

/** `--const NAME=EXPR` items, or a usage diagnostic. */
function parseConsts(items: string[] | undefined): [Diagnostic[], [string, string][]] {
  const out: [string, string][] = [];
  const errs: Diagnostic[] = [];
  for (const item of items ?? []) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/s.exec(item);
    if (!m || !m[2].trim()) errs.push(diag('BadConstOption', null, item));
    else out.push([m[1], m[2]]);
  }
  return [errs, out];
}

/**
 * The exit code of a command's outcomes: a wrong spec or command first, then a search the user
 * interrupted (Ctrl-C), then a finding, then a search a limit stopped.
 */
function exitCode(outcomes: CheckOutcome[]): number {
  if (outcomes.some((o) => o.verdict === 'error')) return EXIT.error;
  if (outcomes.some((o) => o.limit === 'interrupted')) return EXIT.incomplete;
  if (outcomes.some((o) => o.verdict === 'violation' || o.verdict === 'deadlock')) return EXIT.violation;
  if (outcomes.some((o) => o.verdict === 'incomplete')) return EXIT.incomplete;
  return EXIT.ok;
}

/**
 * A number yargs parsed, shown in a diagnostic: NaN when the text was no number (null once the
 * arguments have passed to the worker thread as JSON).
 */
const shownNumber = (n: number | null): string => (n === null || Number.isNaN(n) ? 'a value that is not a number' : String(n));

/** Whether a parsed option holds a number, or a text that was none. */
const givenNumber = (n: unknown): n is number | null => n === null || typeof n === 'number';

/**
 * The usage diagnostics of the numeric options given: counts must be positive integers, amounts
 * (seconds, MiB) positive numbers, a seed a 31-bit integer. yargs takes any text for a number.
 */
function numberErrors(args: Record<string, unknown>, counts: string[], amounts: string[] = []): Diagnostic[] {
  const errs: Diagnostic[] = [];
  for (const name of counts) {
    const n = args[name];
    if (givenNumber(n) && !(Number.isInteger(n) && n! > 0)) errs.push(diag('PositiveInteger', null, `--${name}`, shownNumber(n)));
  }
  for (const name of amounts) {
    const n = args[name];
    if (givenNumber(n) && !(Number.isFinite(n) && n! > 0)) errs.push(diag('PositiveNumber', null, `--${name}`, shownNumber(n)));
  }
  const seed = args.seed;
  if (givenNumber(seed) && !(Number.isInteger(seed) && seed! >= 0 && seed! < 2 ** 31)) errs.push(diag('SeedRange', null, shownNumber(seed)));
  return errs;
}

/** The files of one command, read through `io`, parsed once, kept in io's parse cache; `config`: a .tla spec's TLC config. */
function modelFiles(io: Io, config?: string): ModelFiles {
  return new ModelFiles(io.readFile, config ?? null, io.parseCacheDir === null ? null : new ParseCache(io.parseCacheDir));
}

/** The names of an `A,B` option. */
const nameList = (arg: string): string[] => arg.split(',').map((s) => s.trim()).filter(Boolean);

/** `design` names the design being checked, for the progress lines. */
function checkOptions(args: Omit<CheckArgs, 'file' | 'format'>, io: Io, interrupted: () => boolean, consts: [string, string][], design: () => string | null): FileCheckOptions {
  const showProgress = args.progress ?? io.isTTY;
  return {
    design: args.design ?? null,
    files: modelFiles(io, args.config),
    consts,
    symmetry: args.symmetry ? nameList(args.symmetry) : undefined,
    invariants: args.invariant !== undefined ? nameList(args.invariant) : undefined,
    properties: args.property !== undefined ? nameList(args.property) : undefined,
    engine: args.engine,
    deadlock: args.deadlock,
    maxStates: args['max-states'],
    maxDepth: args['max-depth'],
    timeLimitMs: args['time-limit'] !== undefined ? args['time-limit'] * 1000 : undefined,
    maxMemoryBytes: args['memory-limit'] !== undefined ? args['memory-limit'] * 2 ** 20 : undefined,
    interrupted,
    fingerprint: args.fingerprint,
    lockOrder: args['lock-order'],
    workers: args.workers,
    continue: args.continue,
    // The dump needs the whole graph; the page draws small ones only.
    keepGraph: args['dump-graph'] ? { maxStates: Infinity } : args.html ? { maxStates: GRAPH_VIEW_MAX_STATES } : undefined,
    progress: showProgress
      ? (p) => io.err(`Progress${design() === null ? '' : ` (design ${design()})`}: depth ${p.depth}, ${formatNumber(p.distinct)} distinct, ${formatNumber(p.generated)} generated (${formatNumber((p.distinct * 1000) / Math.max(1, p.elapsedMs))} s/s), queue ${formatNumber(p.queue)}`)
      : undefined,
  };
}

/** `--config` for a file that is not a .tla spec: a usage error (a .lspec holds its own constants and checks). */
function configMisused(file: string | undefined, config: string | undefined): Diagnostic[] {
  return config !== undefined && !file?.endsWith('.tla') ? [diag('ConfigWithoutTla', null)] : [];
}

/** `--fingerprint` with the reference engine: a usage error (only the compiled engine has the mode). */
function fingerprintMisused(args: { fingerprint?: boolean; engine: string }): Diagnostic[] {
  return args.fingerprint && args.engine !== 'compiled' ? [diag('FingerprintEngine', null)] : [];
}

/** The JSON report, with fingerprint mode's collision estimate when it was on. */
function outcomeJson(o: CheckOutcome): Record<string, unknown> {
  const json = checkToJson(o);
  return { ...json, ...(o.fingerprint ? { fingerprint: o.fingerprint } : {}), ...(o.workers ? { workers: o.workers } : {}) };
}

/** Fingerprint mode's line in the text report: the collision estimate as TLC states it. */
function fingerprintLine(o: CheckOutcome): string {
  if (!o.fingerprint) return '';
  const p = o.fingerprint.collisionProbability.toExponential(1).toUpperCase();
  const locks = o.program?.locks.length ? ' Lock statistics need the exact store and were not computed.' : '';
  return `\nFingerprints only: the probability of a fingerprint collision, calculated (optimistic): P = ${p} (n^2 / 2^65 for n distinct states); frontier peak ${(o.fingerprint.frontierPeakBytes / 2 ** 20).toFixed(1)} MiB.${locks}`;
}

/** With more than one worker asked for: how many ran, why fewer if so, and how many took part before the search ended. */
function workersLine(o: CheckOutcome): string {
  if (!o.workers || o.workers.requested <= 1) return '';
  const { used, joined, fallbackReason } = o.workers;
  const late = joined < used ? `; ${joined} expanded states, the others were still loading the model when the search ended` : '';
  return `\nWorkers: ${used}${fallbackReason ? ` (${fallbackReason})` : ''}${late}.`;
}

export function runParse(files: string[], io: Io): number {
  let code: number = EXIT.ok;
  const read = modelFiles(io);
  for (const file of files) {
    const parsed = parseModel(file, read);
    if (parsed.diagnostics.length > 0 || !parsed.root) {
      printDiagnostics(io, parsed.diagnostics, parsed.sources);
      code = EXIT.error;
      continue;
    }
    if (parsed.root.kind === 'module') {
      // A module's macros resolve their names where they are expanded: it is checked by the
      // algorithms that import it.
      const count = (kind: string): number => parsed.base.filter((d) => d.kind === kind).length;
      const definitions = parsed.base.flatMap((d) => (d.kind === 'define' ? d.defs : [])).length;
      io.out(`${displayPath(file)}: ok: module ${parsed.root.name.name}: ${count('macro')} macros, ${count('procedure')} procedures, ${definitions} definitions`);
      continue;
    }
    const designs = designsOf(parsed);
    const summaries: string[] = [];
    for (const design of designs) {
      const lowered = lowerDesign(parsed, design, {});
      if (!lowered.program) {
        printDiagnostics(io, lowered.diagnostics, parsed.sources);
        code = EXIT.error;
        break;
      }
      const p = lowered.program;
      summaries.push(
        `${design ? `design ${design}: ` : ''}${p.processes.length} process${p.processes.length === 1 ? '' : 'es'} (${p.instances.length} instance${p.instances.length === 1 ? '' : 's'}), ${p.labels.length} labels, ${p.globals.filter((g) => !g.hidden).length} variables, ${p.invariants.length + p.finals.length} properties`,
      );
    }
    if (summaries.length === designs.length) io.out(`${displayPath(file)}: ok: ${summaries.join('; ')}`);
  }
  return code;
}

/** The check options of a search command, or the usage diagnostics that stop it. */
function searchOptions(args: Omit<CheckArgs, 'file' | 'format'> & { file?: string; path?: string }, io: Io, interrupted: () => boolean, design: () => string | null = () => null): [Diagnostic[], FileCheckOptions] {
  const [errs, consts] = parseConsts(args.const);
  errs.push(...numberErrors(args as Record<string, unknown>, ['max-states', 'max-depth', 'workers'], ['time-limit', 'memory-limit']));
  errs.push(...fingerprintMisused(args), ...configMisused(args.path ?? args.file, args.config));
  if (args.continue && (args.workers ?? 1) > 1) errs.push(diag('ContinueWorkers', null));
  if (args['trace-format'] && !args['trace-out']) errs.push(diag('TraceOutMissing', null, args['trace-format']));
  return [errs, checkOptions(args, io, interrupted, consts, design)];
}

/** The outcome of a command that cannot run on `path`: a spec or usage error, reported like any other outcome. */
function failedOutcome(path: string, engine: CheckArgs['engine'], diagnostics: Diagnostic[], sources: SourceMap = new Map()): CheckOutcome {
  return loadFailure({ spec: displayPath(path), sources }, null, engine, diagnostics);
}

/**
 * Checks a file's designs (the one asked for, else every design it means), parsing it once, and
 * gives each outcome as soon as it is known; `starting` hears which design is checked next. A
 * file that does not parse gives one `error` outcome. From a folder listing (`fromFolder`), a
 * module is no model of its own: it gives no outcome.
 */
function* checkDesigns(file: string, opts: FileCheckOptions, engine: CheckArgs['engine'], fromFolder = false, starting?: (design: string | null) => void): Generator<CheckOutcome> {
  const parsed = parseModel(file, opts.files);
  if (parsed.diagnostics.length > 0 || !parsed.root) {
    yield failedOutcome(file, engine, parsed.diagnostics, parsed.sources);
    return;
  }
  if (fromFolder && parsed.root.kind === 'module') return;
  for (const design of designsToCheck(parsed, opts.design)) {
    starting?.(design);
    yield checkDesign(parsed, file, design, opts);
  }
}

/** `--dump-graph` misused: with fingerprint mode (no edges), or for a file of several designs without `--design`. */
function dumpGraphMisused(args: CheckArgs, files: ModelFiles): Diagnostic[] {
  if (!args['dump-graph']) return [];
  if (args.fingerprint) return [diag('DumpGraphFingerprint', null)];
  if (args.design !== undefined) return [];
  const parsed = parseModel(args.file, files);
  const designs = parsed.root ? designsOf(parsed) : [];
  return designs.length > 1 ? [diag('DumpGraphDesigns', null, designs.join(', '))] : [];
}

/** `--html FILE`: the outcomes' report as one page. */
function writeHtml(io: Io, file: string | undefined, command: 'check' | 'compare', spec: string, outcomes: CheckOutcome[]): void {
  if (file) io.writeFile(file, reportHtml(reportView(command, displayPath(spec), outcomes)));
}

export function runCheck(args: CheckArgs, io: Io, interrupted: () => boolean): number {
  let design: string | null = null;
  const [usage, searched] = searchOptions(args, io, interrupted, () => design);
  // The text report shows no lock statistics (JSON and the page do): not computed for it.
  const opts = { ...searched, lockStatistics: args.format === 'json' || args.html !== undefined };
  usage.push(...dumpGraphMisused(args, opts.files ?? modelFiles(io)));
  const checked = usage.length ? [failedOutcome(args.file, args.engine, usage)] : checkDesigns(args.file, opts, args.engine, false, (d) => (design = d));
  const outcomes: CheckOutcome[] = [];
  // The text report of each design is printed as soon as it is known, not after the last design.
  for (const o of checked) {
    if (args.format !== 'json') (o.verdict === 'error' ? io.err : io.out)((outcomes.length > 0 ? '\n' : '') + formatCheck(o, 'check', io.width) + fingerprintLine(o) + workersLine(o) + (args.coverage && o.program ? `\n\n${formatCoverage(o)}` : ''));
    outcomes.push(o);
  }
  if (args.format === 'json') {
    const objs = outcomes.map(outcomeJson);
    io.out(JSON.stringify(objs.length === 1 ? objs[0] : objs, null, 2));
    for (const o of outcomes) if (o.verdict === 'error') printDiagnostics(io, o.diagnostics, o.sources);
  }
  const dot = outcomes.map(outcomeGraphDot).find((d) => d !== null);
  if (args['dump-graph'] && dot) io.writeFile(args['dump-graph'], dot);
  writeHtml(io, args.html, 'check', args.file, outcomes);
  if (args['trace-out']) writeTraces(outcomes, args['trace-out'], io);
  return exitCode(outcomes);
}

/**
 * One file per design: FILE with the design's name before the extension (`t.itf.json` ->
 * `t.later.itf.json`, `base` for the base model); `only` is whether this is the one file, then FILE itself.
 */
function perDesignPath(out: string, name: string, only: boolean): string {
  if (only) return out;
  const slash = out.lastIndexOf('/') + 1;
  const dot = out.indexOf('.', slash + 1);
  const [stem, ext] = dot < 0 ? [out, ''] : [out.slice(0, dot), out.slice(dot)];
  return `${stem}.${name}${ext}`;
}

/**
 * `--trace-out FILE` (ITF, the one trace format): the trace of the one failing design in FILE;
 * with several failing designs, one file each (perDesignPath). Each file written is named on stderr.
 */
function writeTraces(outcomes: CheckOutcome[], out: string, io: Io): void {
  const failing = outcomes.filter((o) => o.trace && o.program);
  if (failing.length === 0) {
    io.err('lockspec: no trace to write: every property holds');
    return;
  }
  for (const o of failing) {
    const path = perDesignPath(out, o.design ?? 'base', failing.length === 1);
    io.writeFile(path, JSON.stringify(traceToItf(o), null, 2));
    io.err(`lockspec: wrote the trace of ${o.design ? `design ${o.design}` : 'the model'} to ${path}`);
  }
}

/**
 * `compare --dump-graph FILE`: each design's graph in a file of its own named as --trace-out names
 * them (perDesignPath); a design name that two files of a folder share is preceded by its file's
 * name (`out.bh_migration.racy_norefs.dot`). Each file written is named on stderr.
 */
function writeGraphs(outcomes: CheckOutcome[], out: string, io: Io): void {
  const graphed = outcomes.flatMap((o) => {
    const dot = outcomeGraphDot(o);
    return dot === null ? [] : [{ o, dot, name: o.design ?? 'base' }];
  });
  const shared = new Set(graphed.filter((g, i) => graphed.findIndex((h) => h.name === g.name) !== i).map((g) => g.name));
  for (const { o, dot, name } of graphed) {
    const path = perDesignPath(out, shared.has(name) ? `${basename(o.spec, '.lspec')}.${name}` : name, graphed.length === 1);
    io.writeFile(path, dot);
    io.err(`lockspec: wrote the state graph of ${o.design ? `design ${o.design}` : 'the model'} of ${o.spec} to ${path}`);
  }
}

/** The .lspec files of a folder, or null when the path is not a folder. */
function folderFiles(path: string): string[] | null {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    return null;
  }
  if (!isDir) return null;
  return readdirSync(path)
    .filter((f) => f.endsWith('.lspec'))
    .sort()
    .map((f) => join(path, f));
}

export function runCompare(args: Omit<CheckArgs, 'format' | 'file'> & { path: string; format: 'text' | 'json' | 'markdown' }, io: Io, interrupted: () => boolean): number {
  // Every design's lock statistics, failing or not: compare continues past violations by default.
  const [usage, opts] = searchOptions({ ...args, continue: args.continue ?? (args.workers ?? 1) <= 1 }, io, interrupted);
  if (args['dump-graph'] && args.fingerprint) usage.push(diag('DumpGraphFingerprint', null));
  const listed = usage.length ? null : folderFiles(args.path);
  const outcomes = usage.length
    ? [failedOutcome(args.path, args.engine, usage)]
    : (listed ?? [args.path]).flatMap((file) => [...checkDesigns(file, opts, args.engine, listed !== null)]);
  for (const o of outcomes) if (o.diagnostics.length > 0) printDiagnostics(io, o.diagnostics, o.sources);
  if (args.format === 'json') io.out(JSON.stringify(outcomes.map(outcomeJson), null, 2));
  else if (outcomes.some((o) => o.verdict !== 'error')) io.out(formatCompare(outcomes, args.format));
  writeHtml(io, args.html, 'compare', args.path, outcomes);
  if (args['dump-graph']) writeGraphs(outcomes, args['dump-graph'], io);
  // The table is the result: a design that fails is a finding, not a failed command. Exit 2 or
  // 3 still say that some design could not be checked, or not to the end.
  const code = exitCode(outcomes);
  return code === EXIT.violation ? EXIT.ok : code;
}

export interface SimulateArgs {
  file: string;
  design?: string;
  config?: string;
  const?: string[];
  deadlock: boolean;
  engine: 'compiled' | 'reference';
  runs: number;
  depth: number;
  seed?: number;
  format: 'text' | 'json';
}

export function runSimulate(args: SimulateArgs, io: Io, interrupted: () => boolean): number {
  const [errs, consts] = parseConsts(args.const);
  errs.push(...configMisused(args.file, args.config));
  errs.push(...numberErrors(args as unknown as Record<string, unknown>, ['runs', 'depth']));
  const seed = args.seed ?? Date.now() % 2 ** 31;
  const outcome = errs.length ? failedOutcome(args.file, args.engine, errs) : simulateModel(args.file, { design: args.design ?? null, consts, deadlock: args.deadlock, engine: args.engine, runs: args.runs, depth: args.depth, seed, interrupted, files: modelFiles(io, args.config) });
  if (args.format === 'json') io.out(JSON.stringify({ seed, ...checkToJson(outcome) }, null, 2));
  else if (outcome.verdict === 'error' && !outcome.failure) io.err(formatCheck(outcome));
  else (outcome.verdict === 'error' ? io.err : io.out)(`Seed ${seed}, ${args.runs} runs of at most ${args.depth} steps.\n` + formatCheck(outcome, 'simulate', io.width));
  return exitCode([outcome]);
}

export interface ExportTlaArgs {
  file: string;
  design?: string;
  config?: string;
  const?: string[];
  deadlock: boolean;
  symmetry?: string;
  /** `--invariant A,B`, `--property A,B`: only these are exported (as check checks only them). */
  invariant?: string;
  property?: string;
  'cfg-out'?: string;
}

/** One design's program (or the base model's) for a command that checks nothing; null after printing why not. */
export function loadProgram(args: Pick<ExportTlaArgs, 'file' | 'design' | 'const' | 'symmetry' | 'config' | 'invariant' | 'property'>, io: Io): Program | null {
  const [errs, consts] = parseConsts(args.const);
  errs.push(...configMisused(args.file, args.config));
  if (errs.length) {
    printDiagnostics(io, errs, new Map());
    return null;
  }
  const symmetry = args.symmetry ? nameList(args.symmetry) : undefined;
  const loaded = loadModel(args.file, {
    design: args.design ?? null,
    consts,
    symmetry,
    invariants: args.invariant !== undefined ? nameList(args.invariant) : undefined,
    properties: args.property !== undefined ? nameList(args.property) : undefined,
    files: modelFiles(io, args.config),
  });
  if (!loaded.program) printDiagnostics(io, loaded.diagnostics, loaded.sources);
  return loaded.program;
}

/** Prints the model (one design, or the base model) as a TLA+ module; --cfg-out writes TLC's config. */
export function runExportTla(args: ExportTlaArgs, io: Io): number {
  const program = loadProgram(args, io);
  if (!program) return EXIT.error;
  const tla = exportTla(program, { deadlock: args.deadlock, source: displayPath(args.file) });
  io.out(tla.module);
  if (args['cfg-out']) io.writeFile(args['cfg-out'], tla.cfg);
  return EXIT.ok;
}
