/**
 * The routes every Fastify competitor serves, and how it starts and stops; the
 * Fastify twin of `express-app.ts`:
 *
 * - `GET /hit`   increments the session's `counter` and answers it (a session
 *                is created when the request has no valid cookie);
 * - `GET /read`  answers the session's `counter` without changing it;
 * - `GET /plain` answers `ok` without touching the session.
 *
 * The server listens on 127.0.0.1:$PORT, prints `ready <url>` on stdout, and
 * exits on SIGTERM/SIGINT or when stdin closes (the orchestrator died). Under
 * `captureNextApp()` (the in-process and A/B benches) it hands over its request
 * dispatcher instead of listening.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';

export interface FastifyCounterAccess {
  /** Increments the counter and answers the new value. */
  hit(request: FastifyRequest): number | Promise<number>;
  /** Answers the counter (0 when unset). */
  read(request: FastifyRequest): number | Promise<number>;
}

export interface FastifyBenchServerOptions {
  /** Registers the session plugin(s), before the routes. */
  register?: (app: FastifyInstance) => PromiseLike<unknown>;
  counter: FastifyCounterAccess;
  /** Called on shutdown after the app closed, e.g. to close a database the app does not own. */
  close?: () => unknown;
}

// The symbol of express-app.ts's captureNextApp(): a dispatcher (req, res) is all its callers use.
const kCapture = Symbol.for('tessera.bench.capture');
type Dispatch = (req: IncomingMessage, res: ServerResponse) => void;

export async function startFastifyBenchServer(options: FastifyBenchServerOptions): Promise<void> {
  const app = Fastify();
  await options.register?.(app);
  // A string payload is sent as text/plain; charset=utf-8, as the Express servers answer.
  app.get('/hit', async (request) => String(await options.counter.hit(request)));
  app.get('/read', async (request) => String(await options.counter.read(request)));
  app.get('/plain', async () => 'ok');

  const capture = (globalThis as { [kCapture]?: (dispatch: Dispatch) => void })[kCapture];
  if (capture) {
    await app.ready();
    capture((req, res) => app.routing(req, res)); // measured in-process, not served
    return;
  }
  const port = Number(process.env.PORT);
  if (!Number.isInteger(port) || port < 0)
    throw new Error('PORT must be set to a port number (0: any free one)');
  const url = await app.listen({ port, host: '127.0.0.1' });
  process.stdout.write(`ready ${url}\n`);
  exitWithParent(app, options.close);
}

function exitWithParent(app: FastifyInstance, close: (() => unknown) | undefined): void {
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    app.server.closeAllConnections();
    try {
      await app.close(); // runs onClose hooks: Tessera closes its store
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
