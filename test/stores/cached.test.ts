import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { describe, expect, it, vi } from 'vitest';
import { SessionConfigError } from '../../src/core/errors.js';
import type { Awaitable, SessionDelta, SessionRecord, SessionStore } from '../../src/core/store.js';
import {
  type CachedStore,
  type CachedStoreOptions,
  createCachedStore,
  DEFAULT_CACHED_STORE_OPTIONS,
  SessionCacheError,
} from '../../src/stores/cached/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { createRedisStore } from '../../src/stores/redis/index.js';
import { createSqliteStore, type SqliteStore } from '../../src/stores/sqlite/index.js';
import { countCalls } from '../core/counting-store.js';
import { isCi, probeServer, SERVER_URLS } from '../helpers/servers.js';
import { describeStoreConformance } from './conformance.js';

/**
 * The caches the cached store is tested with. Another cache (the Redis store)
 * joins by adding an entry; gate it with `probeServer` from `../helpers/servers.js`.
 */
interface CacheVariant {
  name: string;
  /** A fresh, empty cache; `cleanup` runs after the block when given. */
  open(): Promise<{ cache: SessionStore; cleanup?: () => Awaitable<void> }>;
}

const CACHES: CacheVariant[] = [
  { name: 'memory', open: async () => ({ cache: createMemoryStore() }) },
];

// Django's usual setup: Redis as the cache in front of the database.
const redis = await probeServer('redis', SERVER_URLS.redis);
if (redis.available || isCi()) {
  CACHES.push({
    name: 'redis',
    open: async () => {
      const prefix = `tessera-cached-${randomBytes(4).toString('hex')}:`;
      const cache = createRedisStore({ url: SERVER_URLS.redis, prefix });
      return {
        cache,
        cleanup: async () => {
          const raw = createClient({ url: SERVER_URLS.redis });
          await raw.connect();
          for await (const keys of raw.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
            if (keys.length > 0) await raw.del(keys);
          }
          await raw.close();
          await cache.close();
        },
      };
    },
  });
} else {
  describe.skip(`cached store with a Redis cache — skipped, ${redis.reason}`, () => {
    it('runs the conformance suite with Redis as the cache', () => {});
  });
}

const MINUTE = 60_000;

function randomKey(): string {
  return randomBytes(32).toString('hex');
}

function liveRecord(data: SessionRecord['data'], fields: Partial<SessionRecord> = {}) {
  const now = Date.now();
  return { data, createdAt: now, expiresAt: now + MINUTE, userId: null, ...fields };
}

function setDelta(set: SessionDelta['set'], fields: Partial<SessionDelta> = {}): SessionDelta {
  return { set, remove: [], expiresAt: Date.now() + MINUTE, ...fields };
}

/** A real store that also appends `<label>.<method>` to `log` when each call starts. */
function recordCalls(store: SessionStore, label: string, log: string[]): SessionStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        log.push(`${label}.${property}`);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** A cache whose every method fails, synchronously (`throws`) or by rejecting. */
function brokenCache(how: 'throws' | 'rejects'): SessionStore {
  const fail = (): never => {
    throw new Error('cache unreachable');
  };
  const method = how === 'throws' ? fail : async () => fail();
  return {
    name: 'broken',
    read: method,
    create: method,
    update: method,
    rotate: method,
    touch: method,
    destroy: method,
    clearExpired: method,
    destroyUserSessions: method,
  };
}

