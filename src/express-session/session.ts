/**
 * express-session's `Session`: `req.session`, a plain object of the session's
 * data plus `cookie`, with non-enumerable methods and `id`.
 * @module
 */

import type { Cookie } from './cookie.js';
import { findRequestHooks, type SessionCallback } from './request-hooks.js';

/** The request a session belongs to, as far as the session needs it (an `IncomingMessage` in the middleware). */
export interface SessionRequest {
  /** The session's id. */
  sessionID?: unknown;
  /** The session. */
  session?: unknown;
  /** The store the session lives in. */
  sessionStore?: unknown;
}

/** The legacy store calls a session made outside the middleware falls back to. */
interface LegacyStoreCalls {
  set(sid: string, session: Session, callback: SessionCallback): void;
  get(sid: string, callback: (error: unknown, session?: unknown) => void): void;
  destroy(sid: string, callback: SessionCallback): void;
  regenerate(req: SessionRequest, callback: SessionCallback): void;
  createSession(req: SessionRequest, data: object): Session;
}

function defineHidden(target: object, name: string, value: unknown): void {
  Object.defineProperty(target, name, {
    value,
    enumerable: false,
    configurable: true,
    writable: true,
  });
}

/**
 * One visitor's session (`req.session`). Its own enumerable properties are the
 * data (and `cookie`); `id` and `req` are hidden, and the methods live on the
 * prototype, so `JSON.stringify(req.session)` is the stored record.
 *
 * Methods take express-session's callbacks (`(err) => …`) and return the
 * session, as express-session's do.
 */
export class Session {
  /** The session's id (`req.sessionID`). */
  declare readonly id: string;
  /** @internal The request the session belongs to. */
  declare readonly req: SessionRequest;
  /** The session's cookie. */
  declare cookie: Cookie;

  /**
   * A session for `req` (id `req.sessionID`) holding `data`'s keys, except
   * those a session already has (`save`, `touch`, …: a stored key must never
   * replace a method).
   */
  constructor(req: SessionRequest, data?: object | null) {
    defineHidden(this, 'req', req);
    defineHidden(this, 'id', req.sessionID);
    if (typeof data === 'object' && data !== null) {
      for (const key of Object.keys(data)) {
        if (!(key in this))
          (this as Record<string, unknown>)[key] = (data as Record<string, unknown>)[key];
      }
    }
  }

  /** Resets the cookie's expiry to its full lifetime (`maxAge = originalMaxAge`). */
  touch(): this {
    return this.resetMaxAge();
  }

  /** Resets the cookie's expiry to its full lifetime. */
  resetMaxAge(): this {
    this.cookie.maxAge = this.cookie.originalMaxAge;
    return this;
  }

  /** Saves the session now (instead of when the response ends). */
  save(callback?: SessionCallback): this {
    run(this, callback, (done) => {
      const hooks = findRequestHooks(this.req);
      if (hooks) hooks.save(this, done);
      else legacy(this).set(this.id, this, done);
    });
    return this;
  }

  /** Reads the session back from the store; `failed to load session` when it is gone. */
  reload(callback?: SessionCallback): this {
    run(this, callback, (done) => {
      const hooks = findRequestHooks(this.req);
      if (hooks) {
        hooks.reload(this, done);
        return;
      }
      const store = legacy(this);
      store.get(this.id, (error, stored) => {
        if (error) return done(error);
        if (!stored) return done(new Error('failed to load session'));
        store.createSession(this.req, stored as object);
        done();
      });
    });
    return this;
  }

  /** Ends this session and starts a new, empty one under a new id. */
  regenerate(callback?: SessionCallback): this {
    run(this, callback, (done) => {
      const hooks = findRequestHooks(this.req);
      if (hooks) hooks.regenerate(this, done);
      else legacy(this).regenerate(this.req, done);
    });
    return this;
  }

  /** Removes the session from the store and from the request (`req.session` is gone). */
  destroy(callback?: SessionCallback): this {
    run(this, callback, (done) => {
      const hooks = findRequestHooks(this.req);
      if (hooks) {
        hooks.destroy(this, done);
        return;
      }
      delete this.req.session;
      legacy(this).destroy(this.id, done);
    });
    return this;
  }
}

function legacy(session: Session): LegacyStoreCalls {
  return session.req.sessionStore as LegacyStoreCalls;
}

/** Runs `operation` with `callback`, or with a no-op when none was given (as express-session). */
function run(
  _session: Session,
  callback: SessionCallback | undefined,
  operation: (done: SessionCallback) => void,
): void {
  operation(typeof callback === 'function' ? callback : ignore);
}

function ignore(): void {}
