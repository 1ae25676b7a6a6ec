/**
 * Tessera's Hono middleware with the memory store, on @hono/node-server; its
 * baseline is `hono-bare`. Same routes, ready line and shutdown as `hono-bare.ts`.
 */
import { createServer, type RequestListener } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { createSessionMiddleware, type SessionEnv } from '../../src/adapters/hono/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';

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
