/**
 * Any express-session store as a Tessera store.
 *
 * @module
 */

import {
  type AsyncSessionStore,
  applyDelta,
  type CountSessionsOptions,
  type DescribeSessionsOptions,
  type ListSessionsOptions,
  type PageSessionsOptions,
  type SessionDelta,
  type SessionListOrder,
  type SessionOverview,
  type SessionPage,
  type SessionRecord,
  type SessionSummary,
  type StoreStats,
  type UserSessionInfo,
} from '../../core/index.js';
import { collectSessionPage } from '../collect-session-page.js';
import { resolveListSessionsOptions } from '../list-sessions-options.js';
import {
  nextCursorOf,
  resolveCountSessionsOptions,
  resolveDescribeSessionsOptions,
  resolvePageSessionsOptions,
  type SessionPosition,
} from '../page-sessions-options.js';
import { accumulateSessionOverview } from '../session-overview.js';
import { listAllRecords } from './all-records.js';
import { callStore } from './call-store.js';
import { createKeyQueue } from './key-queue.js';
import { type ExpressSessionBridgeOptions, resolveExpressSessionBridgeOptions } from './options.js';
import { type DecodedRecord, decodeExpressRecord, encodeExpressRecord } from './record-mapping.js';
import { checkExpressSessionStore, type ExpressSessionStoreLike } from './store-like.js';

/** How often `listSessions` reports progress, in records examined. */
const PROGRESS_EVERY = 1000;

/**
 * A Tessera store over an express-session store. Every method answers a
 * promise. `listUserSessions`, `destroyUserSessions`, `listSessions`,
 * `pageSessions`, `countSessions`, `describeSessions` and `stats` are present
 * only when the express-session store has `all()`, and scan every record
 * (O(n)); `all()` answers every record at once, so their memory is O(n) too,
 * not bounded by a page's `limit`; `close` is absent, since closing the
 * express-session store (and its client) is its owner's job.
 */
export interface ExpressSessionBridgeStore extends AsyncSessionStore {
  /** The express-session store records are read from and written to. */
  readonly expressStore: ExpressSessionStoreLike;
  /** Answers 0: the express-session store expires its own records (TTL, its own pruning). */
  clearExpired(): Promise<number>;
}

