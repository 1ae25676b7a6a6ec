import { createServer } from 'node:http';
import Koa from 'koa';
import { createSessionMiddleware, type SessionContext } from 'tessera-session/koa';
import { createMemoryStore } from 'tessera-session/stores/memory';
import { listen, type RunningApp } from './listen.js';

export function startKoa(): Promise<RunningApp> {
  const sessions = createSessionMiddleware({ store: createMemoryStore() });
  const app = new Koa();
  app.use(sessions);
  app.use((ctx: SessionContext<{ count: number }>) => {
    const count = ctx.session.get('count', 0) + 1;
    ctx.session.set('count', count);
    ctx.type = 'text/plain';
    ctx.body = `count=${count}`;
  });
  return listen(createServer(app.callback()), () => sessions.close());
}
