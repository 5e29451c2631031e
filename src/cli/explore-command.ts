// `lockspec explore`: loads one design, starts the explorer's server on 127.0.0.1 and keeps it
// until Ctrl-C (or SIGTERM), then closes it and exits 0. A port in use is a clear error, exit 2.
import { diag, formatDiagnostic } from '../diagnostics/diagnostics.js';
import { ExploreSession } from '../explore/session.js';
import { startExplorer } from '../explore/server.js';
import { EXIT, loadProgram, type Io } from './commands.js';

export interface ExploreArgs {
  file: string;
  design?: string;
  const?: string[];
  /** The TLC config of a .tla spec. */
  config?: string;
  port: number;
}

export async function runExplore(args: ExploreArgs, io: Io): Promise<number> {
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) {
    io.err(formatDiagnostic(diag('Usage', null, `--port ${args.port}: expected a port number, 0 to 65535`), new Map()));
    return EXIT.error;
  }
  const program = loadProgram(args, io);
  if (!program) return EXIT.error;
  const title = `${program.name}${program.design ? ` (${program.design})` : ''}`;
  let running;
  try {
    running = await startExplorer(new ExploreSession(program), title, args.port);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const d = err.code === 'EADDRINUSE' ? diag('ExplorePortInUse', null, String(args.port)) : diag('ExploreListen', null, String(args.port), err.message);
    io.err(formatDiagnostic(d, new Map()));
    return EXIT.error;
  }
  io.out(`lockspec explore: ${title} at ${running.url} (Ctrl-C stops)`);
  await new Promise<void>((stop) => {
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running.close();
  io.out('lockspec explore: stopped');
  return EXIT.ok;
}
