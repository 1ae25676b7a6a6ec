/**
 * Tessera's Koa middleware with the memory store; its baseline is `koa-bare`.
 * Same routes, ready line and shutdown as `koa-bare.ts`.
 */
import type { RequestListener } from 'node:http';
import Koa from 'koa';
import { createSessionMiddleware } from '../../src/adapters/koa/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { serveBench } from './serve-bench.js';

interface CounterData {
  counter: number;
}

const middleware = createSessionMiddleware<CounterData>({
  store: createMemoryStore({ maxEntries: 100_000 }),
});
const app = new Koa().use(middleware);
app.use((ctx) => {
  if (ctx.path === '/hit') {
    const counter = ctx.session.get('counter', 0) + 1;
    ctx.session.set('counter', counter);
    ctx.body = String(counter);
  } else if (ctx.path === '/read') {
    ctx.body = String(ctx.session.get('counter', 0));
  } else if (ctx.path === '/plain') {
    ctx.body = 'ok';
  }
});

serveBench(app.callback() as RequestListener, () => middleware.close());
