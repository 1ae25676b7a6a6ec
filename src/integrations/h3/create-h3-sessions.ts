/**
 * `createH3Sessions()`: the session middleware for h3 v1 (Nuxt 3 and 4) and h3 v2.
 * @module
 */

import {
  SessionConfigError,
  type SessionData,
  type SessionManager,
  type SessionOptions,
} from '../../core/index.js';
import { checkSessionOptionKeys } from '../../kit/index.js';
import { createSessions, type WebSessions } from '../../web/index.js';
import { readEventSession } from './event-session.js';
import { type H3EventLike, isH3EventV2 } from './h3-event.js';
import { handleV1 } from './handle-v1.js';
import { handleV2 } from './handle-v2.js';

/** Options of {@link createH3Sessions}: the core's, with `store` required. */
export type H3SessionOptions = SessionOptions & Required<Pick<SessionOptions, 'store'>>;

/**
 * The session middleware, one function for both h3 majors:
 * - h3 v2: `app.use(sessions.middleware)`, called as `(event, next)`;
 * - h3 v1 / Nuxt 4: `export default defineEventHandler(sessions.middleware)` in
 *   `server/middleware/session.ts`, or `app.use(eventHandler(sessions.middleware))`.
 *
 * It puts the session in `event.context.session` and saves it before the
 * response goes out, with `Set-Cookie` and `Vary: Cookie` on it.
 */
export type H3SessionMiddleware = (event: H3EventLike, next?: () => unknown) => Promise<unknown>;

/** Sessions for h3; made by {@link createH3Sessions}. */
export interface H3Sessions<Data extends SessionData = SessionData> {
  /** The middleware that gives every request `event.context.session`. */
  readonly middleware: H3SessionMiddleware;
  /** The session manager (open sessions by id, list a user's sessions, clear expired ones). */
  readonly manager: SessionManager;
  /**
   * The Web-standard sessions underneath (`get(request)`, `commit(session, response)`),
   * for code outside the middleware's requests.
   */
  readonly web: WebSessions<Data>;
  /** Closes the store. */
  close(): Promise<void>;
}

/**
 * Creates the session middleware for h3. The h3 major is told by the event:
 * on h3 v2 (`event.req` is a Web `Request`) the session is saved after the
 * rest of the chain, before h3 makes the response; on h3 v1 it is held on the
 * Node response (`event.node.res`), so `sendRedirect()` cannot overtake the
 * save. A store failure answers 503 with `Retry-After`, a save after a
 * concurrent logout 400; nothing is saved for a 5xx.
 * @throws {SessionConfigError} when `store` is missing or an option is invalid.
 */
export function createH3Sessions<Data extends SessionData = SessionData>(
  options: H3SessionOptions,
): H3Sessions<Data> {
  checkSessionOptionKeys(options, 'createH3Sessions()');
  const web = createSessions<Data>(options);
  const manager = web.manager;

  const middleware: H3SessionMiddleware = async function sessionMiddleware(event, next) {
    // Registered twice (a plugin and a middleware): the first one holds the session.
    if (readEventSession(event) !== undefined) return next?.();
    if (!isH3EventV2(event)) return handleV1(manager, event);
    if (typeof next !== 'function') {
      throw new SessionConfigError(
        'On h3 v2 the session middleware needs the rest of the chain to save the session after it: ' +
          'register it with app.use(sessions.middleware), not as a handler or an onRequest hook.',
      );
    }
    return handleV2(web as WebSessions, event, next);
  };

  return Object.freeze({ middleware, manager, web, close: () => web.close() });
}
