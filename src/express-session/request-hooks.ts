/**
 * What the middleware attaches to each request it handles, so the session's
 * methods (`save`, `reload`, `regenerate`, `destroy`) run through Tessera's
 * store contract for that request.
 * @module
 */

import type { IncomingMessage } from 'node:http';
import type { Session } from './session.js';

/** Callback of the session methods, as express-session calls it. */
export type SessionCallback = (error?: unknown) => void;

/** The middleware's side of the session methods, for one request. */
export interface SessionRequestHooks {
  save(session: Session, callback: SessionCallback): void;
  reload(session: Session, callback: SessionCallback): void;
  regenerate(session: Session, callback: SessionCallback): void;
  destroy(session: Session, callback: SessionCallback): void;
}

const hooksByRequest = new WeakMap<object, SessionRequestHooks>();

/** Binds `hooks` to `req` for the rest of the request. */
export function bindRequestHooks(req: IncomingMessage, hooks: SessionRequestHooks): void {
  hooksByRequest.set(req, hooks);
}

/** The hooks of the request a session belongs to, if the middleware made it. */
export function findRequestHooks(req: unknown): SessionRequestHooks | undefined {
  return typeof req === 'object' && req !== null ? hooksByRequest.get(req) : undefined;
}