for (const variant of CACHES) {
  describeStoreConformance(`cached (${variant.name} cache over sqlite)`, async () => {
    const { cache, cleanup } = await variant.open();
    const store = createCachedStore({ cache, store: createSqliteStore({ path: ':memory:' }) });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await cleanup?.();
      },
    };
  });

  describe(`createCachedStore() with a ${variant.name} cache`, () => {
    /** A cached store over an in-memory SQLite store; `durable` counts the calls that reach it. */
    async function setup(extra: Partial<CachedStoreOptions> = {}) {
      const { cache, cleanup } = await variant.open();
      const sqlite = createSqliteStore({ path: ':memory:' });
      const durable = countCalls(sqlite);
      const errors: unknown[] = [];
      const store = createCachedStore({
        cache,
        store: durable.store,
        onError: (error) => errors.push(error),
        ...extra,
      });
      const close = async () => {
        await store.close();
        await cleanup?.();
      };
      return { store, cache, sqlite, calls: durable.calls, errors, close };
    }

    it('serves a read from the cache without touching the durable store', async () => {
      const { store, calls, errors, close } = await setup();
      const key = randomKey();
      await store.create(key, liveRecord({ cart: ['book'] }));

      expect((await store.read(key))?.data).toEqual({ cart: ['book'] });
      const readsAfterFill = calls.read ?? 0;
      const again = await store.read(key);
      const third = await store.read(key);

      expect(again?.data).toEqual({ cart: ['book'] });
      expect(third).not.toBe(again);
      expect(calls.read).toBe(readsAfterFill);
      expect(errors).toEqual([]);
      await close();
    });

    it('answers null for an unknown key without caching anything', async () => {
      const { store, cache, close } = await setup();
      const key = randomKey();

      expect(await store.read(key)).toBeNull();

      expect(await cache.read(key)).toBeNull();
      await close();
    });

    it('sends every write to the durable store before it touches the cache', async () => {
      const log: string[] = [];
      const { cache, cleanup } = await variant.open();
      const sqlite = createSqliteStore({ path: ':memory:' });
      const store = createCachedStore({
        cache: recordCalls(cache, 'cache', log),
        store: recordCalls(sqlite, 'store', log),
      });
      const key = randomKey();
      const steps: Array<[string, () => Promise<unknown>]> = [
        ['create', () => store.create(key, liveRecord({ a: 1 }))],
        ['update', () => store.update(key, setDelta({ b: 2 }))],
        ['touch', () => store.touch(key, Date.now() + 2 * MINUTE)],
        ['destroy', () => store.destroy(key)],
      ];

      for (const [method, step] of steps) {
        log.length = 0;
        await step();
        expect(log).toEqual([`store.${method}`, 'cache.destroy']);
      }
      await store.close();
      await cleanup?.();
    });

    it('never serves data older than a write that succeeded', async () => {
      const { store, close } = await setup();
      const key = randomKey();
      await store.create(key, liveRecord({ theme: 'light' }));
      await store.read(key);

      await store.update(key, setDelta({ theme: 'dark' }));
      expect((await store.read(key))?.data).toEqual({ theme: 'dark' });

      await store.touch(key, Date.now() + 5 * MINUTE);
      const touched = await store.read(key);
      expect(touched?.expiresAt).toBeGreaterThan(Date.now() + 4 * MINUTE);
      await close();
    });

    it('keeps the last of parallel writes of one key, as the durable store does', async () => {
      const { store, sqlite, close } = await setup();
      const key = randomKey();
      await store.create(key, liveRecord({ counter: -1 }));

      await Promise.all(
        Array.from({ length: 20 }, async (_, index) => {
          await store.read(key);
          await store.update(key, setDelta({ counter: index, [`key${index}`]: index }));
          await store.read(key);
        }),
      );

      expect((await store.read(key))?.data).toEqual(sqlite.read(key)?.data);
      await close();
    });

    it('does not cache what a read fetched while a write of the same key ran', async () => {
      const { cache, cleanup } = await variant.open();
      const sqlite = createSqliteStore({ path: ':memory:' });
      let gate: Promise<void> | undefined;
      let openGate: () => void = () => {};
      // The real store, with the next read held back after it has read: its answer predates the write.
      const slowReads = Object.assign(Object.create(sqlite) as SqliteStore, {
        read: async (key: string) => {
          const record = sqlite.read(key);
          const held = gate;
          gate = undefined;
          await held;
          return record;
        },
      });
      const store = createCachedStore({ cache, store: slowReads });
      const key = randomKey();
      await store.create(key, liveRecord({ user: 'ann' }));
      gate = new Promise<void>((resolve) => {
        openGate = resolve;
      });

      const slowRead = store.read(key);
      // The cache miss takes a round trip on a networked cache: wait until the store was read.
      await vi.waitFor(() => expect(gate).toBeUndefined());
      await store.update(key, setDelta({ user: null }));
      openGate();

      // The read began before the write: it may answer the old data, but must not cache it.
      expect((await slowRead)?.data).toEqual({ user: 'ann' });
      expect(await cache.read(key)).toBeNull();
      expect((await store.read(key))?.data).toEqual({ user: null });
      expect((await cache.read(key))?.data).toEqual({ user: null });
      await store.close();
      await cleanup?.();
    });

    it('never serves a destroyed session from the cache', async () => {
      const { store, cache, close } = await setup();
      const key = randomKey();
      await store.create(key, liveRecord({ user: 'ann' }));
      expect(await store.read(key)).not.toBeNull();

      await store.destroy(key);

      expect(await store.read(key)).toBeNull();
      expect(await cache.read(key)).toBeNull();
      expect(await store.update(key, setDelta({ late: true }))).toBe(false);
      expect(await store.read(key)).toBeNull();
      await close();
    });

    it('rotates in the durable store and serves neither key from a stale copy', async () => {
      const { store, cache, sqlite, close } = await setup();
      const [oldKey, newKey] = [randomKey(), randomKey()];
      await store.create(oldKey, liveRecord({ user: null }));
      expect(await store.read(oldKey)).not.toBeNull();
      expect(await cache.read(oldKey)).not.toBeNull();

      expect(
        await store.rotate(oldKey, newKey, liveRecord({ user: 'ann' }, { userId: 'ann' })),
      ).toBe(true);

      expect(await cache.read(oldKey)).toBeNull();
      expect(await store.read(oldKey)).toBeNull();
      expect(sqlite.read(newKey)?.data).toEqual({ user: 'ann' });
      expect((await store.read(newKey))?.data).toEqual({ user: 'ann' });
      await close();
    });

    it('answers false after a logout, leaving nothing in the cache either (issue 10)', async () => {
      const { store, cache, close } = await setup();
      const [oldKey, newKey] = [randomKey(), randomKey()];
      await store.create(oldKey, liveRecord({ user: 'ann' }, { userId: 'ann' }));
      await store.read(oldKey);
      await store.destroyUserSessions?.('ann');

      expect(
        await store.rotate(oldKey, newKey, liveRecord({ user: 'ann' }, { userId: 'ann' })),
      ).toBe(false);

      expect(await store.read(oldKey)).toBeNull();
      expect(await store.read(newKey)).toBeNull();
      expect(await cache.read(newKey)).toBeNull();
      await close();
    });

    it('removes the user’s cached copies in destroyUserSessions, keeping exceptKey', async () => {
      const { store, cache, close } = await setup();
      const current = randomKey();
      const other = randomKey();
      await store.create(current, liveRecord({ device: 'laptop' }, { userId: 'ann' }));
      await store.create(other, liveRecord({ device: 'phone' }, { userId: 'ann' }));
      await store.read(current);
      await store.read(other);

      expect(await store.destroyUserSessions?.('ann', { exceptKey: current })).toBe(1);

      expect(await store.read(other)).toBeNull();
      expect(await cache.read(other)).toBeNull();
      expect((await store.read(current))?.data).toEqual({ device: 'laptop' });
      await close();
    });

    it('never serves a copy it failed to remove, and uses the cache again once it recovers', async () => {
      const { cache, cleanup } = await variant.open();
      let destroyFails = false;
      const flaky = Object.assign(Object.create(cache) as SessionStore, {
        destroy: (key: string) => {
          if (destroyFails) throw new Error('cache unreachable');
          return cache.destroy(key);
        },
      });
      const durable = countCalls(createSqliteStore({ path: ':memory:' }));
      const errors: unknown[] = [];
      const store = createCachedStore({
        cache: flaky,
        store: durable.store,
        onError: (error) => errors.push(error),
      });
      const key = randomKey();
      await store.create(key, liveRecord({ step: 1 }));
      await store.read(key);

      destroyFails = true;
      expect(await store.update(key, setDelta({ step: 2 }))).toBe(true);
      expect((await store.read(key))?.data).toEqual({ step: 2 });
      expect(errors.length).toBeGreaterThanOrEqual(2);

      destroyFails = false;
      expect((await store.read(key))?.data).toEqual({ step: 2 });
      const reads = durable.calls.read ?? 0;
      expect((await store.read(key))?.data).toEqual({ step: 2 });
      expect(durable.calls.read).toBe(reads);
      await store.close();
      await cleanup?.();
    });

    it('passes clearExpired options to the durable store and clears the cache too', async () => {
      const { store, cache, close } = await setup();
      const expired = randomKey();
      await store.create(expired, { data: {}, createdAt: 0, expiresAt: 1, userId: null });
      await cache.create(expired, { data: {}, createdAt: 0, expiresAt: 1, userId: null });
      const progress: number[] = [];

      expect(await store.clearExpired({ onProgress: (count) => progress.push(count) })).toBe(1);

      expect(progress).toEqual([1]);
      expect((await cache.stats?.())?.count ?? 0).toBe(0);
      await close();
    });

    it('reports the durable store’s stats and lists its user sessions', async () => {
      const { store, sqlite, close } = await setup();
      await store.create(randomKey(), liveRecord({ a: 1 }, { userId: 'ann' }));

      expect(await store.stats?.()).toEqual(sqlite.stats());
      expect(await store.listUserSessions?.('ann')).toEqual(sqlite.listUserSessions('ann'));
      expect(store.name).toBe('cached-sqlite');
      await close();
    });
  });
}

