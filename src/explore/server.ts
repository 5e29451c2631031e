// Serves an ExploreSession to a browser: the page and a small JSON API, through Hono on Node's
// HTTP server, bound to 127.0.0.1 only (the explorer runs a person's model; it is nobody else's).
// A port in use is refused with the listen error, not retried elsewhere.
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { explorerPage } from './page.js';
import type { ExploreSession } from './session.js';

/** The only address the explorer listens on. */
export const LOOPBACK = '127.0.0.1';

export interface RunningExplorer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export function explorerApp(session: ExploreSession, title: string): Hono {
  const app = new Hono();
  const program = session.program;
  app.get('/', (c) => c.html(explorerPage(title)));
  app.get('/api/model', (c) =>
    c.json({
      name: program.name,
      design: program.design,
      processes: program.instances.map((i) => i.display),
      initial: session.initial(),
    }),
  );
  app.get('/api/state/:id', (c) => {
    const id = Number(c.req.param('id'));
    if (!session.has(id)) return c.json({ error: `no state ${c.req.param('id')}: expected the id of a state reached from an initial state` }, 404);
    return c.json(session.report(id));
  });
  app.post('/api/replay', async (c) => {
    let doc: unknown;
    try {
      doc = JSON.parse(await c.req.text());
    } catch {
      return c.json({ error: 'this file is not JSON: expected the JSON of `lockspec check --format json` or an ITF trace' }, 400);
    }
    return c.json(session.replay(doc));
  });
  return app;
}

/** Listens on 127.0.0.1:`port` (0: any free port); rejects with the listen error (EADDRINUSE...). */
export function startExplorer(session: ExploreSession, title: string, port: number): Promise<RunningExplorer> {
  const app = explorerApp(session, title);
  return new Promise((resolve, reject) => {
    let server: ServerType;
    const onError = (e: Error): void => reject(e);
    server = serve({ fetch: app.fetch, hostname: LOOPBACK, port }, (info: AddressInfo) => {
      server.off('error', onError);
      resolve({
        url: `http://${LOOPBACK}:${info.port}/`,
        port: info.port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
    server.once('error', onError);
  });
}
