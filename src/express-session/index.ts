/**
 * A drop-in replacement for express-session, over Tessera's stores: the same
 * exports, options, cookies and store interface, with writes that keep
 * concurrent requests' changes and never bring back a destroyed session.
 *
 * ```ts
 * import session from 'tessera-session/express-session';
 *
 * app.use(session({ secret: 'keyboard cat', resave: false, saveUninitialized: false }));
 * ```
 *
 * Differences from express-session: docs/migrating-from-express-session.md.
 * @module tessera-session/express-session
 */

import { Cookie } from './cookie.js';
import { MemoryStore } from './memory-store.js';
import { createExpressSessionMiddleware, type ExpressSessionMiddleware } from './middleware.js';
import type { ExpressSessionOptions } from './options.js';
import { Session } from './session.js';
import { Store } from './store.js';

export { Cookie, type CookieData, type CookieOptions } from './cookie.js';
export { MemoryStore, type MemoryStoreConstructor } from './memory-store.js';
export type { ExpressSessionMiddleware, SessionRequestLike } from './middleware.js';
export { DEFAULT_EXPRESS_SESSION_OPTIONS, type ExpressSessionOptions } from './options.js';
export type { SessionCallback } from './request-hooks.js';
export { Session, type SessionRequest } from './session.js';
export type { SessionSecret } from './sign.js';
export { Store, type StoreCallback, type StoreConstructor, type StoredSession } from './store.js';

/**
 * The session data applications store; augment it to type `req.session`:
 *
 * ```ts
 * declare module 'tessera-session/express-session' {
 *   interface SessionData { views: number }
 * }
 * ```
 */
export interface SessionData {
  /** The session's cookie. */
  cookie: Cookie;
}

/** The `session` function with express-session's properties. */
export interface SessionFactory {
  (options?: ExpressSessionOptions): ExpressSessionMiddleware;
  /** The base class of callback stores. */
  readonly Store: typeof Store;
  /** The in-memory callback store. */
  readonly MemoryStore: typeof MemoryStore;
  /** The session class (`req.session`). */
  readonly Session: typeof Session;
  /** The cookie class (`req.session.cookie`). */
  readonly Cookie: typeof Cookie;
  /** Itself, for stores that read `session.session.Store`. */
  readonly session: SessionFactory;
}

/**
 * Creates the middleware, as express-session's `session(options)`; also
 * carries `Store`, `MemoryStore`, `Session` and `Cookie`, so
 * `require('tessera-session/express-session')` has express-session's shape.
 */
export const session: SessionFactory = Object.assign(
  function session(options?: ExpressSessionOptions): ExpressSessionMiddleware {
    return createExpressSessionMiddleware(options);
  },
  { Store, MemoryStore, Session, Cookie },
) as unknown as SessionFactory;
(session as { session: SessionFactory }).session = session;

export default session;
export { session as 'module.exports' };