describe('createCachedStore() with a failing cache', () => {
  it.each(['throws', 'rejects'] as const)(
    'carries on with the durable store when every cache call %s, reporting each failure',
    async (how) => {
      const errors: unknown[] = [];
      const durable = createSqliteStore({ path: ':memory:' });
      const store = createCachedStore({
        cache: brokenCache(how),
        store: durable,
        onError: (error) => errors.push(error),
      });
      const key = randomKey();

      expect(await store.create(key, liveRecord({ a: 1 }, { userId: 'ann' }))).toBe(true);
      expect((await store.read(key))?.data).toEqual({ a: 1 });
      expect(await store.update(key, setDelta({ b: 2 }))).toBe(true);
      expect(await store.touch(key, Date.now() + 2 * MINUTE)).toBe(true);
      expect((await store.read(key))?.data).toEqual({ a: 1, b: 2 });
      expect(await store.clearExpired()).toBe(0);
      expect(await store.destroyUserSessions?.('ann')).toBe(1);
      await store.destroy(key);
      expect(await store.read(key)).toBeNull();

      expect(errors.length).toBeGreaterThanOrEqual(8);
      for (const error of errors) {
        expect(error).toBeInstanceOf(SessionCacheError);
        expect((error as SessionCacheError).cache).toBe('broken');
        expect((error as Error).cause).toEqual(new Error('cache unreachable'));
      }
      expect((errors[0] as Error).message).toMatch(/Session cache "broken" failed during \w+/);
      await store.close();
    },
  );

  it('keeps serving requests when onError itself throws', async () => {
    const store = createCachedStore({
      cache: brokenCache('throws'),
      store: createSqliteStore({ path: ':memory:' }),
      onError: () => {
        throw new Error('logger down');
      },
    });
    const key = randomKey();

    expect(await store.create(key, liveRecord({ a: 1 }))).toBe(true);
    expect((await store.read(key))?.data).toEqual({ a: 1 });
    await store.close();
  });

  it('fails the request when the durable store fails, and still drops the cached copy', async () => {
    const cache = createMemoryStore();
    const sqlite = createSqliteStore({ path: ':memory:' });
    const store = createCachedStore({ cache, store: sqlite, closeInner: false });
    const key = randomKey();
    await store.create(key, liveRecord({ a: 1 }));
    await store.read(key);
    sqlite.close();

    await expect(store.update(key, setDelta({ b: 2 }))).rejects.toThrow();

    expect(cache.read(key)).toBeNull();
  });
});

