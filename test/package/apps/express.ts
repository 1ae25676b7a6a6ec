import { createServer } from 'node:http';
import express from 'express';
import { createSessionMiddleware, type SessionRequest, withSession } from 'tessera-session/express';
import { createMemoryStore } from 'tessera-session/stores/memory';
import { listen, type RunningApp } from './listen.js';

export function startExpress(): Promise<RunningApp> {
  const sessions = createSessionMiddleware({ store: createMemoryStore() });
  const app = express();
  app.use(sessions);
  app.get(
    '/',
    withSession((req: SessionRequest<{ count: number }>, res) => {
      const count = req.session.get('count', 0) + 1;
      req.session.set('count', count);
      res.type('text/plain').send(`count=${count}`);
    }),
  );
  return listen(createServer(app), () => sessions.close());
}
