/**
 * Small express-session stores for the bridge's specs, written against the
 * callback interface as express-session's own test suite writes its
 * `test/support/sync-store.js` and `smart-store.js`.
 *
 * @module
 */

import type {
  ExpressSessionCallback,
  ExpressSessionStoreLike,
} from '../../../src/stores/express-session/index.js';

type Callback = ExpressSessionCallback<unknown>;

/**
 * Calls back synchronously and keeps the objects it is given (no JSON), like
 * express-session's `sync-store.js`; returns expired records as they are (a
 * store between its sweeps); `all()` answers an array with `id` on each entry,
 * as connect-redis does.
 */
export class SyncStore implements ExpressSessionStoreLike {
  readonly sessions = new Map<string, unknown>();

  get(sid: string, callback: Callback): void {
    callback(null, this.sessions.get(sid));
  }

  set(sid: string, session: never, callback: Callback): void {
    this.sessions.set(sid, session);
    callback(null);
  }

  destroy(sid: string, callback: Callback): void {
    this.sessions.delete(sid);
    callback(null);
  }

  all(callback: Callback): void {
    callback(
      null,
      [...this.sessions].map(([id, session]) => ({ ...(session as object), id })),
    );
  }
}

/** The milliseconds each method of a {@link SlowStore} waits before it calls `inner`. */
export interface Delays {
  get: number;
  set: number;
  destroy: number;
}

/**
 * Passes every call to `inner` after a delay, as a store on a slow network
 * does: the window in which two read-modify-writes of one process overlap.
 */
export class SlowStore implements ExpressSessionStoreLike {
  readonly delays: Delays = { get: 0, set: 0, destroy: 0 };

  constructor(readonly inner: ExpressSessionStoreLike) {}

  get(sid: string, callback: Callback): void {
    setTimeout(() => this.inner.get(sid, callback), this.delays.get);
  }

  set(sid: string, session: never, callback: Callback): void {
    setTimeout(() => this.inner.set(sid, session, callback), this.delays.set);
  }

  destroy(sid: string, callback: Callback): void {
    setTimeout(() => this.inner.destroy(sid, callback), this.delays.destroy);
  }
}
