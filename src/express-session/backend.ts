/**
 * The Tessera store behind the drop-in, and how an id becomes its key.
 * @module
 */

import type { EventEmitter } from 'node:events';
import { digestSessionIdNode } from '../adapters/node/index.js';
import { isSessionStore, type SessionRecord, type SessionStore } from '../core/index.js';
import {
  callStore,
  type ExpressSessionStoreLike,
  encodeExpressRecord,
  fromExpressSessionStore,
  isExpressSessionStore,
} from '../stores/express-session/index.js';
import { MemoryStore } from './memory-store.js';
import type { LegacySessions } from './upgrade-legacy-sessions.js';

/** Where sessions are read and written, through Tessera's store contract. */
export interface SessionBackend {
  /** The Tessera store: per-key `update`, never resurrecting; `create` never overwriting. */
  readonly records: SessionStore;
  /** The store key of an id. */
  keyOf(id: string): string;
  /** Whether an unchanged session's expiry is refreshed with `touch` (express-session: the store has `touch()`). */
  readonly canTouch: boolean;
  /**
   * How long, in ms, an unchanged session's stored expiry may lag behind its
   * cookie's before a `touch` refreshes it: Tessera's `touchAfter` (60 s) for
   * a Tessera store; 0 for an express-session store, touched on every request
   * as express-session does (its stores and tests rely on it).
   */
  readonly touchAfterMs: number;
  /** The store's `'disconnect'`/`'connect'` events, when it emits them. */
  readonly events: EventEmitter | undefined;
  /**
   * Stores a new record under an id no one else can know yet (192 random
   * bits, made by this process): one `set()` on an express-session store, as
   * express-session writes a new session, instead of the read-then-write of a
   * create. `undefined` for Tessera stores, whose `create` is one operation.
   */
  readonly storeFresh:
    | ((id: string, record: SessionRecord, cookie: object) => Promise<void>)
    | undefined;
  /**
   * The store's own `touch(sid, session)`, for a store whose touch rewrites
   * the stored `cookie` (the drop-in's `MemoryStore`), so the expiry read back
   * is the new one; other stores are touched through the bridge, which
   * rewrites the record (connect-redis's touch is an `EXPIRE` that leaves
   * `cookie.expires`, the only expiry the bridge can read, behind).
   */
  readonly touchStored: ((id: string, session: object) => Promise<void>) | undefined;
  /**
   * With `upgradeTo`: the express-session store's sessions, read when the
   * Tessera store has no record of an id and moved into it on their next write.
   */
  readonly legacy?: LegacySessions | undefined;
}

/**
 * The Tessera store key of an id: its SHA-256 digest, hex (Rack
 * CVE-2019-16782: a copy of a Tessera store must yield no usable cookie).
 * Tessera's node:http digest, whose bounded cache of recent ids spares the
 * hash on a returning visitor's requests.
 */
export const digestId: (id: string) => string = digestSessionIdNode;

function keepId(id: string): string {
  return id;
}

/** Tessera's default `touchAfter`: an unchanged session's expiry is refreshed at most once a minute. */
export const TESSERA_TOUCH_AFTER_MS = 60_000;

/** The store as an event emitter, when it is one. */
export function asEmitter(store: object): EventEmitter | undefined {
  return typeof (store as { on?: unknown }).on === 'function' ? (store as EventEmitter) : undefined;
}

/**
 * The backend for the `store` option: a Tessera store as it is, keyed by
 * SHA-256 digests of the ids; an express-session store through
 * `fromExpressSessionStore`, keyed by the ids themselves so its existing
 * records are found. Throws a `TypeError` for anything else.
 */
export function openBackend(store: object): SessionBackend {
  if (isSessionStore(store)) {
    return {
      records: store,
      keyOf: digestId,
      canTouch: true,
      touchAfterMs: TESSERA_TOUCH_AFTER_MS,
      events: asEmitter(store),
      storeFresh: undefined,
      touchStored: undefined,
    };
  }
  if (isExpressSessionStore(store)) {
    const legacy: ExpressSessionStoreLike & { touch?: unknown } = store;
    return {
      records: fromExpressSessionStore(store),
      keyOf: keepId,
      canTouch: typeof legacy.touch === 'function',
      touchAfterMs: 0,
      events: asEmitter(store),
      storeFresh: async (id, record, cookie) => {
        await callStore(`${legacy.constructor.name}: set()`, (callback) =>
          legacy.set(
            id,
            encodeExpressRecord(record, cookie as Record<string, unknown>, Date.now) as never,
            callback,
          ),
        );
      },
      touchStored:
        store instanceof MemoryStore
          ? async (id, session) => {
              await callStore('MemoryStore: touch()', (callback) =>
                (legacy as unknown as MemoryStore).touch(id, session as never, callback),
              );
            }
          : undefined,
    };
  }
  throw new TypeError(
    'session(): option "store" must be an express-session store (get/set/destroy) or a Tessera store (read/create/update/…).',
  );
}
