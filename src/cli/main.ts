#!/usr/bin/env node
// The lockspec command line: argument handling only. Each command chains the typed stages
// (load, check, report) and maps the outcome to an exit code: 0 every property holds, 1 a property
// is violated, 2 the spec or the command is wrong, 3 a limit stopped the search.
import { readFileSync, statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Argv } from 'yargs';
import { processIo, reportWidth } from './io.js';

const io = processIo(Boolean(process.stderr.isTTY), reportWidth(process.stdout.columns));

/** Shared with the worker: set to 1 by the first Ctrl-C or SIGTERM; a second one exits at once. */
const interruptFlag = new Int32Array(new SharedArrayBuffer(4));
/** Ctrl-C and SIGTERM end a search the same way: with the figures so far, exit 3. */
const interrupt = (): void => {
  if (Atomics.load(interruptFlag, 0) === 1) process.exit(3);
  Atomics.store(interruptFlag, 0, 1);
};
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);

/** The commands that run on a worker thread (command-worker.ts): the searches. */
const SEARCH_COMMANDS: readonly string[] = ['check', 'compare', 'simulate'];

/** A command worker: it imports the checker, then waits for its job; `exit` settles with the job's exit code. */
interface CommandWorker {
  worker: Worker;
  exit: Promise<number>;
}

/** The worker's file: the build's CommonJS bundle, unless a `tsc` alone has left it older than the compiled module. */
function workerFile(): URL {
  const bundle = new URL('./command-worker.cjs', import.meta.url);
  const compiled = new URL('./command-worker.js', import.meta.url);
  try {
    if (statSync(bundle).mtimeMs >= statSync(compiled).mtimeMs) return bundle;
  } catch {
    // No bundle: a build by tsc alone.
  }
  return compiled;
}

function startWorker(): CommandWorker {
  const worker = new Worker(workerFile(), {
    workerData: { flag: interruptFlag, isTTY: io.isTTY, width: io.width },
  });
  const exit = new Promise<number>((resolve, reject) => {
    worker.on('message', (code: number) => resolve(code));
    worker.on('error', reject);
  });
  // Only awaited once the job is sent: an error before that must not go unhandled.
  exit.catch(() => undefined);
  return { worker, exit };
}

/**
 * Started before the arguments are read when the first one names a search command: the worker's
 * imports (the parser and the checker, about a quarter of a second) overlap the loading of yargs
 * and the reading of the arguments here. A usage error, --help or --version stops it unused.
 */
let early: CommandWorker | null = SEARCH_COMMANDS.includes(process.argv[2] ?? '') ? startWorker() : null;

/** Runs a search command on a worker thread (see command-worker.ts); resolves to its exit code. */
function inWorker(command: 'check' | 'compare' | 'simulate', argv: unknown): Promise<number> {
  const plain = JSON.parse(JSON.stringify(argv));
  const { worker, exit } = early ?? startWorker();
  early = null;
  worker.postMessage({ command, argv: plain });
  return exit;
}

/** What selects and instantiates the model: every command that loads one has these. */
const modelOptions = {
  design: { type: 'string', describe: 'this design only' },
  const: { type: 'string', array: true, describe: 'override a constant: NAME=EXPR (repeatable)' },
  deadlock: { type: 'boolean', default: true, describe: 'report deadlocks (--no-deadlock turns it off)' },
  config: { type: 'string', describe: 'the TLC config of a .tla spec (default: Name.cfg beside Name.tla)' },
} as const;

const engineOption = {
  engine: { choices: ['compiled', 'reference'], default: 'compiled', describe: 'the engine that explores' },
} as const;

/** Options of the exhaustive searches (check, compare), not of simulate. */
const searchOptions = {
  symmetry: { type: 'string', describe: 'treat these constant sets of model values as symmetric: A,B' },
  invariant: { type: 'string', describe: 'check only these invariants and finals: A,B (as a TLC config\'s INVARIANTS)' },
  property: { type: 'string', describe: 'check only these temporal and reachable properties: A,B (as a TLC config\'s PROPERTIES; \'\' for none)' },
  'max-states': { type: 'number', describe: 'stop after this many distinct states' },
  'max-depth': { type: 'number', describe: 'stop after this many breadth-first levels' },
  'time-limit': { type: 'number', describe: 'stop after this many seconds' },
  'memory-limit': { type: 'number', describe: 'stop when the resident memory of the process reaches this many MiB' },
  progress: { type: 'boolean', describe: 'print progress on stderr (default: when stderr is a terminal)' },
  workers: { type: 'number', describe: 'threads computing successors; the figures and the trace are those of one (default 1)' },
  'lock-order': { type: 'boolean', default: true, describe: 'check the lock order as lockdep does (--no-lock-order turns it off)' },
  fingerprint: { type: 'boolean', describe: 'keep a 64-bit fingerprint per state, not the state (less memory; a tiny chance of a missed state)' },
} as const;