/** The name of a store, from its class: `express-session:RedisStore`. */
function storeName(store: object): string {
  const constructorName = (store as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof constructorName === 'string' &&
    constructorName !== '' &&
    constructorName !== 'Object'
    ? `express-session:${constructorName}`
    : 'express-session:store';
}

/**
 * Turns any express-session store (connect-redis, connect-pg-simple,
 * memorystore, connect-mongo, …) into a Tessera store, usable with every
 * adapter. Keys are used as the store's sids as they are.
 *
 * The express-session store writes whole records, so `create`, `update`,
 * `rotate` and `touch` read, then write. What is kept:
 * - no resurrection: `update`, `rotate` and `touch` answer `false` and write
 *   nothing when the record is missing or expired;
 * - within this process, the writes of one key run one after the other, so two
 *   overlapping requests setting different keys both persist, and a slow
 *   request cannot write back a session destroyed meanwhile.
 *
 * What is lost: across processes, a write landing between another process's
 * read and write is overwritten (no atomic deltas), and a destroy in that window
 * is undone; the per-user index is an O(n) scan of `all()` (absent without
 * it); `clearExpired` answers 0. See `docs/store-express-session.md`.
 *
 * ```ts
 * import { RedisStore } from 'connect-redis';
 * const store = fromExpressSessionStore(new RedisStore({ client }));
 * ```
 *
 * @throws SessionConfigError when `store` is not an express-session store
 *   (naming the missing methods) or an option is unknown; RangeError or
 *   TypeError when an option's value is invalid.
 */
export function fromExpressSessionStore(
  store: ExpressSessionStoreLike,
  options: ExpressSessionBridgeOptions = {},
): ExpressSessionBridgeStore {
  checkExpressSessionStore(store);
  const { defaultTtl, now } = resolveExpressSessionBridgeOptions(options);
  const name = storeName(store);
  const queue = createKeyQueue();
  const defaultTtlMs = defaultTtl * 1000;

  const get = (sid: string): Promise<unknown> =>
    callStore<unknown>(`${name}: get()`, (callback) => store.get(sid, callback)).catch(
      (error: unknown) => {
        // express-session treats ENOENT from get() as "not found" (index.js, inflate).
        if ((error as { code?: unknown } | null)?.code === 'ENOENT') return null;
        throw error;
      },
    );
  const set = async (sid: string, record: Record<string, unknown>): Promise<void> => {
    await callStore(`${name}: set()`, (callback) => store.set(sid, record as never, callback));
  };
  const remove = async (sid: string): Promise<void> => {
    await callStore(`${name}: destroy()`, (callback) => store.destroy(sid, callback));
  };
  const decode = (raw: unknown): DecodedRecord | null =>
    decodeExpressRecord(raw, { now: now(), defaultTtlMs });
  const readLive = async (sid: string): Promise<DecodedRecord | null> => decode(await get(sid));
  const write = (sid: string, record: SessionRecord, previous: DecodedRecord | null) =>
    set(sid, encodeExpressRecord(record, previous?.cookie, now));

  const bridge: ExpressSessionBridgeStore = {
    name,
    expressStore: store,

    async read(key: string): Promise<SessionRecord | null> {
      return (await readLive(key))?.record ?? null;
    },

    create(key: string, record: SessionRecord): Promise<boolean> {
      return queue.run([key], async () => {
        // Never adopt: a live record under the key is left as it is.
        if ((await readLive(key)) !== null) return false;
        await write(key, record, null);
        return true;
      });
    },

    update(key: string, delta: SessionDelta): Promise<boolean> {
      return queue.run([key], async () => {
        const current = await readLive(key);
        // No resurrection: a session destroyed (or expired) meanwhile is not written back.
        if (current === null) return false;
        const { record } = current;
        await write(
          key,
          {
            data: applyDelta(record.data, delta),
            expiresAt: delta.expiresAt,
            createdAt: record.createdAt,
            userId: delta.userId === undefined ? record.userId : delta.userId,
          },
          current,
        );
        return true;
      });
    },

    rotate(oldKey: string, newKey: string, record: SessionRecord): Promise<boolean> {
      return queue.run([oldKey, newKey], async () => {
        const current = await readLive(oldKey);
        if (current === null) return false;
        if ((await readLive(newKey)) !== null) return false;
        await write(newKey, record, current);
        await remove(oldKey);
        return true;
      });
    },

    touch(key: string, expiresAt: number): Promise<boolean> {
      return queue.run([key], async () => {
        const current = await readLive(key);
        if (current === null) return false;
        // set(), not the store's touch(): connect-redis's touch is EXPIRE and
        // connect-pg-simple's updates its expire column, neither rewrites
        // cookie.expires, which is the only expiry this bridge can read back.
        await write(key, { ...current.record, expiresAt }, current);
        return true;
      });
    },

    destroy(key: string): Promise<void> {
      return queue.run([key], () => remove(key));
    },

    async clearExpired(): Promise<number> {
      return 0;
    },
  };

  const { all } = store;
  if (typeof all === 'function') {
    const storeWithAll = store as ExpressSessionStoreLike &
      Required<Pick<ExpressSessionStoreLike, 'all'>>;
    /** Every live record with its sid, from one all(). */
    const listLive = async (): Promise<{ sid: string; record: SessionRecord }[]> => {
      const live: { sid: string; record: SessionRecord }[] = [];
      for (const { sid, raw } of await listAllRecords(storeWithAll, name)) {
        const decoded = decode(raw);
        if (decoded !== null) live.push({ sid, record: decoded.record });
      }
      return live;
    };

    bridge.listUserSessions = async (userId: string): Promise<UserSessionInfo[]> =>
      (await listLive())
        .filter(({ record }) => record.userId === userId)
        .map(({ sid, record }) => ({
          key: sid,
          createdAt: record.createdAt,
          expiresAt: record.expiresAt,
          data: record.data,
        }))
        .sort((a, b) => a.createdAt - b.createdAt);

    bridge.destroyUserSessions = async (
      userId: string,
      destroyOptions: { exceptKey?: string } = {},
    ): Promise<number> => {
      const doomed = (await listLive()).filter(
        ({ sid, record }) => record.userId === userId && sid !== destroyOptions.exceptKey,
      );
      await Promise.all(doomed.map(({ sid }) => bridge.destroy(sid)));
      return doomed.length;
    };

    /** The first `limit` live sessions after `after` in `order`, from one all(). */
    const collectPage = async (
      limit: number,
      order: SessionListOrder,
      after: SessionPosition | undefined,
      userId: string | undefined,
      onProgress: (examined: number) => void,
    ): Promise<SessionSummary[]> => {
      const records = await listAllRecords(storeWithAll, name);
      const page = collectSessionPage<SessionSummary>(limit, order, after);
      for (const [index, { sid, raw }] of records.entries()) {
        if ((index + 1) % PROGRESS_EVERY === 0) onProgress(index + 1);
        const record = decode(raw)?.record;
        if (record === undefined || (userId !== undefined && record.userId !== userId)) continue;
        page.offer({ key: sid, ...record });
      }
      onProgress(records.length);
      return page.list();
    };

    bridge.listSessions = async (listOptions: ListSessionsOptions): Promise<SessionSummary[]> => {
      const { limit, userId, onProgress } = resolveListSessionsOptions(name, listOptions);
      // The first page by creation, without pageSessions()'s bound on limit.
      return collectPage(limit, 'created', undefined, userId, onProgress);
    };

    bridge.pageSessions = async (pageOptions: PageSessionsOptions): Promise<SessionPage> => {
      const { limit, after, order, userId, onProgress } = resolvePageSessionsOptions(
        name,
        pageOptions,
      );
      const sessions = await collectPage(limit, order, after, userId, onProgress);
      return { sessions, nextCursor: nextCursorOf(sessions, limit, order) };
    };

    bridge.countSessions = async (countOptions?: CountSessionsOptions): Promise<number> => {
      const { userId } = resolveCountSessionsOptions(name, countOptions);
      const live = await listLive();
      return userId === undefined
        ? live.length
        : live.filter(({ record }) => record.userId === userId).length;
    };

    bridge.describeSessions = async (
      describeOptions: DescribeSessionsOptions,
    ): Promise<SessionOverview> => {
      const resolved = resolveDescribeSessionsOptions(name, describeOptions);
      const overview = accumulateSessionOverview(resolved, now());
      for (const { record } of await listLive()) {
        overview.add({
          userId: record.userId,
          createdAt: record.createdAt,
          expiresAt: record.expiresAt,
          bytes: Buffer.byteLength(JSON.stringify(record.data), 'utf8'),
        });
      }
      return overview.result();
    };

    bridge.stats = async (): Promise<StoreStats> => {
      const stats: StoreStats = { count: 0, expired: 0, bytes: 0 };
      for (const { raw } of await listAllRecords(storeWithAll, name)) {
        stats.count += 1;
        const decoded = decode(raw);
        if (decoded === null) stats.expired += 1;
        else stats.bytes += Buffer.byteLength(JSON.stringify(decoded.record.data), 'utf8');
      }
      return stats;
    };
  }

  return bridge;
}
