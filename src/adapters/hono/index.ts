/**
 * Tessera for Hono 4, on every runtime Hono runs on (Node, Bun, Deno, Workers):
 * Web-standard `Request`/`Response` only, no `node:` module. Sessions are
 * saved before the response leaves the middleware, so a redirect never
 * overtakes its write.
 *
 * ```ts
 * import { Hono } from 'hono';
 * import { createSessionMiddleware, type SessionEnv } from 'tessera-session/hono';
 * import { createSqliteStore } from 'tessera-session/stores/sqlite'; // Node; a Redis store elsewhere
 *
 * const app = new Hono<SessionEnv<{ visits: number }>>();
 * app.use(createSessionMiddleware({ store: createSqliteStore() }));
 * app.get('/', (c) => {
 *   const session = c.get('session');
 *   const visits = session.get('visits', 0) + 1;
 *   session.set('visits', visits);
 *   return c.text(`You have visited this page ${visits} times`);
 * });
 * ```
 * @module tessera-session/hono
 */

import type { Context, MiddlewareHandler } from 'hono';
import {
  createSessionManager,
  isSessionError,
  type Session,
  type SessionData,
  type SessionManager,
  type SessionOptions,
} from '../../core/index.js';
import {
  checkSessionOptionKeys,
  createSessionKit,
  digestSessionIdCached,
  isPromiseLike,
  requireSession,
  requireStore,
} from '../../kit/index.js';
import { isSecureRequest } from './is-secure-request.js';
import { applySessionHeaders, sendSessionFailure } from './response-headers.js';

export { createCsrfMiddleware } from './csrf.js';
export { createFetchMetadataMiddleware } from './fetch-metadata.js';

/**
 * Hono's environment with the session: `new Hono<SessionEnv<MyData>>()` types
 * `c.get('session')`. Intersect it with your own bindings and variables:
 * `new Hono<SessionEnv<MyData> & { Bindings: MyBindings }>()`.
 */
export type SessionEnv<Data extends SessionData = SessionData> = {
  Variables: { session: Session<Data> };
};

/** The middleware, carrying its manager. */
export interface SessionMiddleware<Data extends SessionData = SessionData>
  extends MiddlewareHandler<SessionEnv<Data>> {
  /** The session manager (open sessions by id, clear expired ones). */
  readonly manager: SessionManager;
  /** Closes the store. */
  close(): Promise<void>;
}

/** Options of {@link createSessionMiddleware}: the core's, with `store` required. */
export type HonoSessionOptions = SessionOptions & Required<Pick<SessionOptions, 'store'>>;

/**
 * Creates the Hono middleware: `c.get('session')` on every request, saved
 * before the response goes out, with `Set-Cookie` and `Vary: Cookie` added to
 * `c.res`. Store failures answer 503; a save after a concurrent logout answers
 * 400; a handler error (Hono's 500) saves nothing.
 *
 * `store` is required: the default SQLite store only runs on Node.
 * @throws {SessionConfigError} when `store` is missing or an option is invalid.
 */
export function createSessionMiddleware<Data extends SessionData = SessionData>(
  options: HonoSessionOptions,
): SessionMiddleware<Data> {
  checkSessionOptionKeys(options, 'createSessionMiddleware()');
  requireStore(options, 'createSessionMiddleware()', 'tessera-session/hono');
  const manager = createSessionManager(options, { digestId: digestSessionIdCached });
  const kit = createSessionKit(manager);
  const middleware: MiddlewareHandler<SessionEnv<Data>> = async function tesseraSession(c, next) {
    let session: Session;
    try {
      const loaded = kit.load({
        cookie: c.req.header('Cookie'),
        secure: isSecureRequest(c.req, manager.options.trustProxy),
      });
      session = isPromiseLike(loaded) ? await loaded : loaded;
    } catch (error) {
      kit.report(error, 'load');
      sendSessionFailure(c, kit.describeFailure(error));
      return;
    }
    // Headers are added to c.res once the handler has produced it.
    kit.bindEarlySave(session, deliverLater, c);
    c.set('session', session as unknown as Session<Data>);
    // Hono turns a handler error into its 500 response before next() resolves:
    // committing with that status saves nothing.
    await next();
    if (isSessionError(c.error) && c.error.status === 503) {
      // The session could not be loaded (storeOutage: 'throw-on-use') and the handler used it.
      sendSessionFailure(c, kit.describeFailure(c.error));
      return;
    }
    try {
      const pending = kit.commit(session, c.res.status);
      applySessionHeaders(c, isPromiseLike(pending) ? await pending : pending);
    } catch (error) {
      kit.report(error, 'commit');
      sendSessionFailure(c, kit.describeFailure(error));
    }
  };
  return Object.assign(middleware, { manager, close: () => manager.close() });
}

/** The request's session; throws a clear error when the middleware is missing. */
export function getSession<Data extends SessionData = SessionData>(c: Context): Session<Data> {
  return requireSession<Data>(
    c.get('session'),
    'add app.use(createSessionMiddleware({ store })) before this route.',
  );
}

/** An early save's cookie waits for the final commit, which adds it to `c.res`. */
function deliverLater(): boolean {
  return false;
}
