import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createSessionMiddleware, type SessionEnv } from 'tessera-session/hono';
import { createMemoryStore } from 'tessera-session/stores/memory';
import { closeServer, type RunningApp } from './listen.js';

export function startHono(): Promise<RunningApp> {
  const sessions = createSessionMiddleware({ store: createMemoryStore() });
  const app = new Hono<SessionEnv<{ count: number }>>();
  app.use(sessions);
  app.get('/', (c) => {
    const session = c.get('session');
    const count = session.get('count', 0) + 1;
    session.set('count', count);
    return c.text(`count=${count}`);
  });
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, ({ port }) =>
      resolve({ port, close: () => closeServer(server).then(() => sessions.close()) }),
    );
  });
}
