/**
 * What an express-session store looks like, told apart from a Tessera store.
 *
 * @module
 */

import { isSessionStore, SessionConfigError } from '../../core/index.js';

/** The callback express-session passes to a store method: `(err, value)`. */
export type ExpressSessionCallback<T = unknown> = (error?: unknown, value?: T) => void;

/**
 * Any store written for express-session (connect-redis, connect-pg-simple,
 * memorystore, connect-mongo, express-session's own `MemoryStore`, …): the
 * callback interface its README describes. `get`, `set` and `destroy` are
 * required; `touch`, `all`, `length` and `clear` are optional. A callback may be
 * called synchronously or later; `get` may answer `null`/`undefined` or an
 * error whose `code` is `'ENOENT'` for "not found", as express-session accepts.
 *
 * The record parameters are typed `never` so that every store's own record
 * type (`SessionData` of @types/express-session, …) fits; the bridge passes
 * plain JSON records (see `record-mapping.ts`).
 */
export interface ExpressSessionStoreLike {
  /** Answers the session record stored under `sid`, or `null`/`undefined`. */
  get(sid: string, callback: ExpressSessionCallback<unknown>): unknown;
  /** Stores `session` (a whole record, `cookie` included) under `sid`. */
  set(sid: string, session: never, callback: ExpressSessionCallback): unknown;
  /** Removes the record under `sid`. */
  destroy(sid: string, callback: ExpressSessionCallback): unknown;
  /** Moves the record's expiry (express-session calls it on unmodified sessions). */
  touch?(sid: string, session: never, callback: ExpressSessionCallback): unknown;
  /**
   * Every record: an object keyed by sid (express-session's `MemoryStore`,
   * memorystore) or an array with the sid as `id` on each entry (connect-redis).
   */
  all?(callback: ExpressSessionCallback<unknown>): unknown;
  /** How many records are held. */
  length?(callback: ExpressSessionCallback<number>): unknown;
  /** Removes every record. */
  clear?(callback: ExpressSessionCallback): unknown;
}

const REQUIRED_METHODS = ['get', 'set', 'destroy'] as const;

function hasMethod(value: object, name: string): boolean {
  return typeof (value as Record<string, unknown>)[name] === 'function';
}

function isObjectLike(value: unknown): value is object {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
}

/**
 * Whether `value` is an express-session store: it has `get`, `set` and
 * `destroy` methods and is NOT a Tessera store (which has `read`, `create`,
 * `update`, `rotate`, …: `isSessionStore`). The express-session drop-in uses it to accept
 * either kind as its `store` option.
 */
export function isExpressSessionStore(value: unknown): value is ExpressSessionStoreLike {
  return (
    isObjectLike(value) &&
    REQUIRED_METHODS.every((name) => hasMethod(value, name)) &&
    !isSessionStore(value)
  );
}

/**
 * Checks the `store` given to `fromExpressSessionStore`, throwing a
 * {@link SessionConfigError} that says what is missing and what to do.
 */
export function checkExpressSessionStore(store: unknown): asserts store is ExpressSessionStoreLike {
  const where = 'fromExpressSessionStore()';
  if (!isObjectLike(store)) {
    throw new SessionConfigError(
      `${where}: the store must be an express-session store (an object with get, set and destroy methods), got ${store === null ? 'null' : typeof store}. ` +
        'Pass e.g. new RedisStore({ client }) from connect-redis.',
    );
  }
  if (isSessionStore(store)) {
    throw new SessionConfigError(
      `${where}: the store is already a Tessera store (it has read, create, update and rotate); pass it to the session middleware as it is.`,
    );
  }
  const missing = REQUIRED_METHODS.filter((name) => !hasMethod(store, name));
  if (missing.length > 0) {
    throw new SessionConfigError(
      `${where}: the store has no ${missing.map((name) => `${name}()`).join(', ')} method${missing.length > 1 ? 's' : ''}; ` +
        'an express-session store needs get(sid, cb), set(sid, session, cb) and destroy(sid, cb). ' +
        'Pass a store instance (e.g. new RedisStore({ client })), not its class or its module.',
    );
  }
  for (const name of ['touch', 'all', 'length', 'clear'] as const) {
    const value = (store as Record<string, unknown>)[name];
    if (value !== undefined && value !== null && typeof value !== 'function') {
      throw new SessionConfigError(
        `${where}: the store's ${name} is ${typeof value}, not a method; an express-session store's ${name} must be a function or absent.`,
      );
    }
  }
}
