// The benchmark (`npm run bench`): explores scaled models, each row in a fresh child process so
// that time and peak memory belong to that row alone, and prints distinct states per second,
// bytes per stored state (everything that grows with the state count), the fingerprint mode's
// frontier peak, and peak RSS, with the machine and its load average (shared machines vary); rows
// with workers also the speedup of their search over the same row on one thread. A row whose state
// count differs from the known figure (TLC's, where known) fails the run. Each row's time is split
// into parsing (with imports), lowering (designs, kernel pass, types) and checking (compiling the
// steps, the search, lock statistics), with the child's CPU time (user+sys) beside its wall time.
// When TLC's jar is found (bench/tlc.ts), each one-thread exact row is also exported with
// `export-tla` and checked by TLC: its distinct count must equal lockspec's, and the ratio of the
// whole runs' wall times (each a fresh process) is printed, and of their CPU times (TLC's all threads).
// A .tla row (a published spec and its TLC config) prints beside its states/s those of its .lspec
// twin when both ran. Each row runs twice, with a parse cache of its own (src/pipeline/parse-cache.ts):
// first empty (the file parsed, as after an edit), then again reading the trees back (as every
// later run on the same file); the figures are the second run's, with the first's whole time and
// parse beside them, and TLC's ratio to both. A row TLC checks is also checked by `lockspec check`
// itself, as a user runs it (the command line and its worker thread, the parse cache read back, the
// worker's code cache kept by a first run of the command and read by the one timed):
// "check s" and TLC's ratio to it.
// `--json` prints the rows for machines; `--rows a,b` picks; `--no-tlc` skips TLC.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkProgram } from '../src/checker/check.js';
import type { FileCheckOptions as CheckOptions } from '../src/pipeline/check-file.js';
import { displayPath, lowerDesign, ModelFiles, parseModel } from '../src/pipeline/load-model.js';
import { ParseCache } from '../src/pipeline/parse-cache.js';
import { runTlc, tlcJar, type TlcResult } from './tlc.js';

interface Row {
  name: string;
  file: string;
  /** The TLC config of a .tla spec (the .cfg beside it when absent). */
  config?: string;
  opts: CheckOptions;
  /** Known distinct and generated counts (TLC's where it has them). */
  distinct?: number;
  generated?: number;
  /** A row with workers: the one-thread row its speedup is measured against. */
  baseline?: string;
  /** Why TLC cannot check this row (it is then not run), where lockspec can. */
  beyondTlc?: string;
  /** The row checking the same model in the other form (.lspec for a .tla spec): its states/s printed beside this row's. */
  twin?: string;
}

