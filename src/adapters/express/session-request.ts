/**
 * The typed view of a request that went through the Express middleware.
 * @module
 */

import type { Request } from 'express';
import type { Session, SessionData } from '../../core/index.js';
import { requireSession } from '../../kit/index.js';

/**
 * A request that went through the middleware, with `req.session` typed by
 * `Data`, without declaration merging. It is the request of a
 * {@link withSession} handler:
 *
 * ```ts
 * app.get('/', withSession((req: SessionRequest<{ visits: number }>, res) => {
 *   req.session.set('visits', req.session.get('visits', 0) + 1);
 *   res.send('counted');
 * }));
 * ```
 *
 * Give a route handler this type through {@link withSession} (or read the
 * session with {@link getSession}): passed to `app.get()` directly, a handler
 * whose request type has a property Express's `Request` lacks is rejected
 * under `strict` (TS2769), since Express only promises its own `Request`.
 * `Req` is Express's request type, e.g. `Request<{ id: string }>` for route
 * parameters; it defaults to the installed Express's (4 or 5) `Request`.
 */
export type SessionRequest<Data extends SessionData = SessionData, Req = Request> = Req & {
  /** The visitor's session, loaded by the middleware. */
  session: Session<Data>;
};

/**
 * The request's session, typed by `Data`, from any handler; throws a
 * `TypeError` saying to add the middleware when it is missing.
 *
 * ```ts
 * app.get('/cart', (req, res) => {
 *   res.json(getSession<{ cart: string[] }>(req).get('cart', []));
 * });
 * ```
 */
export function getSession<Data extends SessionData = SessionData>(req: object): Session<Data> {
  return requireSession<Data>(
    (req as { session?: unknown }).session,
    'add app.use(createSessionMiddleware()) before this route.',
  );
}
