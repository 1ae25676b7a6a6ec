import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { createSessionMiddleware, type SessionEnv } from '../../src/adapters/hono/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { serveBench } from './serve-bench.js';

interface CounterData {
  counter: number;
}

const middleware = createSessionMiddleware<CounterData>({
  store: createMemoryStore({ maxEntries: 100_000 }),
});
const app = new Hono<SessionEnv<CounterData>>();
app.use(middleware);
app.get('/hit', (c) => {
  const session = c.get('session');
  const counter = session.get('counter', 0) + 1;
  session.set('counter', counter);
  return c.text(String(counter));
});
app.get('/read', (c) => c.text(String(c.get('session').get('counter', 0))));
app.get('/plain', (c) => c.text('ok'));

serveBench(getRequestListener(app.fetch), () => middleware.close());