const ROWS: Row[] = [
  { name: 'lockinc-n4-m3', file: 'examples/lockinc.lspec', opts: { consts: [['N', '4'], ['M', '3']] }, distinct: 1_752_112, generated: 4_716_249 },
  // The same model as TLC reads it: the published PlusCal spec and its config, checked unchanged
  // (docs/tla-input.md); TLC's counts (test/tla/reference/README.md). TLC runs it in the row above.
  {
    name: 'lockinc-n4-m3-tla',
    file: 'test/tla/reference/LockInc.tla',
    config: 'test/tla/reference/LockInc_N4_M3.cfg',
    opts: {},
    distinct: 1_752_112,
    generated: 4_716_249,
    twin: 'lockinc-n4-m3',
  },
  {
    name: 'lockinc-n4-m3-fingerprint',
    file: 'examples/lockinc.lspec',
    opts: { consts: [['N', '4'], ['M', '3']], fingerprint: true },
    distinct: 1_752_112,
    generated: 4_716_249,
  },
  {
    name: 'lockinc-n4-m3-workers2',
    file: 'examples/lockinc.lspec',
    opts: { consts: [['N', '4'], ['M', '3']], workers: 2 },
    distinct: 1_752_112,
    generated: 4_716_249,
    baseline: 'lockinc-n4-m3',
  },
  { name: 'lockinc-n3-m8', file: 'examples/lockinc.lspec', opts: { consts: [['N', '3'], ['M', '8']] }, distinct: 2_474_696, generated: 5_500_309 },
  { name: 'lockinc-n5-m2', file: 'examples/lockinc.lspec', opts: { consts: [['N', '5'], ['M', '2']] }, distinct: 5_612_352, generated: 17_692_001 },
  { name: 'refpool-4users', file: 'examples/refpool.lspec', opts: { consts: [['USERS', '{u1, u2, u3, u4}']] }, distinct: 9_604, generated: 32_436 },
  {
    name: 'refpool-4users-symmetry',
    file: 'examples/refpool.lspec',
    opts: { consts: [['USERS', '{u1, u2, u3, u4}']], symmetry: ['USERS', 'OBJS'] },
    distinct: 435,
    generated: 1_486,
  },
  // Progress: each with a safety-only row (`properties: []`) to measure what the temporal check adds.
  ...progressRows('ticket-trylock-p4', { TRYLOCK: 'TRUE', PROCS: '{1, 2, 3, 4}', MAXVAL: '3' }, 'LockAny', 551_360),
  ...progressRows('ticket-p5', { PROCS: '{1, 2, 3, 4, 5}', MAXVAL: '4' }, 'LockAll', 40_515),
  // A transitive closure in two invariants (issue 15); TLC 2.20 took 54 s here (load average ~4).
  { name: 'echo-tc-n4', file: 'examples/echo.lspec', opts: {}, distinct: 1_074, generated: 3_342 },
  // Evaluation that must not build what it tests or counts (issue 15), each against TLC.
  {
    name: 'membership-lazy',
    file: 'bench/models/membership.lspec',
    opts: {},
    distinct: 91_204,
    generated: 181_806,
    beyondTlc: 'TLC 2.20 builds one of these sets in the initial state: "Attempted to construct a set with too many elements (>1000000)"',
  },
  { name: 'function-set-cardinality', file: 'bench/models/function_set_cardinality.lspec', opts: {}, distinct: 5, generated: 6 },
  { name: 'pc-type-invariant', file: 'bench/models/pc_type.lspec', opts: {}, distinct: 456_976, generated: 1_757_602 },
  // TLC: 76,710 distinct, 218,611 generated with SYMMETRY (the sorted canonical form, compiled/canonical.ts).
  {
    name: 'mcslock-4cpus-symmetry',
    file: 'examples/mcslock.lspec',
    opts: { consts: [['CPUS', '{c1, c2, c3, c4}'], ['ROUNDS', '2']], symmetry: ['CPUS'] },
    distinct: 76_710,
    generated: 218_611,
  },
  { name: 'kernel-hold-private-lock', file: 'spec/bh-migration/bh_migration.lspec', opts: { design: 'hold_private_lock' } },
  // The largest NCPU that finishes in about a minute here (NCPU=5 passes 7 million states in 70 s).
  { name: 'kernel-hold-private-lock-ncpu4', file: 'spec/bh-migration/bh_migration.lspec', opts: { design: 'hold_private_lock', consts: [['NCPU', '4']] } },
  {
    name: 'kernel-hold-private-lock-ncpu4-workers2',
    file: 'spec/bh-migration/bh_migration.lspec',
    opts: { design: 'hold_private_lock', consts: [['NCPU', '4']], workers: 2 },
    baseline: 'kernel-hold-private-lock-ncpu4',
  },
  // The size of the buffer-head race the issue measured (two lookup CPUs, two buffers).
  {
    name: 'kernel-hold-private-lock-nbuf2-nlookup2',
    file: 'spec/bh-migration/bh_migration.lspec',
    opts: { design: 'hold_private_lock', consts: [['NCPU', '2'], ['NBUF', '2'], ['NLOOKUP', '2']] },
    distinct: 236_009,
  },
  // Every design of bh-migration at NCPU=3. NBUF=2 NLOOKUP=2 passes 3 million states per design and
  // does not finish in a minute; NLOOKUP=2 with NBUF=1 passes 1.9 and 3.7 million for D and A (and
  // A's violation is found first); so NBUF=1 with NLOOKUP=2 for B and C, NLOOKUP=1 for A and D.
  ...(
    [
      ['racy_norefs', 1, undefined, undefined],
      ['hold_private_lock', 2, 516_105, 1_854_144],
      ['evict_buffers', 2, 241_587, undefined],
      ['page_lock_lookup', 1, 149_969, undefined],
    ] as const
  ).map(([design, lookups, distinct, generated]) => ({
    distinct,
    generated,
    name: `kernel-${design.replace(/_/g, '-')}-ncpu3-nlookup${lookups}`,
    file: 'spec/bh-migration/bh_migration.lspec',
    opts: { design, consts: [['NCPU', '3'], ['NBUF', '1'], ['NLOOKUP', String(lookups)]] as [string, string][] },
  })),
  // Under symmetry without the lock-order check, which needs each process as it is (LS5030).
  ...[false, true].map((symmetric) => ({
    name: `context-switch-cpus3${symmetric ? '-symmetry' : ''}`,
    distinct: symmetric ? 45_315 : 511_246,
    generated: symmetric ? 134_354 : 1_502_959,
    file: 'bench/models/context_switch.lspec',
    opts: { consts: [['CPUS', '{c1, c2, c3}'], ['MMS', '{m1, m2}'], ['NSWITCH', '2']] as [string, string][], ...(symmetric ? { symmetry: ['CPUS', 'MMS', 'KTHREADS'], lockOrder: false } : {}) },
  })),
  // TLC 2.20 on the export: 2,570,973 distinct (53,793 with SYMMETRY).
  ...[false, true].map((symmetric) => ({
    name: `asid-allocator-mms4${symmetric ? '-symmetry' : ''}`,
    distinct: symmetric ? 53_793 : 2_570_973,
    file: 'bench/models/asid_allocator.lspec',
    opts: { consts: [['CPUS', '{c1, c2}'], ['MMS', '{m1, m2, m3, m4}'], ['NASID', '3'], ['NSWITCH', '4']] as [string, string][], ...(symmetric ? { symmetry: ['CPUS', 'MMS'], lockOrder: false } : {}) },
  })),
  // Slots that keep growing until late in the search: the shared store's repacks (packing.ts, LATE_REPACK).
  {
    name: 'asid-allocator-mms4-workers2',
    distinct: 2_570_973,
    file: 'bench/models/asid_allocator.lspec',
    opts: { consts: [['CPUS', '{c1, c2}'], ['MMS', '{m1, m2, m3, m4}'], ['NASID', '3'], ['NSWITCH', '4']], workers: 2 },
    baseline: 'asid-allocator-mms4',
  },
];

