/**
 * A durable session store with a cache in front: Django's `cached_db`. Reads
 * come from the cache when it holds the session; every write goes to the
 * durable store first and then **removes** the cached copy, so the next read
 * fills the cache again from the durable store.
 *
 * Why remove rather than apply the same delta to the cache: two parallel
 * writes of one key reach the durable store in one order and may reach the
 * cache in the other; the cache would then keep the older value for good.
 * Removing is the same operation whatever the order. A fill that raced a
 * write is skipped (`fill-guard.ts`), and a copy whose removal failed is never
 * served (it is removed again first). See `docs/store-cached.md`.
 *
 * Built on the `SessionStore` interface only: any store can be the cache
 * (memory, Redis) or the durable store (SQLite, PostgreSQL, files, …).
 *
 * @module tessera-session/stores/cached
 */

import { SessionConfigError } from '../../core/errors.js';
import type {
  AsyncSessionStoreWith,
  Awaitable,
  ClearExpiredOptions,
  CountSessionsOptions,
  DescribeSessionsOptions,
  ListSessionsOptions,
  PageSessionsOptions,
  SessionRecord,
  SessionStore,
  UserSessionInfo,
} from '../../core/store.js';
import { SessionCacheError } from './cache-error.js';
import { createFillGuard } from './fill-guard.js';
import { type CachedStoreOptions, resolveCachedStoreOptions } from './options.js';

export { SessionCacheError } from './cache-error.js';
export {
  type CachedStoreOptions,
  DEFAULT_CACHED_STORE_OPTIONS,
  type ResolvedCachedStoreOptions,
} from './options.js';

/**
 * Options of {@link CachedStore.clearExpired}, passed on to the durable store.
 *
 * @deprecated Use `ClearExpiredOptions` from `tessera-session`, the one type
 *   every store's `clearExpired` takes.
 */
export type CachedClearExpiredOptions = ClearExpiredOptions;

/**
 * A session store reading through a cache. Every method answers with a
 * promise. `listUserSessions`, `destroyUserSessions`, `listSessions`,
 * `pageSessions`, `countSessions`, `describeSessions` and `stats` are present
 * when the durable store has them (listings ask it, the source of truth: the
 * cache holds only some copies), `ready` when either store has it.
 */
export interface CachedStore extends AsyncSessionStoreWith<'close'> {
  /** The cache, as given. Reading it directly is fine; never write to it. */
  readonly cache: SessionStore;
  /** The durable store, as given. Write to it only through the cached store. */
  readonly store: SessionStore;
  /** The durable store's `rotate`, then both keys' cached copies removed. */
  rotate(oldKey: string, newKey: string, record: SessionRecord): Promise<boolean>;
  /** The durable store's `clearExpired` (with `options`), then the cache's; answers the durable count. */
  clearExpired(options?: ClearExpiredOptions): Promise<number>;
  /** Closes both stores, unless `closeInner` is `false`. */
  close(): Promise<void>;
}

/**
 * Creates a store that reads `cache` first and writes `store` first.
 *
 * @throws SessionConfigError when `cache` or `store` is missing or not a
 *   store, when they are the same store, or when another option is invalid.
 */
