/**
 * express-session's `Store`: the base of callback stores. An ES5 constructor
 * (an `EventEmitter`), so both `Store.call(this)` + `util.inherits` (older
 * stores, express-session's tests) and `class extends Store` (connect-redis,
 * connect-pg-simple) work.
 * @module
 */

import { EventEmitter } from 'node:events';
import { inherits } from 'node:util';
import { Cookie, type CookieOptions } from './cookie.js';
import { Session, type SessionRequest } from './session.js';

/** A callback store's callback. */
export type StoreCallback<T = void> = (error?: unknown, value?: T) => void;

/** A session as a callback store receives and answers it: its data plus `cookie`. */
export interface StoredSession {
  cookie: CookieOptions | { expires?: string | Date | null; originalMaxAge?: number | null };
  [key: string]: unknown;
}

/**
 * A callback store (express-session's store interface). Subclasses implement
 * `get`, `set` and `destroy`; `touch`, `all`, `length` and `clear` are
 * optional. It emits `'disconnect'` and `'connect'`: while disconnected the
 * middleware gives requests no session.
 */
export interface Store extends EventEmitter {
  /** The session stored under `sid`, or nothing. */
  get(sid: string, callback: (error: unknown, session?: StoredSession | null) => void): void;
  /** Stores `session` under `sid`. */
  set(sid: string, session: StoredSession, callback?: StoreCallback): void;
  /** Removes `sid`. */
  destroy(sid: string, callback?: StoreCallback): void;
  /** Extends `sid`'s lifetime to `session.cookie.expires` (optional). */
  touch?(sid: string, session: StoredSession, callback?: StoreCallback): void;
  /** Every session (optional). */
  all?(callback: (error: unknown, sessions?: unknown) => void): void;
  /** How many sessions there are (optional). */
  length?(callback: (error: unknown, length?: number) => void): void;
  /** Removes every session (optional). */
  clear?(callback?: StoreCallback): void;
  /** Set by the middleware: gives `req` a new session (id, data, cookie). */
  // biome-ignore lint/suspicious/noExplicitAny: the request type is the middleware's, wider than SessionRequest
  generate?: (req: any) => void;
  /** Destroys `req`'s session and generates a new one. */
  regenerate(req: SessionRequest, callback: StoreCallback): void;
  /** Reads `sid` as a {@link Session} (nothing when it is missing). */
  load(sid: string, callback: (error: unknown, session?: Session) => void): void;
  /** Makes the stored `data` `req.session`, reviving its cookie. */
  createSession(req: SessionRequest, data: StoredSession): Session;
}

/** The `Store` constructor, callable as `Store.call(this)` and extendable with `class`. */
export interface StoreConstructor {
  new (): Store;
  (this: Store): void;
  readonly prototype: Store;
}

/** The base class of callback stores (express-session's `session.Store`). */
export const Store: StoreConstructor = function Store(this: Store): void {
  EventEmitter.call(this);
} as unknown as StoreConstructor;

inherits(Store as unknown as new () => Store, EventEmitter);

Store.prototype.regenerate = function regenerate(this: Store, req, callback) {
  this.destroy(req.sessionID as string, (error) => {
    this.generate?.(req);
    callback(error);
  });
};

Store.prototype.load = function load(this: Store, sid, callback) {
  this.get(sid, (error, stored) => {
    if (error) return callback(error);
    if (!stored) return callback(undefined);
    callback(undefined, this.createSession({ sessionID: sid, sessionStore: this }, stored));
  });
};

Store.prototype.createSession = function createSession(this: Store, req, data) {
  const stored = data.cookie as { expires?: unknown; originalMaxAge?: number | null };
  const expires = stored.expires;
  const originalMaxAge = stored.originalMaxAge;
  const cookie = new Cookie(stored as CookieOptions);
  // JSON stores answer `expires` as a string; a Date is what Cookie computes with.
  if (typeof expires === 'string') cookie.expires = new Date(expires);
  cookie.originalMaxAge = originalMaxAge;
  data.cookie = cookie;
  const session = new Session(req, data);
  req.session = session;
  return session;
};
