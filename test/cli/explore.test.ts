// `lockspec explore` as a user runs it: it prints where it serves (127.0.0.1 only), answers there,
// stops cleanly on Ctrl-C, and refuses a port in use or a bad port with a clear error (exit 2).
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const CLI = join(process.cwd(), 'dist/src/cli/main.js');

/** Starts `lockspec explore` and resolves once it has printed its address. */
function startCli(...args: string[]) {
  const child = spawn(process.execPath, [CLI, 'explore', ...args]);
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /at (http:\/\/\S+) /.exec(out);
      if (m) resolve(m[1]);
    });
    exited.then(() => reject(new Error(`explore exited: ${err}`)));
  });
  return { child, url, exited, output: () => ({ out, err }) };
}

test('serves the model on 127.0.0.1 and stops on Ctrl-C with exit 0', async () => {
  const run = startCli('examples/peterson.lspec', '--port', '0');
  const url = await run.url;
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  const model = await (await fetch(`${url}api/model`)).json();
  expect(model.name).toBe('Peterson');
  expect((await fetch(`${url}api/state/999999`)).status).toBe(404);
  expect(await (await fetch(url)).text()).toContain('lockspec explore');
  run.child.kill('SIGINT');
  expect(await run.exited).toBe(0);
  expect(run.output().out).toContain('lockspec explore: stopped');
}, 120_000);

test('a port in use is refused with a clear error, exit 2', async () => {
  const busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const port = (busy.address() as { port: number }).port;
  try {
    const r = spawnSync(process.execPath, [CLI, 'explore', 'examples/peterson.lspec', '--port', String(port)], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`error LS5070: port ${port} on 127.0.0.1 is in use`);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  } finally {
    busy.close();
  }
}, 120_000);

test('a port that is no port number is refused, exit 2', () => {
  const r = spawnSync(process.execPath, [CLI, 'explore', 'examples/peterson.lspec', '--port', '70000'], { encoding: 'utf8' });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('--port 70000: expected a port number, 0 to 65535');
});
