/**
 * A session store in Redis or a Redis Cluster, through node-redis (the
 * `redis` package) or a client of ioredis. Suited to several servers sharing
 * sessions.
 *
 * ```ts
 * const store = createRedisStore({ url: process.env.REDIS_URL });
 * await store.ready(); // fail fast at startup: wrong URL, password, …
 * app.use(createSessionMiddleware({ store }));
 * ```
 *
 * Layout (see `keys.ts`): one hash per session, `tessera:s:{<key>}`, one field
 * per session key, expiry by Redis's own TTL; a set per user for listing.
 * Each write is one Lua script on the session's slot, so it is atomic, and two
 * requests changing different keys of one session never lose each other's
 * change (HSET/HDEL of the delta only, as Spring Session's `ON_SET_ATTRIBUTE`).
 *
 * @module tessera-session/stores/redis
 */

import type {
  AsyncSessionStoreWith,
  ClearExpiredOptions,
  CountSessionsOptions,
  DescribeSessionsOptions,
  ListSessionsOptions,
  PageSessionsOptions,
  SessionOverview,
  SessionPage,
  SessionRecord,
  SessionSummary,
  StoreStats,
} from '../../core/store.js';
import type { RedisStoreClient } from './client.js';
import { createRedisConnection, type RedisConnection } from './connection.js';
import { createIoRedisConnection } from './ioredis-connection.js';
import { createKeyLayout, dataField } from './keys.js';
import { createRedisListings } from './list-sessions.js';
import { clearExpiredRecords, collectStats } from './maintenance.js';
import {
  type AnyRedisStoreClient,
  type RedisStoreOptions,
  type ResolvedRedisStoreOptions,
  resolveRedisStoreOptions,
} from './options.js';
import { checkReady } from './ready-check.js';
import { decodeRecord, encodeFields, encodeTime } from './record-codec.js';
import {
  CLAIM_SCRIPT,
  CREATE_SCRIPT,
  DESTROY_SCRIPT,
  ROTATE_SCRIPT,
  runScript,
  runScriptOnKeys,
  TOUCH_SCRIPT,
  UPDATE_SCRIPT,
} from './scripts.js';
import { createUserIndex } from './user-index.js';

export type {
  RedisClusterClient,
  RedisCommandOptions,
  RedisEventSource,
  RedisSingleClient,
  RedisStoreClient,
} from './client.js';
export type {
  IoRedisClient,
  IoRedisClusterClient,
  IoRedisStoreClient,
} from './ioredis-client.js';
export type { RedisKeyLayout } from './keys.js';
export { DEFAULT_CLEAR_EXPIRED_BATCH_SIZE, type RedisClearExpiredOptions } from './maintenance.js';
export {
  type AnyRedisStoreClient,
  DEFAULT_REDIS_STORE_OPTIONS,
  type RedisClusterConnection,
  type RedisClusterRootNode,
  type RedisStoreOptions,
  type RedisTarget,
  type ResolvedRedisStoreOptions,
} from './options.js';

/**
 * A session store backed by Redis: every method answers with a promise, and
 * the optional ones are all present but `migrate` (there is no schema).
 *
 * @typeParam Client - The type of {@link RedisStore.client}: node-redis's
 *   unless an ioredis client was given.
 */
export interface RedisStore<Client extends AnyRedisStoreClient = RedisStoreClient>
  extends AsyncSessionStoreWith<
    | 'listUserSessions'
    | 'destroyUserSessions'
    | 'listSessions'
    | 'pageSessions'
    | 'countSessions'
    | 'describeSessions'
    | 'stats'
    | 'ready'
    | 'close'
  > {
  /** The client in use: the one given as `client`, or the node-redis client the store opened. */
  readonly client: Client;
  /** The prefix of every key the store writes. */
  readonly prefix: string;
  /**
   * One script over both session hashes on a single server; on a cluster
   * (two slots) the new record is written first and the old one then
   * checked and deleted by one script, which decides the answer (see
   * `docs/store-redis.md`). Rejects when a live record holds `newKey`.
   */
  rotate(oldKey: string, newKey: string, record: SessionRecord): Promise<boolean>;
  /**
   * Deletes the expired records Redis still keeps (for `keepExpiredFor` after
   * their expiry; it drops them itself afterwards) and prunes the per-user
   * lists. Answers how many records it deleted; 0 is normal. `batchSize` is
   * the number of keys per SCAN step (default
   * {@link DEFAULT_CLEAR_EXPIRED_BATCH_SIZE}, `1_000`), a hint to Redis.
   */
  clearExpired(options?: ClearExpiredOptions): Promise<number>;
  /**
   * Walks the prefix with SCAN, reading two fields of each session and then
   * the newest `limit` whole; one user's sessions come from their index.
   * Approximate on a busy server, as `stats()`.
   */
  listSessions(options: ListSessionsOptions): Promise<SessionSummary[]>;
  /**
   * One page: a SCAN walk over the prefix (every master of a cluster, in
   * turn) reading two fields of each session, keeping the page's `limit`,
   * then reading those whole: O(sessions) time per page, O(limit) memory.
   * One user's page comes from their index, without a walk. Approximate on a
   * busy server: a session written during the walk may be missed or listed
   * with its newer times.
   */
  pageSessions(options: PageSessionsOptions): Promise<SessionPage>;
  /** Counts the live sessions with a SCAN walk; one user's from their index, each checked. */
  countSessions(options?: CountSessionsOptions): Promise<number>;
  /**
   * One SCAN walk; each session's times, owner and data size are read by a
   * script on its server (the data never crosses the network). Every session
   * is measured (`sizesMeasured` equals `live`).
   */
  describeSessions(options: DescribeSessionsOptions): Promise<SessionOverview>;
  /** Counts by walking the prefix with SCAN; approximate on a busy server. */
  stats(): Promise<StoreStats>;
  /**
   * Connects (if not yet) and checks the server: reachable, credentials
   * accepted, not a cluster node behind `url`, scripts allowed. Rejects with a
   * `SessionConfigError` naming the server (password masked) and what to check.
   */
  ready(): Promise<void>;
  /** Closes the client if the store opened it (`url`, `cluster`); a given `client` stays open. */
  close(): Promise<void>;
}