/** A row of examples/ticketlock-progress.lspec checking one property, and the same row checking none. */
function progressRows(name: string, consts: Record<string, string>, property: string, distinct: number): Row[] {
  const base = { file: 'examples/ticketlock-progress.lspec', distinct };
  return [
    { ...base, name: `${name}-safety`, opts: { consts: Object.entries(consts), properties: [] } },
    { ...base, name: `${name}-${property}`, opts: { consts: Object.entries(consts), properties: [property] } },
  ];
}

interface Measured {
  name: string;
  verdict: string;
  distinct: number;
  generated: number;
  expected: string;
  seconds: number;
  statesPerSecond: number;
  bytesPerState: number;
  /** Fingerprint mode: the most the frontier's rows held at once. */
  frontierPeakMiB: number | null;
  peakRssMiB: number;
  /** The twin row's states/s (the same model in the other form), when it ran first. */
  twinStatesPerSecond?: number;
  /** The search alone (model loading and lock statistics excluded), for speedups. */
  searchSeconds: number;
  /** With workers: the baseline row's search time over this row's. */
  speedup?: number;
  /** Parsing the file and its imports; lowering the design (kernel pass and types included). */
  parseSeconds: number;
  lowerSeconds: number;
  /** The child's CPU time, user and system, start-up included. */
  cpuSeconds: number;
  /** The child's whole run, node start-up included, as the parent saw it (the parse cache read back). */
  wholeSeconds?: number;
  /** The same with the parse cache empty: the first run on the file. */
  coldWholeSeconds?: number;
  coldParseSeconds?: number;
  /** TLC on the exported model, where its jar is found and the row is exact and one-threaded. */
  tlc?: TlcResult;
  /** `lockspec check` on the same model as a user runs it (the parse cache and the code cache read back): the wall time of the process. */
  cliSeconds?: number;
  /** TLC's whole run over that of `lockspec check`. */
  tlcCliRatio?: number;
  /** TLC's whole run over lockspec's first (parse cache empty). */
  tlcRatio?: number;
  /** TLC's whole run over lockspec's later ones (parse cache read back). */
  tlcCachedRatio?: number;
  /** TLC's CPU time over lockspec's (both whole runs). */
  tlcCpuRatio?: number;
}

