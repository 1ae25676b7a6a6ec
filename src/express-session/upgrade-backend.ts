/**
 * The backend of the `upgradeTo` option: a Tessera store in front of the
 * application's express-session store, which keeps serving the sessions it
 * holds until each one's next write moves it across.
 * @module
 */

import { isSessionStore, SessionConfigError, type SessionStore } from '../core/index.js';
import { fromExpressSessionStore, isExpressSessionStore } from '../stores/express-session/index.js';
import { asEmitter, digestId, type SessionBackend, TESSERA_TOUCH_AFTER_MS } from './backend.js';
import { createLegacySessions } from './upgrade-legacy-sessions.js';

/**
 * The backend for `{ store, upgradeTo }`: sessions are read from `upgradeTo`
 * (keys: SHA-256 digests of the ids) and, when absent there, from `store`
 * (keys: the ids); new sessions are created in `upgradeTo` only. Throws a
 * `SessionConfigError` saying what to change when `store` is missing or is a
 * Tessera store already, or `upgradeTo` is not a Tessera store.
 */
export function openUpgradeBackend(store: object | undefined, upgradeTo: unknown): SessionBackend {
  if (store === undefined) {
    throw new SessionConfigError(
      'session(): option "upgradeTo" moves sessions out of the express-session store given as "store"; ' +
        'give the store your sessions are in now (connect-redis, connect-pg-simple, …) as "store", or remove "upgradeTo".',
    );
  }
  if (typeof upgradeTo !== 'object' || upgradeTo === null || !isSessionStore(upgradeTo)) {
    const found = isExpressSessionStore(upgradeTo) ? ' It is an express-session store.' : '';
    throw new SessionConfigError(
      `session(): option "upgradeTo" must be a Tessera store to move sessions into, e.g. createRedisStore() ` +
        `from tessera-session/stores/redis or createPostgresStore() from tessera-session/stores/postgres.${found}`,
    );
  }
  if (isSessionStore(store)) {
    throw new SessionConfigError(
      'session(): option "upgradeTo" only applies when "store" is an express-session store; "store" is a ' +
        'Tessera store already, whose sessions need no upgrade: remove "upgradeTo".',
    );
  }
  if (!isExpressSessionStore(store)) {
    throw new TypeError(
      'session(): option "store" must be an express-session store (get/set/destroy) when "upgradeTo" is given.',
    );
  }
  const target: SessionStore = upgradeTo;
  return {
    records: target,
    keyOf: digestId,
    canTouch: true,
    touchAfterMs: TESSERA_TOUCH_AFTER_MS,
    events: asEmitter(store),
    storeFresh: undefined,
    touchStored: undefined,
    legacy: createLegacySessions(fromExpressSessionStore(store), target),
  };
}