export function createCachedStore(options: CachedStoreOptions): CachedStore {
  const { cache, store, closeInner, onError } = resolveCachedStoreOptions(options);
  const rotateDurably = store.rotate?.bind(store);
  if (typeof rotateDurably !== 'function') {
    // Issue 10: without an atomic rotate, a cycled session could outlive a concurrent logout.
    throw new SessionConfigError(
      `createCachedStore(): option "store" (${store.name}) has no rotate() method, which session stores must have. See docs/stores.md.`,
    );
  }
  const guard = createFillGuard();
  // Keys whose cached copy could not be removed after a write: that copy may
  // be stale, so it is removed again before the key is served from the cache.
  const unsure = new Set<string>();

  /** Runs a cache operation; a failure goes to `onError` and answers `undefined`. */
  async function tryCache<T>(
    operation: string,
    consequence: string,
    run: () => Awaitable<T>,
  ): Promise<{ value: T } | undefined> {
    try {
      return { value: await run() };
    } catch (error) {
      try {
        onError(new SessionCacheError(cache.name, operation, consequence, error));
      } catch {
        // A failing error handler must not fail the request either.
      }
      return undefined;
    }
  }

  /** Removes the cached copy of `key`; answers whether the cache is now sure not to hold it. */
  async function invalidate(key: string): Promise<boolean> {
    const removed = await tryCache(
      'destroy',
      'its copy of the session is bypassed until it can be removed',
      () => cache.destroy(key),
    );
    if (removed === undefined) {
      unsure.add(key);
      return false;
    }
    unsure.delete(key);
    return true;
  }

  /** Writes `key` to the durable store first, then removes the cached copy. */
  async function writeThrough<T>(key: string, write: () => Awaitable<T>): Promise<T> {
    const writeDone = guard.beginWrite(key);
    try {
      // A durable store failure rejects (the request gets a 503)…
      return await write();
    } finally {
      // …and the copy is removed even then: the write may have landed anyway.
      await invalidate(key);
      writeDone();
    }
  }

  const listUserSessions = store.listUserSessions?.bind(store);
  const destroyUserSessions = store.destroyUserSessions?.bind(store);
  const stats = store.stats?.bind(store);
  // Listed from the durable store, the source of truth: the cache holds only some copies.
  const listSessions = store.listSessions?.bind(store);
  const pageSessions = store.pageSessions?.bind(store);
  const countSessions = store.countSessions?.bind(store);
  const describeSessions = store.describeSessions?.bind(store);

  const cachedStore: CachedStore = {
    name: `cached-${store.name}`,
    cache,
    store,

    async read(key) {
      if (unsure.has(key) && !(await invalidate(key))) {
        // The cache may hold a copy older than a write: answer from the durable store only.
        return store.read(key);
      }
      const cached = await tryCache('read', 'the durable store answered instead', () =>
        cache.read(key),
      );
      if (cached !== undefined && cached.value !== null) return cached.value;
      const ticket = guard.beginFill(key);
      try {
        const record = await store.read(key);
        // No fill after a cache failure (it would most likely fail too), nor
        // when a write of this key ran meanwhile. `create` never replaces: a
        // copy that appeared since our miss came from a fill as recent as ours.
        if (record !== null && cached !== undefined && ticket.mayFill) {
          await tryCache('create', 'the session was not cached', () => cache.create(key, record));
        }
        return record;
      } finally {
        ticket.end();
      }
    },

    create(key, record) {
      return writeThrough(key, () => store.create(key, record));
    },

    update(key, delta) {
      // A false answer (missing or expired: a concurrent logout) removes the copy too.
      return writeThrough(key, () => store.update(key, delta));
    },

    async rotate(oldKey, newKey, record) {
      // Both keys: a fill of either must not put back what the rotation changed.
      const oldDone = guard.beginWrite(oldKey);
      const newDone = guard.beginWrite(newKey);
      try {
        // The durable store decides, atomically (a concurrent logout wins there).
        return await rotateDurably(oldKey, newKey, record);
      } finally {
        // Removed even after a failure: the rotation may have landed anyway.
        await Promise.all([invalidate(oldKey), invalidate(newKey)]);
        oldDone();
        newDone();
      }
    },

    touch(key, expiresAt) {
      return writeThrough(key, () => store.touch(key, expiresAt));
    },

    destroy(key) {
      return writeThrough(key, () => store.destroy(key));
    },

    async clearExpired(clearOptions) {
      const removed = await store.clearExpired(clearOptions);
      await tryCache('clearExpired', 'the cache drops expired copies on its own', () =>
        cache.clearExpired(),
      );
      return removed;
    },

    // Wrapped: a synchronous durable store (SQLite) answers values, and every method here answers a promise.
    ...(listUserSessions === undefined
      ? {}
      : { listUserSessions: async (userId: string) => listUserSessions(userId) }),

    ...(destroyUserSessions === undefined
      ? {}
      : {
          async destroyUserSessions(userId: string, destroyOptions?: { exceptKey?: string }) {
            // The keys are not all known in advance (a session may change hands
            // meanwhile), so every fill in progress is skipped.
            const writeDone = guard.beginWriteOfAll();
            let listed: UserSessionInfo[] = [];
            try {
              if (listUserSessions !== undefined) listed = await listUserSessions(userId);
              return await destroyUserSessions(userId, destroyOptions);
            } finally {
              const except = destroyOptions?.exceptKey;
              await Promise.all(
                listed.filter(({ key }) => key !== except).map(({ key }) => invalidate(key)),
              );
              // Copies the listing could not name are found by owner, if the cache can.
              if (cache.destroyUserSessions !== undefined) {
                await tryCache('destroyUserSessions', 'copies are removed by key only', () =>
                  cache.destroyUserSessions!(userId, destroyOptions),
                );
              }
              writeDone();
            }
          },
        }),

    ...(listSessions === undefined
      ? {}
      : { listSessions: async (listOptions: ListSessionsOptions) => listSessions(listOptions) }),

    ...(pageSessions === undefined
      ? {}
      : { pageSessions: async (pageOptions: PageSessionsOptions) => pageSessions(pageOptions) }),

    ...(countSessions === undefined
      ? {}
      : {
          countSessions: async (countOptions?: CountSessionsOptions) => countSessions(countOptions),
        }),

    ...(describeSessions === undefined
      ? {}
      : {
          describeSessions: async (describeOptions: DescribeSessionsOptions) =>
            describeSessions(describeOptions),
        }),

    ...(stats === undefined ? {} : { stats: async () => stats() }),

    ...(cache.ready === undefined && store.ready === undefined
      ? {}
      : {
          async ready() {
            // A misconfigured cache is a developer mistake too: fail fast at startup.
            await Promise.all([cache.ready?.(), store.ready?.()]);
          },
        }),

    async close() {
      if (!closeInner) return;
      const results = await Promise.allSettled([
        (async () => cache.close?.())(),
        (async () => store.close?.())(),
      ]);
      for (const result of results) if (result.status === 'rejected') throw result.reason;
    },
  };
  return cachedStore;
}
