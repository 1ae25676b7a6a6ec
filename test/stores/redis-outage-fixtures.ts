/**
 * What the Redis store's outage specs (node-redis, ioredis) run against: an
 * Express app counting visits in the session, a server that accepts
 * connections but never answers, and the wait for the store to recover.
 */
import { connect, createServer, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import { createSessionMiddleware, getSession } from '../../src/adapters/express/index.js';
import type { SessionOptions } from '../../src/core/index.js';
import { CookieJarClient } from '../helpers/cookie-jar-client.js';
import { listen, listenOnLoopback } from '../helpers/listen.js';

/** Generous bound for "promptly": without the store's timeouts a request would wait for TCP, or ioredis's retries, to give up. */
export const PROMPTLY = { timeout: 15_000 };

/** The app {@link startCountingApp} serves. */
export interface CountingApp {
  /** e.g. `http://127.0.0.1:41234` */
  readonly baseUrl: string;
  /** A browser (with a cookie jar) of the app. */
  readonly browser: CookieJarClient;
  /** What the session middleware's onError was told. */
  readonly requestErrors: { error: unknown; phase: string }[];
  /** Stops the app, then closes the session middleware (and its store). */
  close(): Promise<void>;
}

/**
 * Serves an Express app on `store`: `/count` counts the visits in the
 * session, `/health` answers `ok` without touching it.
 */
export async function startCountingApp(store: SessionOptions['store']): Promise<CountingApp> {
  const requestErrors: { error: unknown; phase: string }[] = [];
  const middleware = createSessionMiddleware({
    store,
    onError: (error, context) => requestErrors.push({ error, phase: context.phase }),
  });
  const server = express();
  server.use(middleware);
  server.get('/count', (req, res) => {
    const session = getSession<{ count: number }>(req);
    const count = session.get('count', 0) + 1;
    session.set('count', count);
    res.send(String(count));
  });
  server.get('/health', (_req, res) => {
    res.send('ok');
  });
  const app = await listen(server as unknown as Parameters<typeof listen>[0]);
  return {
    baseUrl: app.baseUrl,
    browser: new CookieJarClient(app.baseUrl),
    requestErrors,
    async close() {
      await app.close();
      await middleware.close();
    },
  };
}

/** The server {@link startSilentServer} serves. */
export interface SilentServer {
  /** Its port on 127.0.0.1. */
  readonly port: number;
  /** From now on, pipes each new connection to `port` on 127.0.0.1 (those already held stay silent). */
  forwardTo(port: number): void;
  /** Drops every connection and stops listening. */
  close(): Promise<void>;
}

/**
 * A server on 127.0.0.1 that accepts connections and never answers them (a
 * half-dead process, a silent peer), until told where to forward them.
 */
export async function startSilentServer(): Promise<SilentServer> {
  const held = new Set<Socket>();
  let forwardPort: number | undefined;
  const server = createServer((socket) => {
    held.add(socket);
    socket.on('error', () => {});
    if (forwardPort === undefined) return;
    const upstream = connect(forwardPort, '127.0.0.1');
    upstream.on('error', () => socket.destroy());
    socket.pipe(upstream).pipe(socket);
  });
  const port = await listenOnLoopback(server);
  return {
    port,
    forwardTo(target) {
      forwardPort = target;
    },
    async close() {
      for (const socket of held) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The outcome of `attempt` once `isDone` holds of it, trying again every
 * 100 ms, 100 times at most (the client reconnects in the background, with a
 * back-off of at most about 2 s); the last outcome when it never does.
 */
export async function retryUntil<T>(
  attempt: () => Promise<T>,
  isDone: (outcome: T) => boolean,
): Promise<T> {
  let outcome = await attempt();
  for (let retry = 0; !isDone(outcome) && retry < 100; retry++) {
    await sleep(100);
    outcome = await attempt();
  }
  return outcome;
}
