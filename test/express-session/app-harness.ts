/**
 * One Express app, run on real express-session or on the drop-in: the same
 * routes, the same HTTP requests over a real server, and a gate that holds a
 * slow request open while others run.
 */

import type { RequestHandler } from 'express';
import express from 'express';
import { listen, type RunningServer } from '../helpers/listen.js';

/** A request's session as the routes use it (express-session's shape). */
interface RouteSession {
  [key: string]: unknown;
  destroy(callback: (error?: unknown) => void): void;
}

/** A running app with a gate for its slow route. */
export interface GatedApp {
  server: RunningServer;
  /** Resolves once the slow route has loaded its session and made its change. */
  slowReached: Promise<void>;
  /** Lets the slow route answer. */
  release(): void;
}

/**
 * Routes: `/login` stores `user`; `/slow/:key` sets `key` and waits for the
 * gate; `/set/:key` sets `key`; `/logout` destroys the session; `/read`
 * answers the data keys.
 */
export async function startGatedApp(middleware: RequestHandler): Promise<GatedApp> {
  let reached!: () => void;
  let release!: () => void;
  const slowReached = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const app = express();
  app.use(middleware);
  const sessionOf = (req: unknown): RouteSession => (req as { session: RouteSession }).session;
  app.get('/login', (req, res) => {
    sessionOf(req).user = 'ann';
    res.send('in');
  });
  app.get('/slow/:key', async (req, res) => {
    sessionOf(req)[req.params.key] = 1;
    reached();
    await gate;
    res.send('slow');
  });
  app.get('/set/:key', (req, res) => {
    sessionOf(req)[req.params.key] = 1;
    res.send('set');
  });
  app.get('/logout', (req, res) => {
    sessionOf(req).destroy(() => res.send('out'));
  });
  app.get('/read', (req, res) => {
    const session = sessionOf(req) ?? {};
    res.json(Object.fromEntries(Object.entries(session).filter(([key]) => key !== 'cookie')));
  });
  const server = await listen(app);
  return { server, slowReached, release };
}

/** The `name=value` of the first `Set-Cookie` of a response. */
export function cookieOf(response: Response): string {
  const setCookie = response.headers.getSetCookie()[0];
  if (!setCookie) throw new Error('no Set-Cookie in the response');
  return setCookie.split(';')[0]!;
}

/** GET `path` with `cookie`. */
export function get(app: GatedApp, path: string, cookie?: string): Promise<Response> {
  return fetch(`${app.server.baseUrl}${path}`, cookie ? { headers: { cookie } } : {});
}

/** Removes what a spec left on the shared Redis under `prefix`, so runs do not pile up keys there. */
export async function deleteRedisKeysUnder(url: string, prefix: string): Promise<void> {
  const { createClient } = await import('redis');
  const client = createClient({ url });
  await client.connect();
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
      if (keys.length > 0) await client.del(keys);
    }
  } finally {
    await client.quit();
  }
}
