/**
 * Serving a node request listener as a benchmark competitor, for the servers
 * that are not Express apps (Hono through @hono/node-server, Koa, node:http):
 * listens on 127.0.0.1:$PORT, prints `ready <url>`, exits on SIGTERM/SIGINT or
 * when stdin closes; or hands the listener to `captureNextApp()` (express-app.ts)
 * when measured in-process.
 */
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

export function serveBench(listener: RequestListener, close?: () => unknown): void {
  // The hook of express-app.ts's captureNextApp(): a (req, res) dispatcher is all its callers use.
  const capture = (globalThis as { [key: symbol]: ((app: RequestListener) => void) | undefined })[
    Symbol.for('tessera.bench.capture')
  ];
  if (capture) {
    capture(listener); // measured in-process, not served
    return;
  }
  const port = Number(process.env.PORT);
  if (!Number.isInteger(port) || port < 0)
    throw new Error('PORT must be set to a port number (0: any free one)');
  const server = createServer(listener).listen(port, '127.0.0.1', () => {
    process.stdout.write(`ready http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
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
