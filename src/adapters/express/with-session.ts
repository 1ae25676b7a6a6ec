/**
 * Typed Express route handlers: `withSession((req: SessionRequest<MyData>, res) => …)`.
 * @module
 */

import type { NextFunction, Request, Response } from 'express';
import type { SessionData } from '../../core/index.js';
import { isPromiseLike } from '../../kit/index.js';
import { getSession, type SessionRequest } from './session-request.js';

/**
 * A route handler that receives the session, typed by `Data`, as `req.session`.
 * `Req` and `Res` are Express's request and response types (those of the
 * installed Express, 4 or 5, by default).
 */
export type SessionRequestHandler<
  Data extends SessionData = SessionData,
  Req = Request,
  Res = Response,
> = (req: SessionRequest<Data, Req>, res: Res, next: NextFunction) => unknown;

/**
 * Wraps a route handler whose request carries the typed session, into a
 * handler Express accepts under `strict`:
 *
 * ```ts
 * app.get('/', withSession((req: SessionRequest<{ visits: number }>, res) => {
 *   const visits = req.session.get('visits', 0) + 1;
 *   req.session.set('visits', visits);
 *   res.send(`You have visited this page ${visits} times`);
 * }));
 * // or: withSession<{ visits: number }>((req, res) => …)
 * ```
 *
 * Express types a route's `req` as its own `Request`, so a handler declaring
 * `req: SessionRequest<Data>` is not assignable to its handler type; the
 * wrapper takes Express's request and hands it on as a `SessionRequest`,
 * checking that the session middleware ran (else `next(TypeError)`, Express
 * answers 500). An error thrown by the handler, or the rejection of the promise
 * an async handler returns, goes to `next(error)`, on Express 4 as on 5.
 */
export function withSession<Data extends SessionData = SessionData, Req = Request, Res = Response>(
  handler: SessionRequestHandler<Data, Req, Res>,
): (req: Req, res: Res, next: NextFunction) => void {
  return function tesseraRoute(req, res, next): void {
    let result: unknown;
    try {
      getSession(req as object); // throws the "add the middleware" TypeError
      result = handler(req as SessionRequest<Data, Req>, res, next);
    } catch (error) {
      next(error);
      return;
    }
    if (isPromiseLike(result)) result.then(undefined, (error: unknown) => next(error));
  };
}
