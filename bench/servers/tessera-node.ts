/**
 * Tessera's node:http handler wrapper (`createSessionHandler`) with the memory
 * store; its baseline is `node-bare`. Same routes, ready line and shutdown as
 * `node-bare.ts`.
 */
import { createServer, type RequestListener } from 'node:http';
import { createSessionHandler } from '../../src/adapters/node/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';

interface CounterData {
  counter: number;
}

const withSession = createSessionHandler({ store: createMemoryStore({ maxEntries: 100_000 }) });
const listener = withSession<CounterData>((req, res, session) => {
  let body = '';
  if (req.url === '/hit') {
    const counter = session.get('counter', 0) + 1;
    session.set('counter', counter);
    body = String(counter);
  } else if (req.url === '/read') {
    body = String(session.get('counter', 0));
  } else if (req.url === '/plain') {
    body = 'ok';
  }
  res.statusCode = body === '' ? 404 : 200;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(body);
});

serveBench(listener as RequestListener, () => withSession.close());

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