describe('createCachedStore() and rotate()', () => {
  it('refuses a durable store without rotate(), naming it', () => {
    const sqlite = createSqliteStore({ path: ':memory:' });
    // A store written before rotate() joined the contract, passed from JavaScript.
    const { rotate: _rotate, ...withoutRotate } = sqlite;
    const old = { ...withoutRotate, name: 'old' } as unknown as SessionStore;

    expect(() => createCachedStore({ cache: createMemoryStore(), store: old })).toThrow(
      /option "store" \(old\) has no rotate\(\) method/,
    );
    sqlite.close();
  });

  it('does not cache what a read fetched while a rotation of the same key ran', async () => {
    const cache = createMemoryStore();
    const sqlite = createSqliteStore({ path: ':memory:' });
    let openGate: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    let held = false;
    // The real store, its first read held back after it has read: its answer predates the rotation.
    const slowReads = Object.assign(Object.create(sqlite) as SqliteStore, {
      read: async (key: string) => {
        const record = sqlite.read(key);
        if (!held) {
          held = true;
          await gate;
        }
        return record;
      },
    });
    const store = createCachedStore({ cache, store: slowReads });
    const [oldKey, newKey] = [randomKey(), randomKey()];
    await store.create(oldKey, liveRecord({ user: null }));

    const slowRead = store.read(oldKey);
    await vi.waitFor(() => expect(held).toBe(true));
    expect(await store.rotate(oldKey, newKey, liveRecord({ user: 'ann' }))).toBe(true);
    openGate();

    expect((await slowRead)?.data).toEqual({ user: null });
    expect(cache.read(oldKey)).toBeNull();
    expect(await store.read(oldKey)).toBeNull();
    await store.close();
  });
});