const htmlOption = { type: 'string', describe: 'also write the report as one self-contained HTML page to this file' } as const;

/** TLC's -continue; `compare` turns it on by default (with one thread), `check` does not. */
const continueText = 'keep searching after a violation: every violated property with its own shortest trace, lock statistics over the whole graph';

/** The package's version (dist/src/cli/main.js is three folders below package.json). */
const version = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const COMMANDS = ['parse', 'check', 'compare', 'simulate', 'export-tla'];
/** The part of yargs's internals that `main` turns off (they are missing from its types). */
interface YargsInternals {
  getInternalMethods(): { getUsageInstance(): { cacheHelpMessage(): void } };
}
/** The commands' positional arguments, which yargs lists with their options. */
const POSITIONALS = ['files', 'file', 'path'];

async function main(): Promise<number> {
  // Loaded after the early worker has started (see `early`).
  const [{ default: yargs }, { hideBin }, { formatDiagnostic }, { usageDiagnostic }] = await Promise.all([
    import('yargs'),
    import('yargs/helpers'),
    import('../diagnostics/diagnostics.js'),
    import('./usage.js'),
  ]);
  // Handlers only choose the job: yargs may report a usage error after a handler has been chosen,
  // and then nothing must run.
  let job: (() => number | Promise<number>) | null = null;
  let usageError = false;
  // The command being built, whose options a mistyped option is compared with.
  let building: Argv | null = null;
  const builds = <R>(build: (y: Argv) => R) => (y: Argv): R => {
    building = y;
    return build(y);
  };
  const parser = yargs(hideBin(process.argv))
    .scriptName('lockspec')
    .usage('$0 <command> [options]')
    .command(
      'parse <files..>',
      'syntax and semantic check only; one summary line per file',
      builds((y) =>
        y
          .positional('files', { type: 'string', array: true, demandOption: true, describe: 'model files (.lspec), algorithms or modules' })
          .example('$0 parse examples/*.lspec', 'check the syntax and names of every example')),
      (argv) => {
        // The commands (and the checker under them) load only once a command runs: --help,
        // --version and usage errors start in a fraction of the time.
        job = async () => (await import('./commands.js')).runParse(argv.files as string[], io);
      },
    )
    .command(
      'check <file>',
      'explore every interleaving and check every property',
      builds((y) =>
        y
          .positional('file', { type: 'string', demandOption: true, describe: 'the model file (.lspec)' })
          .options(modelOptions)
          .options(engineOption)
          .options(searchOptions)
          .option('continue', { type: 'boolean', describe: continueText })
          .option('format', { choices: ['text', 'json'], default: 'text', describe: 'the report: text for people, json for programs' })
          .option('trace-format', { choices: ['itf'], describe: 'the format of the --trace-out file (ITF, the default and only one)' })
          .option('coverage', { type: 'boolean', describe: 'after the report, each label\'s steps taken and new states found (as TLC\'s -coverage)' })
          .option('trace-out', { type: 'string', describe: 'also write the trace to this file (one file per failing design, the design named before the extension)' })
          .option('html', htmlOption)
          .option('dump-graph', { type: 'string', describe: 'write the explored state graph to this file in TLC\'s dot format (-dump dot,actionlabels)' })
          .example('$0 check examples/refpool.lspec --trace-out t.json', 'also write any trace as ITF')),
      (argv) => {
        job = () => inWorker('check', argv);
      },
    )
    .command(
      'compare <path>',
      'check every design of a file (or of every file in a folder) and print one table',
      builds((y) =>
        y
          .positional('path', { type: 'string', demandOption: true, describe: 'a model file, or a folder of them' })
          .options(modelOptions)
          .options(engineOption)
          .options(searchOptions)
          .option('continue', { type: 'boolean', describe: `${continueText} (default: on, unless --workers; --no-continue stops at the first)` })
          .option('format', { choices: ['text', 'json', 'markdown'], default: 'text', describe: 'the table: text, json, or markdown for a report' })
          .option('html', htmlOption)
          .option('dump-graph', { type: 'string', describe: 'write each design\'s explored state graph in TLC\'s dot format, one file per design named as --trace-out names them' })
          .example('$0 compare spec/bh-migration', 'one row per design of every model in the folder')),
      (argv) => {
        job = () => inWorker('compare', argv);
      },
    )
    .command(
      'simulate <file>',
      'random walks that check the same properties',
      builds((y) =>
        y
          .positional('file', { type: 'string', demandOption: true, describe: 'the model file (.lspec)' })
          .options(modelOptions)
          .options(engineOption)
          .option('runs', { type: 'number', default: 1000, describe: 'how many random walks' })
          .option('depth', { type: 'number', default: 100, describe: 'the most steps of one walk' })
          .option('seed', { type: 'number', describe: 'the random seed (default: from the clock, printed)' })
          .option('format', { choices: ['text', 'json'], default: 'text', describe: 'the report: text for people, json for programs' })
          .example('$0 simulate examples/refpool.lspec --runs 2000 --seed 7', 'repeatable random walks')),
      (argv) => {
        job = () => inWorker('simulate', argv);
      },
    )
    .command(
      'export-tla <file>',
      'print the model as a TLA+ module for TLC (the IR, translated as PlusCal is)',
      builds((y) =>
        y
          .positional('file', { type: 'string', demandOption: true, describe: 'the model file (.lspec)' })
          .options(modelOptions)
          .option('symmetry', searchOptions.symmetry)
          .option('invariant', searchOptions.invariant)
          .option('property', searchOptions.property)
          .option('cfg-out', { type: 'string', describe: 'write the matching TLC config to this file' })
          .example('$0 export-tla examples/peterson.lspec --cfg-out P.cfg', 'a module and config for TLC')),
      (argv) => {
        job = async () => (await import('./commands.js')).runExportTla(argv as never, io);
      },
    )
    .command(
      'explore <file>',
      'serve a page on 127.0.0.1 to step through the model by hand, with every invariant evaluated at each state',
      (y) =>
        y
          .positional('file', { type: 'string', demandOption: true })
          .option('design', modelOptions.design)
          .option('const', modelOptions.const)
          .option('config', modelOptions.config)
          .option('port', { type: 'number', default: 8080, describe: 'the port on 127.0.0.1 (0: any free port)' })
          .example('$0 explore spec/bh-migration/bh_migration.lspec --design racy_norefs', 'step through the racy design'),
      (argv) => {
        // Loaded only here: the server's libraries cost the other commands' start-up nothing.
        job = async () => (await import('./explore-command.js')).runExplore(argv as never, io);
      },
    )
    .demandCommand(1, 'expected a command: parse, check, compare, simulate, export-tla or explore')
    .strict()
    .fail((msg, err) => {
      if (err) throw err;
      // yargs may find more than one thing wrong (no file: too few arguments, then the file
      // missing); the first is said.
      if (usageError) return;
      // (getOptions is yargs's, missing from its types.)
      const options = building ? Object.keys((building as unknown as { getOptions(): { key: object } }).getOptions().key).filter((o) => !POSITIONALS.includes(o)) : [];
      io.err(`${formatDiagnostic(usageDiagnostic(msg, hideBin(process.argv), COMMANDS, options), new Map())}\nRun "lockspec --help" for usage.`);
      usageError = true;
    })
    .help()
    .version(version);
  // After a command's handler, yargs renders the whole help and keeps it, for a help shown later.
  // None is shown once a command is chosen (a usage error prints its own diagnostic), and the
  // rendering (about 60 ms of measuring strings) would hold back the job the worker waits for.
  (parser as unknown as YargsInternals).getInternalMethods().getUsageInstance().cacheHelpMessage = () => undefined;
  await parser.parseAsync();
  // (TypeScript cannot see the handlers' assignments, hence the cast.)
  const chosen = job as (() => number | Promise<number>) | null;
  const code = usageError ? 2 : chosen ? await chosen() : 0;
  // Help, the version, a usage error or another command: the early worker had nothing to do.
  await early?.worker.terminate();
  return code;
}

main().then(
  // Not process.exit: output written by the worker must drain first.
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`lockspec: internal error: ${(e as Error).message}\n`);
    if (process.env.LOCKSPEC_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    process.exit(2);
  },
);
