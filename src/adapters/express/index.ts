/**
 * Tessera for Express 5 and 4.
 *
 * ```ts
 * const app = express();
 * app.use(createSessionMiddleware()); // SQLite at .tessera/sessions.db
 * app.get('/', withSession((req: SessionRequest<{ visits: number }>, res) => {
 *   const visits = req.session.get('visits', 0) + 1;
 *   req.session.set('visits', visits);
 *   res.send(`You have visited this page ${visits} times`);
 * }));
 * ```
 * @module tessera-session/express
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Session, SessionManager, SessionOptions } from '../../core/index.js';
import { checkSessionOptionKeys, isPromiseLike } from '../../kit/index.js';
import { createNodeSessionManager, openRequestSession } from '../node/index.js';

export { type CsrfMiddleware, createCsrfMiddleware } from './csrf.js';
export { createFetchMetadataMiddleware, type FetchMetadataMiddleware } from './fetch-metadata.js';
export { getSession, type SessionRequest } from './session-request.js';
export { type SessionRequestHandler, withSession } from './with-session.js';

/** Express gives every response of an app the same prototype: intercept there, once. */
const ON_APP_PROTOTYPE = Object.freeze({ patchPrototype: true });

/** The middleware, carrying its manager. */
export interface SessionMiddleware {
  (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void;
  /** The session manager (open sessions by id, clear expired ones). */
  readonly manager: SessionManager;
  /** Closes the store. */
  close(): Promise<void>;
}

/**
 * Creates the Express middleware: `req.session` on every request, saved before
 * the response is sent (redirects never overtake the write). Store failures
 * answer 503; a save after a concurrent logout answers 400.
 */
export function createSessionMiddleware(options: SessionOptions = {}): SessionMiddleware {
  checkSessionOptionKeys(options, 'createSessionMiddleware()');
  const manager = createNodeSessionManager(options);
  function tesseraSession(
    req: IncomingMessage,
    res: ServerResponse,
    next: (error?: unknown) => void,
  ): void {
    const opened = openRequestSession(manager, req, res, ON_APP_PROTOTYPE);
    if (isPromiseLike(opened)) opened.then((session) => continueWith(req, session, next), next);
    else continueWith(req, opened, next);
  }
  return Object.assign(tesseraSession, { manager, close: () => manager.close() });
}

function continueWith(
  req: IncomingMessage,
  session: Session | undefined,
  next: (error?: unknown) => void,
): void {
  if (!session) return; // the store is down: 503 was sent
  (req as IncomingMessage & { session: Session }).session = session;
  next();
}