/** Runs one row in this process and prints its figures as JSON. */
function measure(row: Row): Measured {
  const started = performance.now();
  // The parent names each row's parse cache; a row run by hand without one parses.
  const cacheDir = process.env.LOCKSPEC_PARSE_CACHE;
  const parsed = parseModel(row.file, new ModelFiles(undefined, row.config ?? null, cacheDir && cacheDir !== 'off' ? new ParseCache(cacheDir) : null));
  const parsedAt = performance.now();
  const lowered = lowerDesign(parsed, row.opts.design ?? null, row.opts);
  const loweredAt = performance.now();
  if (!lowered.program) throw new Error(`${row.name}: ${lowered.diagnostics.map((d) => d.message).join('; ')}`);
  const about = { spec: displayPath(row.file), sources: parsed.sources, design: row.opts.design ?? null, warnings: lowered.diagnostics };
  // As `lockspec check` with its text report, which shows no lock statistics.
  const o = checkProgram(lowered.program, about, { lockStatistics: false, ...row.opts });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage();
  const ok = (row.distinct === undefined || o.distinct === row.distinct) && (row.generated === undefined || o.generated === row.generated);
  return {
    name: row.name,
    verdict: o.verdict,
    distinct: o.distinct,
    generated: o.generated,
    expected: row.distinct === undefined ? 'n/a' : ok ? 'match' : `MISMATCH (want ${row.distinct}/${row.generated})`,
    seconds,
    statesPerSecond: Math.round(o.distinct / seconds),
    bytesPerState: o.distinct ? Math.round((o.storeBytes / o.distinct) * 10) / 10 : 0,
    frontierPeakMiB: o.fingerprint ? Math.round((o.fingerprint.frontierPeakBytes / 2 ** 20) * 10) / 10 : null,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    searchSeconds: o.elapsedMs / 1000,
    parseSeconds: (parsedAt - started) / 1000,
    lowerSeconds: (loweredAt - parsedAt) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

/**
 * Whether TLC runs a row: one thread, exact storage (other rows explore the same states as their
 * baseline), a model TLC can check, and not the twin of a row it runs.
 */
const tlcRuns = (row: Row): boolean => !row.opts.workers && !row.opts.fingerprint && !row.beyondTlc && !row.twin;

/** The options a row may have that `cliArguments` passes on; any other stops the bench. */
const CLI_OPTIONS = ['design', 'consts', 'symmetry', 'lockOrder', 'properties'];

/** The arguments of `lockspec check` on a row's model with the row's options. */
function cliArguments(row: Row): string[] {
  const o = row.opts;
  const other = Object.keys(o).filter((k) => !CLI_OPTIONS.includes(k));
  if (other.length > 0) throw new Error(`${row.name}: no check argument for ${other.join(', ')}`);
  return [
    'check',
    row.file,
    ...(row.config ? ['--config', row.config] : []),
    ...(o.design ? ['--design', o.design] : []),
    ...(o.consts ?? []).flatMap(([name, value]) => ['--const', `${name}=${value}`]),
    ...(o.symmetry ? ['--symmetry', o.symmetry.join(',')] : []),
    ...(o.lockOrder === false ? ['--no-lock-order'] : []),
    ...(o.properties ? ['--property', o.properties.join(',')] : []),
  ];
}

/**
 * `lockspec check` on a row's model, run as a user runs it (dist/src/cli/main.js, parse cache
 * `parseCache`, code cache `codeCache`): the wall time of the process, once its distinct count is
 * found equal to the row's.
 */
function runCli(row: Row, root: string, parseCache: string, codeCache: string, distinct: number): number {
  const started = performance.now();
  const cli = spawnSync(process.execPath, [join(root, 'dist/src/cli/main.js'), ...cliArguments(row)], {
    encoding: 'utf8',
    env: { ...process.env, LOCKSPEC_PARSE_CACHE: parseCache, LOCKSPEC_CODE_CACHE: codeCache },
    maxBuffer: 1 << 28,
  });
  const seconds = (performance.now() - started) / 1000;
  // The text report, as the row's own run measures it (the JSON report adds lock statistics).
  const counted = cli.status === 0 || cli.status === 1 ? /([\d,]+) distinct states/.exec(cli.stdout) : null;
  const found = counted ? Number(counted[1].replaceAll(',', '')) : null;
  if (found !== distinct) throw new Error(`${row.name}: lockspec check exited ${cli.status} with ${found} distinct states, not ${distinct}\n${cli.stderr}`);
  return seconds;
}

/** TLC on a row's model (same design, constants and symmetry); its distinct count must equal lockspec's. */
function withTlc(row: Row, measured: Measured, jar: string): Measured {
  const consts = (row.opts.consts ?? []).map(([name, value]) => `${name}=${value}`);
  const tlc = runTlc(jar, { file: row.file, consts, symmetry: row.opts.symmetry?.join(','), properties: row.opts.properties }, row.opts.design ?? null);
  const expected = tlc.distinct === measured.distinct ? measured.expected : `MISMATCH (TLC ${tlc.verdict}, ${tlc.distinct} distinct)`;
  const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100;
  return {
    ...measured,
    tlc,
    expected,
    tlcRatio: ratio(tlc.seconds, measured.coldWholeSeconds!),
    tlcCachedRatio: ratio(tlc.seconds, measured.wholeSeconds!),
    tlcCliRatio: ratio(tlc.seconds, measured.cliSeconds!),
    ...(tlc.cpuSeconds === null ? {} : { tlcCpuRatio: ratio(tlc.cpuSeconds, measured.cpuSeconds) }),
  };
}

function main(): number {
  const args = process.argv.slice(2);
  const rowArg = args.indexOf('--row');
  if (rowArg >= 0) {
    const row = ROWS.find((r) => r.name === args[rowArg + 1])!;
    process.stdout.write(JSON.stringify(measure(row)) + '\n');
    return 0;
  }
  const pick = args.indexOf('--rows') >= 0 ? args[args.indexOf('--rows') + 1].split(',') : null;
  const rows = ROWS.filter((r) => !pick || pick.includes(r.name));
  const self = fileURLToPath(import.meta.url);
  const root = join(dirname(self), '../..');
  const jar = args.includes('--no-tlc') ? null : tlcJar(root);
  const results: Measured[] = [];
  for (const row of rows) {
    const parseCache = mkdtempSync(join(tmpdir(), 'lockspec-bench-parse-cache-'));
    const runRow = (): { measured: Measured; wholeSeconds: number } | null => {
      const started = performance.now();
      const env = { ...process.env, LOCKSPEC_PARSE_CACHE: parseCache };
      const child = spawnSync(process.execPath, ['--max-old-space-size=8192', self, '--row', row.name], { encoding: 'utf8', env });
      if (child.status !== 0) {
        process.stderr.write(`${row.name}: failed\n${child.stderr}\n`);
        return null;
      }
      return { measured: JSON.parse(child.stdout), wholeSeconds: (performance.now() - started) / 1000 };
    };
    const cold = runRow();
    const cached = cold && runRow();
    let cliSeconds: number | undefined;
    if (jar && tlcRuns(row) && cached) {
      // The first run keeps the worker's compiled code (a user's first run of this lockspec), the second reads it.
      const codeCache = mkdtempSync(join(tmpdir(), 'lockspec-bench-code-cache-'));
      runCli(row, root, parseCache, codeCache, cached.measured.distinct);
      cliSeconds = runCli(row, root, parseCache, codeCache, cached.measured.distinct);
      rmSync(codeCache, { recursive: true, force: true });
    }
    rmSync(parseCache, { recursive: true, force: true });
    if (!cold || !cached) return 1;
    let measured: Measured = {
      ...cached.measured,
      wholeSeconds: cached.wholeSeconds,
      coldWholeSeconds: cold.wholeSeconds,
      coldParseSeconds: cold.measured.parseSeconds,
      cliSeconds,
      expected: cold.measured.expected === cached.measured.expected ? cached.measured.expected : `MISMATCH (first run: ${cold.measured.expected})`,
    };
    if (jar && tlcRuns(row)) measured = withTlc(row, measured, jar);
    const baseline = results.find((r) => r.name === row.baseline);
    if (baseline) measured.speedup = Math.round((baseline.searchSeconds / measured.searchSeconds) * 100) / 100;
    const twin = results.find((r) => r.name === row.twin);
    if (twin) measured.twinStatesPerSecond = twin.statesPerSecond;
    results.push(measured);
    if (!args.includes('--json')) process.stderr.write(`${row.name} done\n`);
  }
  const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;
  if (args.includes('--json')) {
    process.stdout.write(JSON.stringify({ machine, rows: results }, null, 2) + '\n');
  } else {
    const head = ['row', 'verdict', 'distinct', 'generated', 'known', 'time s', 'states/s', 'twin states/s', 'bytes/state', 'frontier MiB', 'peak RSS MiB', 'search s', 'speedup',
      'parse s', 'lower s', 'cpu s', 'whole s', 'first parse s', 'first whole s', 'check s', 'TLC s', 'TLC cpu s', 'TLC/lockspec first', 'TLC/lockspec', 'TLC/check', 'TLC/lockspec cpu'];
    const table = results.map((r) => [
      r.name, r.verdict, String(r.distinct), String(r.generated), r.expected, r.seconds.toFixed(2), String(r.statesPerSecond),
      r.twinStatesPerSecond === undefined ? '-' : String(r.twinStatesPerSecond), String(r.bytesPerState),
      r.frontierPeakMiB === null ? '-' : String(r.frontierPeakMiB), String(r.peakRssMiB), r.searchSeconds.toFixed(2), r.speedup === undefined ? '-' : `${r.speedup}x`,
      r.parseSeconds.toFixed(2), r.lowerSeconds.toFixed(2), r.cpuSeconds.toFixed(2), r.wholeSeconds!.toFixed(2),
      r.coldParseSeconds!.toFixed(2), r.coldWholeSeconds!.toFixed(2), r.cliSeconds === undefined ? '-' : r.cliSeconds.toFixed(2),
      r.tlc ? r.tlc.seconds.toFixed(2) : '-', r.tlc?.cpuSeconds == null ? '-' : r.tlc.cpuSeconds.toFixed(2),
      r.tlcRatio === undefined ? '-' : `${r.tlcRatio}x`, r.tlcCachedRatio === undefined ? '-' : `${r.tlcCachedRatio}x`,
      r.tlcCliRatio === undefined ? '-' : `${r.tlcCliRatio}x`,
      r.tlcCpuRatio === undefined ? '-' : `${r.tlcCpuRatio}x`,
    ]);
    const widths = head.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
    const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
    process.stdout.write([`machine: ${machine}`, line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...table.map(line)].join('\n') + '\n');
  }
  return results.every((r) => !r.expected.startsWith('MISMATCH')) ? 0 : 1;
}

process.exitCode = main();
