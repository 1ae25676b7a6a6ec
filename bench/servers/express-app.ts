/**
 * The routes every Express competitor serves, and how it starts and stops.
 *
 * - `GET /hit`   increments the session's `counter` and answers it (a session
 *                is created when the request has no valid cookie);
 * - `GET /read`  answers the session's `counter` without changing it;
 * - `GET /plain` answers `ok` without touching the session.
 *
 * The server listens on 127.0.0.1:$PORT, prints `ready <url>` on stdout, and
 * exits on SIGTERM/SIGINT or when stdin closes (the orchestrator died).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type Request, type RequestHandler } from 'express';

export interface CounterAccess {
  /** Increments the counter and answers the new value. */
  hit(req: Request): number | Promise<number>;
  /** Answers the counter (0 when unset). */
  read(req: Request): number | Promise<number>;
}

export interface BenchServerOptions {
  /** Session middleware, mounted before the routes. */
  middleware: RequestHandler[];
  counter: CounterAccess;
  /** Called on shutdown, e.g. to close a database. */
  close?: () => unknown;
}

const kCapture = Symbol.for('tessera.bench.capture');

/** Makes the next `startBenchServer()` in this process hand its app over instead of listening. */
export function captureNextApp(): Promise<Express> {
  return new Promise((resolve) => {
    (globalThis as { [kCapture]?: (app: Express) => void })[kCapture] = resolve;
  });
}

export function startBenchServer(options: BenchServerOptions): void {
  const app = express();
  for (const middleware of options.middleware) app.use(middleware);
  app.get('/hit', async (req, res) => {
    res.type('text/plain').send(String(await options.counter.hit(req)));
  });
  app.get('/read', async (req, res) => {
    res.type('text/plain').send(String(await options.counter.read(req)));
  });
  app.get('/plain', (_req, res) => {
    res.type('text/plain').send('ok');
  });

  const capture = (globalThis as { [kCapture]?: (app: Express) => void })[kCapture];
  if (capture) {
    capture(app); // measured in-process by bench/in-process.ts, not served
    return;
  }
  const port = Number(process.env.PORT);
  if (!Number.isInteger(port) || port < 0)
    throw new Error('PORT must be set to a port number (0: any free one)');
  const server = app.listen(port, '127.0.0.1', (error?: Error) => {
    if (error) throw error;
    process.stdout.write(`ready http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
  });
  exitWithParent(server, options.close);
}

function exitWithParent(server: Server, close: (() => unknown) | undefined): void {
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
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  process.stdin.on('end', shutdown);
  process.stdin.on('error', shutdown);
  process.stdin.resume();
}