/**
 * Creates a session store in Redis. Nothing connects yet: the client connects
 * on first use, or in `ready()`, which you may await at startup to fail fast.
 * The `client` may be node-redis's or ioredis's; the store runs the same
 * scripts on the same keys with either.
 *
 * @typeParam Client - The type of the `client` option, when one is given.
 * @throws SessionConfigError when an option is invalid, or `client` is
 *   neither a node-redis nor an ioredis client.
 */
export function createRedisStore<Client extends AnyRedisStoreClient = RedisStoreClient>(
  options: RedisStoreOptions<Client>,
): RedisStore<Client> {
  const resolved = resolveRedisStoreOptions(options);
  const { keepExpiredFor } = resolved;
  const keys = createKeyLayout(resolved.prefix);
  const connection = openConnection(resolved);
  const userIndex = createUserIndex(connection, keys);
  const { isCluster } = connection;
  const now = (): number => Date.now();
  const listings = createRedisListings({ connection, keys, userIndex, now });
  /** When Redis drops a record expiring at `expiresAt` (a whole millisecond for PEXPIREAT). */
  const dropAt = (expiresAt: number): number => Math.ceil(expiresAt + keepExpiredFor);

  return {
    name: 'redis',
    // The client given as `client` (of type Client), or the one opened for `url` or `cluster` (Client's default).
    client: connection.client as Client,
    prefix: resolved.prefix,

    async read(key) {
      const sessionKey = keys.session(key);
      const reply = await connection.send(sessionKey, ['HGETALL', sessionKey]);
      return decodeRecord(reply, now());
    },

    async create(key, record) {
      // Encoded before any await: later changes to the caller's object are not seen.
      const fields = encodeFields(record.data);
      const time = now();
      const until = dropAt(record.expiresAt);
      const owner = record.userId;
      const listed = owner !== null && until > time;
      if (listed) await userIndex.add(owner, key, until);
      const reply = await runScript(
        connection,
        CREATE_SCRIPT,
        keys.session(key),
        recordArguments(time, until, record, fields),
      );
      const created = Number(reply) === 1;
      if (created && listed) await userIndex.add(owner, key, until);
      return created;
    },

    async update(key, delta) {
      const fields = encodeFields(delta.set);
      const removed = delta.remove.map(dataField);
      const time = now();
      const until = dropAt(delta.expiresAt);
      const newOwner = delta.userId;
      // Listed before the write that gives the session its owner: the list may
      // hold too much, never too little (see user-index.ts).
      if (typeof newOwner === 'string' && until > time) await userIndex.add(newOwner, key, until);
      const reply = await runScript(connection, UPDATE_SCRIPT, keys.session(key), [
        encodeTime(time),
        encodeTime(delta.expiresAt),
        encodeTime(until),
        newOwner === undefined ? 'keep' : newOwner === null ? 'clear' : 'set',
        newOwner ?? '',
        String(removed.length),
        ...removed,
        ...fields,
      ]);
      const [done, previous] = Array.isArray(reply) ? reply : [];
      if (Number(done) !== 1) return false;
      const previousOwner = previous === undefined || previous === null ? null : String(previous);
      const owner = newOwner === undefined ? previousOwner : newOwner;
      await Promise.all([
        owner !== null && until > time ? userIndex.add(owner, key, until) : undefined,
        previousOwner !== null && previousOwner !== owner
          ? userIndex.remove(previousOwner, key)
          : undefined,
      ]);
      return true;
    },

    async rotate(oldKey, newKey, record) {
      if (oldKey === newKey) {
        throw new TypeError('redis store: rotate() needs a new key different from the old one.');
      }
      // Encoded before any await: later changes to the caller's object are not seen.
      const fields = encodeFields(record.data);
      const time = now();
      const until = dropAt(record.expiresAt);
      const owner = record.userId;
      const listed = owner !== null && until > time;
      const args = recordArguments(time, until, record, fields);
      const oldSession = keys.session(oldKey);
      const newSession = keys.session(newKey);
      // Listed before the write that gives the new key its owner: the list may
      // hold too much, never too little (see user-index.ts).
      if (listed) await userIndex.add(owner, newKey, until);
      let outcome: unknown;
      if (!isCluster) {
        // Issue 10: the check of the old record and the move are one script, so
        // a logout (destroy, destroyUserSessions) runs wholly before (and the
        // rotation answers false) or wholly after (and meets the new key).
        outcome = await runScriptOnKeys(connection, ROTATE_SCRIPT, [oldSession, newSession], args);
        if (Number((outcome as unknown[] | undefined)?.[0]) === 2) throw newKeyTaken(newKey);
      } else {
        // The two hashes are in two slots (each hash-tagged by its own key, so
        // that a session's keys share one slot), and no script may span two
        // slots. What stays atomic: the new record is written first, under a
        // key no one else knows (a fresh id, not yet sent in a cookie); then one
        // script on the old slot checks the old record is live and deletes it.
        // That claim decides: if a logout came first the rotation answers false
        // and the new record is removed; if it comes after, it finds nothing
        // left under the old key. Two rotations of one key: one claim wins.
        if (Number(await runScript(connection, CREATE_SCRIPT, newSession, args)) !== 1) {
          throw newKeyTaken(newKey);
        }
        try {
          outcome = await runScript(connection, CLAIM_SCRIPT, oldSession, [encodeTime(time)]);
        } catch (error) {
          // The claim may or may not have landed: without the new record the
          // session ends (the user signs in again) rather than lives twice.
          await runScript(connection, DESTROY_SCRIPT, newSession, []).catch(() => undefined);
          throw error;
        }
        if (Number((outcome as unknown[] | undefined)?.[0]) !== 1) {
          await runScript(connection, DESTROY_SCRIPT, newSession, []);
        }
      }
      const [done, previous] = Array.isArray(outcome) ? outcome : [];
      if (Number(done) !== 1) return false;
      await Promise.all([
        // Again after the write, to extend the list's TTL (as create does).
        listed ? userIndex.add(owner, newKey, until) : undefined,
        previous === undefined || previous === null
          ? undefined
          : userIndex.remove(String(previous), oldKey),
      ]);
      return true;
    },

    async touch(key, expiresAt) {
      const time = now();
      const until = dropAt(expiresAt);
      const reply = await runScript(connection, TOUCH_SCRIPT, keys.session(key), [
        encodeTime(time),
        encodeTime(expiresAt),
        encodeTime(until),
      ]);
      const [done, owner] = Array.isArray(reply) ? reply : [];
      if (Number(done) !== 1) return false;
      // Keeps the owner's list alive as long as the session it lists.
      if (owner !== undefined && owner !== null && until > time) {
        await userIndex.add(String(owner), key, until);
      }
      return true;
    },

    async destroy(key) {
      const reply = await runScript(connection, DESTROY_SCRIPT, keys.session(key), []);
      const [, owner] = Array.isArray(reply) ? reply : [];
      if (owner !== undefined && owner !== null) await userIndex.remove(String(owner), key);
    },

    clearExpired(clearOptions = {}) {
      return clearExpiredRecords(connection, keys, userIndex, now(), clearOptions);
    },

    listUserSessions(userId) {
      return userIndex.list(userId, now());
    },

    destroyUserSessions(userId, destroyOptions = {}) {
      return userIndex.destroy(userId, destroyOptions.exceptKey, now());
    },

    listSessions: listings.listSessions,
    pageSessions: listings.pageSessions,
    countSessions: listings.countSessions,
    describeSessions: listings.describeSessions,

    stats() {
      return collectStats(connection, keys, now());
    },

    ready() {
      return checkReady(connection, keys, isCluster);
    },

    close() {
      return connection.close();
    },
  };
}

/** The link through the kind of client the options give: ioredis's, or node-redis's. */
function openConnection(resolved: ResolvedRedisStoreOptions): RedisConnection {
  const { target } = resolved;
  return target.kind === 'ioredis'
    ? createIoRedisConnection(target.client, resolved)
    : createRedisConnection({ ...resolved, target });
}

/** The error of a rotation onto a key that holds a live session (never a fresh id's digest). */
function newKeyTaken(newKey: string): Error {
  return new Error(
    `redis store: rotate() was given a new key (${newKey}) that holds a live session; nothing was changed.`,
  );
}

/** The arguments the create and rotate scripts take for a new record, in their order. */
function recordArguments(
  time: number,
  until: number,
  record: SessionRecord,
  fields: readonly string[],
): string[] {
  const owner = record.userId;
  return [
    encodeTime(time),
    encodeTime(record.expiresAt),
    encodeTime(until),
    encodeTime(record.createdAt),
    owner === null ? '0' : '1',
    owner ?? '',
    ...fields,
  ];
}
