// The benchmark (`npm run bench`): explores scaled models, each row in a fresh child process so
// that time and peak memory belong to that row alone, and prints distinct states per second,
// bytes per stored state (everything that grows with the state count), the fingerprint mode's
// frontier peak, and peak RSS, with the machine and its load average (shared machines vary); rows
// with workers also the speedup of their search over the same row on one thread. A row whose state
// count differs from the known figure (TLC's, where known) fails the run.
// `--json` prints the rows for machines; `--rows a,b` picks.
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { checkModel, type FileCheckOptions as CheckOptions } from '../src/pipeline/check-file.js';

interface Row {
  name: string;
  file: string;
  opts: CheckOptions;
  /** Known distinct and generated counts (TLC's where it has them). */
  distinct?: number;
  generated?: number;
  /** A row with workers: the one-thread row its speedup is measured against. */
  baseline?: string;
}

const ROWS: Row[] = [
  { name: 'lockinc-n4-m3', file: 'examples/lockinc.lspec', opts: { consts: [['N', '4'], ['M', '3']] }, distinct: 1_752_112, generated: 4_716_249 },
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
  /** The search alone (model loading and lock statistics excluded), for speedups. */
  searchSeconds: number;
  /** With workers: the baseline row's search time over this row's. */
  speedup?: number;
}

/** Runs one row in this process and prints its figures as JSON. */
function measure(row: Row): Measured {
  const started = performance.now();
  const o = checkModel(row.file, row.opts);
  const seconds = (performance.now() - started) / 1000;
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
  const results: Measured[] = [];
  for (const row of rows) {
    const child = spawnSync(process.execPath, ['--max-old-space-size=8192', self, '--row', row.name], { encoding: 'utf8' });
    if (child.status !== 0) {
      process.stderr.write(`${row.name}: failed\n${child.stderr}\n`);
      return 1;
    }
    const measured: Measured = JSON.parse(child.stdout);
    const baseline = results.find((r) => r.name === row.baseline);
    if (baseline) measured.speedup = Math.round((baseline.searchSeconds / measured.searchSeconds) * 100) / 100;
    results.push(measured);
    if (!args.includes('--json')) process.stderr.write(`${row.name} done\n`);
  }
  const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;
  if (args.includes('--json')) {
    process.stdout.write(JSON.stringify({ machine, rows: results }, null, 2) + '\n');
  } else {
    const head = ['row', 'verdict', 'distinct', 'generated', 'known', 'time s', 'states/s', 'bytes/state', 'frontier MiB', 'peak RSS MiB', 'search s', 'speedup'];
    const table = results.map((r) => [
      r.name, r.verdict, String(r.distinct), String(r.generated), r.expected, r.seconds.toFixed(2), String(r.statesPerSecond), String(r.bytesPerState),
      r.frontierPeakMiB === null ? '-' : String(r.frontierPeakMiB), String(r.peakRssMiB), r.searchSeconds.toFixed(2), r.speedup === undefined ? '-' : `${r.speedup}x`,
    ]);
    const widths = head.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
    const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
    process.stdout.write([`machine: ${machine}`, line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...table.map(line)].join('\n') + '\n');
  }
  return results.every((r) => !r.expected.startsWith('MISMATCH')) ? 0 : 1;
}

process.exitCode = main();
