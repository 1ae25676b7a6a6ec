/**
 * Tessera's Koa middleware with the memory store; its baseline is `koa-bare`.
 * Same routes, ready line and shutdown as `koa-bare.ts`.
 */
import { createServer, type RequestListener } from 'node:http';
import Koa from 'koa';
import { createSessionMiddleware } from '../../src/adapters/koa/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';

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

function serveBench(listener: RequestListener, close?: () => unknown): void {
  // The hook of express-app.ts's captureNextApp(): a (req, res) dispatcher is all its callers use.
  const capture = (globalThis as { [key: symbol]: ((app: RequestListener) => void) | undefined })[
    Symbol.for('tessera.bench.capture')
  ];
  if (capture) {
    capture(listener); // measured in-process, not served
    return;
  }
  const port = Number(process.env.PORT);
  if (!Number.isInteger(port) || port <= 0) throw new Error('PORT must be set to a port number');
  const server = createServer(listener).listen(port, '127.0.0.1', () => {
    process.stdout.write(`ready http://127.0.0.1:${port}\n`);
  });
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    server.closeAllConnections();
    server.close();
    try {
      await close?.();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGTERM', shutdown).on('SIGINT', shutdown);
  process.stdin.on('end', shutdown).on('error', shutdown).resume();
}
