/**
 * The express-session drop-in (`tessera-session/express-session`) on a given
 * store, shared by the `dropin-*` competitors: the express-session app of
 * `express-session-memory.ts` / `express-session-redis.ts` with only the
 * import switched — the same options and the same `req.session.counter` code.
 */
import session, { type ExpressSessionOptions } from '../../src/express-session/index.js';
import { startBenchServer } from './express-app.js';
import { expressSessionCounter, expressSessionOptions } from './express-session-counter.js';

/** Serves the bench routes with the drop-in on `store` (its default MemoryStore when omitted); `close` runs on shutdown. */
export function startDropInServer(
  store: ExpressSessionOptions['store'],
  close?: () => Promise<void>,
): void {
  startBenchServer({
    middleware: [session({ ...expressSessionOptions, ...(store ? { store } : {}) })],
    counter: expressSessionCounter,
    ...(close ? { close } : {}),
  });
}
