/**
 * Where an adapter hands the session to a handler (`req.session`,
 * `c.get('session')`, `ctx.session`), reading it back, with one message when
 * the middleware that puts it there is missing.
 * @module
 */

import { Session, type SessionData } from '../core/index.js';

/**
 * `candidate` as the request's session, typed by `Data`; throws a `TypeError`
 * saying `setup` (how to add the middleware) when it is not a Tessera session,
 * a setup mistake to fix rather than a client error.
 */
export function requireSession<Data extends SessionData = SessionData>(
  candidate: unknown,
  setup: string,
): Session<Data> {
  if (!(candidate instanceof Session)) {
    throw new TypeError(`No Tessera session on this request: ${setup}`);
  }
  return candidate as Session<Data>;
}
