/**
 * `createSessionMiddleware()`: the Astro middleware that puts the request's
 * session in `context.locals.session` and saves it onto the response.
 * @module
 */

import { Session, type SessionManager } from '../../core/index.js';
import { checkSessionOptionKeys, requireStore } from '../../kit/index.js';
import { createSessions, type WebSessionOptions } from '../../web/index.js';
import type { AstroMiddleware } from './astro-context.js';

/** Options of {@link createSessionMiddleware}: the core's, with `store` required. */
export type AstroSessionOptions = WebSessionOptions;

/** The middleware, carrying its manager. */
export interface AstroSessionMiddleware extends AstroMiddleware {
  /** The session manager (open sessions by id, list or end a user's sessions, clear expired ones). */
  readonly manager: SessionManager;
  /** Closes the store. */
  close(): Promise<void>;
}

/**
 * Creates the Astro middleware: loads the session of `context.request` into
 * `context.locals.session` (lazily: no store I/O without a session cookie),
 * renders the route with `next()`, then saves what changed and adds
 * `Set-Cookie` and `Vary: Cookie` to the response before Astro sends it, so a
 * redirect never overtakes its write. A store outage answers 503 with
 * `Retry-After`; a save after the session was logged out elsewhere answers
 * 400; a route that throws, or answers 5xx, saves nothing.
 *
 * Astro streams pages: the page's frontmatter, endpoints, actions and
 * middleware run before the response exists, but components render while it
 * is sent, after the session was saved. Change the session (and call
 * `csrfToken()` the first time) in the page's frontmatter, not in a component.
 *
 * Prerendered routes are passed through without a session (they render at
 * build time). A rewrite that runs the middleware again keeps the session it
 * has.
 *
 * `store` is required; `createSqliteStore()` from
 * `tessera-session/stores/sqlite` on Node.
 * @throws {SessionConfigError} when `store` is missing or an option is invalid.
 */
export function createSessionMiddleware(options: AstroSessionOptions): AstroSessionMiddleware {
  checkSessionOptionKeys(options, 'createSessionMiddleware()');
  requireStore(options, 'createSessionMiddleware()', 'tessera-session/astro');
  const sessions = createSessions(options);

  const middleware: AstroMiddleware = async function tesseraSession(context, next) {
    const locals = context.locals as { session?: unknown };
    // Prerendering has no request to read; a rewrite runs the middleware again on the same locals.
    if (context.isPrerendered === true || locals.session instanceof Session) return next();
    let session: Session;
    try {
      session = await sessions.get(context.request);
    } catch (error) {
      return answerFailure(sessions.failureResponse(error), error);
    }
    locals.session = session;
    let response: Response;
    try {
      response = await next();
    } catch (error) {
      // A session error the route let through (storeOutage: 'throw-on-use', a failed save()):
      // 503 / 400; anything else is Astro's to render. Nothing is saved.
      return answerFailure(sessions.failureResponse(error), error);
    }
    try {
      return await sessions.commit(session, response);
    } catch (error) {
      const failure = sessions.failureResponse(error);
      if (failure !== undefined) discardBody(response);
      return answerFailure(failure, error);
    }
  };
  return Object.freeze(
    Object.assign(middleware, { manager: sessions.manager, close: () => sessions.close() }),
  );
}

/** The failure response, or `error` rethrown when it is not a session failure. */
function answerFailure(failure: Response | undefined, error: unknown): Response {
  if (failure === undefined) throw error;
  return failure;
}

/** Stops the rendering of a response that will not be sent. */
function discardBody(response: Response): void {
  if (response.body === null || response.bodyUsed) return;
  response.body.cancel().catch(() => {
    // the stream is already errored or closed: nothing to stop
  });
}