describe('createCachedStore() options', () => {
  it('has frozen defaults and leaves the caller’s options object unchanged', () => {
    expect(Object.isFrozen(DEFAULT_CACHED_STORE_OPTIONS)).toBe(true);
    expect(DEFAULT_CACHED_STORE_OPTIONS.closeInner).toBe(true);
    const options = Object.freeze({ cache: createMemoryStore(), store: createMemoryStore() });

    const store = createCachedStore(options);

    expect(store.cache).toBe(options.cache);
    expect(Object.keys(options)).toEqual(['cache', 'store']);
  });

  it.each<[string, () => unknown, RegExp]>([
    ['no cache', () => ({ store: createMemoryStore() }), /option "cache".*missing/],
    ['no store', () => ({ cache: createMemoryStore() }), /option "store".*missing/],
    [
      'a store without methods',
      () => ({ cache: createMemoryStore(), store: { name: 'half', read: () => null } }),
      /option "store".*lacks create, update, touch, destroy, clearExpired/,
    ],
    [
      'the same store twice',
      () => {
        const memory = createMemoryStore();
        return { cache: memory, store: memory };
      },
      /"cache" and "store" are the same store/,
    ],
    [
      'a non-boolean closeInner',
      () => ({ cache: createMemoryStore(), store: createMemoryStore(), closeInner: 'no' }),
      /option "closeInner"/,
    ],
    [
      'an onError that is not a function',
      () => ({ cache: createMemoryStore(), store: createMemoryStore(), onError: 'log' }),
      /option "onError"/,
    ],
  ])('refuses %s, naming the option', (_, options, message) => {
    const create = () => createCachedStore(options() as CachedStoreOptions);
    expect(create).toThrow(SessionConfigError);
    expect(create).toThrow(message);
  });

  it('closes both stores by default, and neither with closeInner: false', async () => {
    const owned = {
      cache: createSqliteStore({ path: ':memory:' }),
      store: createSqliteStore({ path: ':memory:' }),
    };
    await createCachedStore(owned).close();
    expect(owned.cache.connection.isOpen).toBe(false);
    expect(owned.store.connection.isOpen).toBe(false);

    const kept = {
      cache: createSqliteStore({ path: ':memory:' }),
      store: createSqliteStore({ path: ':memory:' }),
    };
    await createCachedStore({ ...kept, closeInner: false }).close();
    expect(kept.cache.connection.isOpen).toBe(true);
    expect(kept.store.connection.isOpen).toBe(true);
    kept.cache.close();
    kept.store.close();
  });

  it('checks both stores in ready(), and has none when neither store has one', async () => {
    const checked: string[] = [];
    const withReady = (name: string): SessionStore =>
      Object.assign(createMemoryStore(), {
        ready: async () => {
          checked.push(name);
        },
      });
    const store: CachedStore = createCachedStore({
      cache: withReady('cache'),
      store: withReady('store'),
    });

    await store.ready?.();

    expect(checked.sort()).toEqual(['cache', 'store']);
    const plain = createCachedStore({ cache: createMemoryStore(), store: createMemoryStore() });
    expect(plain.ready).toBeUndefined();
    const failing = createCachedStore({
      cache: Object.assign(createMemoryStore(), {
        ready: () => Promise.reject(new SessionConfigError('cache URL wrong')),
      }),
      store: createMemoryStore(),
    });
    await expect(failing.ready?.()).rejects.toThrow('cache URL wrong');
  });
});

describe('createCachedStore() listing pages (issue 13 §2)', () => {
  it('pages, counts and describes from the durable store, which the cache only partly copies', async () => {
    const durable = createMemoryStore();
    const store = createCachedStore({ cache: createMemoryStore(), store: durable });
    const keys = [randomKey(), randomKey(), randomKey()];
    for (const [index, key] of keys.entries()) {
      await durable.create(key, liveRecord({ index }, { createdAt: Date.now() - index * 1_000 }));
    }
    // Only one session is in the cache.
    await store.read(keys[0]!);

    const page = await store.pageSessions?.({ limit: 2 });
    expect(page).toEqual(durable.pageSessions({ limit: 2 }));
    expect(page?.sessions.map((session) => session.key)).toEqual([keys[0], keys[1]]);
    expect(await store.countSessions?.()).toBe(3);
    expect((await store.describeSessions?.({ hours: 1, topUsers: 1 }))?.live).toBe(3);
    await store.close();
  });

  it('leaves them out when the durable store lacks them', async () => {
    const memory = createMemoryStore();
    const bare: SessionStore = {
      name: 'bare',
      read: (key) => memory.read(key),
      create: (key, record) => memory.create(key, record),
      update: (key, change) => memory.update(key, change),
      rotate: (oldKey, newKey, record) => memory.rotate(oldKey, newKey, record),
      touch: (key, expiresAt) => memory.touch(key, expiresAt),
      destroy: (key) => memory.destroy(key),
      clearExpired: () => memory.clearExpired(),
    };
    const store = createCachedStore({ cache: createMemoryStore(), store: bare });
    expect(store.pageSessions).toBeUndefined();
    expect(store.countSessions).toBeUndefined();
    expect(store.describeSessions).toBeUndefined();
  });
});
