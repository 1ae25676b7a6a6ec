/**
 * fromExpressSessionStore: any express-session store as a Tessera store
 * (issue 12 §2). The public conformance suite over express-session's own
 * MemoryStore, memorystore, connect-redis (real Redis) and connect-pg-simple
 * (real PostgreSQL), then the bridge's own rules: the record mapping, errors,
 * and what it keeps within one process.
 */
import { randomBytes } from 'node:crypto';
import { RedisStore } from 'connect-redis';
import session from 'express-session';
import createMemoryStoreClass from 'memorystore';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionConfigError } from '../../src/core/errors.js';
import type { SessionRecord } from '../../src/core/store.js';
import {
  DEFAULT_EXPRESS_SESSION_BRIDGE_OPTIONS,
  EXPRESS_SESSION_META_KEY,
  type ExpressSessionBridgeOptions,
  type ExpressSessionStoreLike,
  fromExpressSessionStore,
  isExpressSessionStore,
} from '../../src/stores/express-session/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { openConnectPgSimple } from '../helpers/connect-pg-simple.js';
import { describeWithServer, probeServer, SERVER_URLS } from '../helpers/servers.js';
import {
  describeBridgeConformance,
  STATS_EXPIRED_CHECK,
  STATS_EXPIRED_REASON,
} from './express-session/conformance.js';
import { SlowStore, SyncStore } from './express-session/test-stores.js';

const MemoryStoreOfMemorystore = createMemoryStoreClass(session);

const MINUTE = 60_000;
const suffix = randomBytes(6).toString('hex');
const redisPrefix = `tessera-bridge-${suffix}:`;
const pgSchema = `tessera_bridge_${suffix}`;

const [redis, postgres] = await Promise.all([
  probeServer('redis', SERVER_URLS.redis),
  probeServer('postgres', SERVER_URLS.postgres),
]);

/** What every legacy store here cannot pass: see STATS_EXPIRED_CHECK. */
const WITHOUT_EXPIRED_STATS = { [STATS_EXPIRED_CHECK]: STATS_EXPIRED_REASON };

/** A record valid for a minute. */
function liveRecord(data: SessionRecord['data'], fields: Partial<SessionRecord> = {}) {
  const now = Date.now();
  return { data, createdAt: now, expiresAt: now + MINUTE, userId: null, ...fields };
}

/** Calls an express-session store method and answers what it called back with. */
function callback<T>(call: (done: (error?: unknown, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    call((error, value) => (error ? reject(error) : resolve(value as T)));
  });
}

// clearExpired answers 0 (expiresOnItsOwn): each legacy store expires its own records.
describeBridgeConformance(
  'express-session MemoryStore through the bridge',
  async () => ({
    store: fromExpressSessionStore(new session.MemoryStore()),
    expiresOnItsOwn: true,
  }),
  WITHOUT_EXPIRED_STATS,
);

describeBridgeConformance(
  'memorystore through the bridge',
  async () => {
    const legacy = new MemoryStoreOfMemorystore({});
    return {
      store: fromExpressSessionStore(legacy),
      expiresOnItsOwn: true,
      cleanup: () => legacy.stopInterval(),
    };
  },
  WITHOUT_EXPIRED_STATS,
);

// Keeps expired records (as a store between sweeps does): stats counts them, nothing excluded.
describeBridgeConformance('a synchronous store keeping objects through the bridge', async () => ({
  store: fromExpressSessionStore(new SyncStore()),
  expiresOnItsOwn: true,
}));

describeWithServer(redis, 'connect-redis through the bridge', () => {
  const client = createClient({ url: SERVER_URLS.redis });
  const legacy = new RedisStore({ client, prefix: redisPrefix });

  beforeAll(async () => {
    await client.connect();
  });
  afterAll(async () => {
    for await (const keys of client.scanIterator({ MATCH: `${redisPrefix}*` })) {
      if (keys.length > 0) await client.del(keys);
    }
    await client.quit();
  });

  describeBridgeConformance(
    'connect-redis',
    async () => ({ store: fromExpressSessionStore(legacy), expiresOnItsOwn: true }),
    WITHOUT_EXPIRED_STATS,
  );

  it('writes a record connect-redis expires when the session does (TTL from cookie.expires)', async () => {
    const probe = createClient({ url: SERVER_URLS.redis });
    await probe.connect();
    try {
      const bridge = fromExpressSessionStore(
        new RedisStore({ client: probe, prefix: redisPrefix }),
      );
      const key = randomBytes(32).toString('hex');
      await bridge.create(key, liveRecord({ views: 1 }, { expiresAt: Date.now() + 10 * MINUTE }));

      const ttl = await probe.ttl(`${redisPrefix}${key}`);
      const stored = JSON.parse((await probe.get(`${redisPrefix}${key}`)) ?? 'null');

      expect(ttl).toBeGreaterThan(9 * 60);
      expect(ttl).toBeLessThanOrEqual(10 * 60);
      expect(stored).toMatchObject({ views: 1, cookie: { path: '/', httpOnly: true } });
      expect(Date.parse(stored.cookie.expires)).toBe((await bridge.read(key))?.expiresAt);
      await bridge.destroy(key);
    } finally {
      await probe.quit();
    }
  });
});

describeWithServer(postgres, 'connect-pg-simple through the bridge', () => {
  const { pool, store: legacy, createSchema, close } = openConnectPgSimple(pgSchema);
  beforeAll(createSchema);
  afterAll(close);

  // No all(): the listing checks are skipped by the suite itself (the bridge leaves those methods out).
  describeBridgeConformance('connect-pg-simple', async () => ({
    store: fromExpressSessionStore(legacy),
    expiresOnItsOwn: true,
  }));

  it('writes the expire column connect-pg-simple prunes by (from cookie.expires)', async () => {
    const bridge = fromExpressSessionStore(legacy);
    const key = randomBytes(32).toString('hex');
    const expiresAt = Date.now() + 10 * MINUTE;
    await bridge.create(key, liveRecord({ views: 1 }, { expiresAt }));

    const { rows } = await pool.query<{ sess: Record<string, unknown>; seconds: number }>(
      `SELECT sess, extract(epoch FROM expire::timestamptz) AS seconds FROM ${pgSchema}.session WHERE sid = $1`,
      [key],
    );

    expect(rows[0]?.sess).toMatchObject({ views: 1, [EXPRESS_SESSION_META_KEY]: { userId: null } });
    expect(Number(rows[0]?.seconds)).toBe(Math.ceil(expiresAt / 1000));
    await bridge.destroy(key);
  });
});

describe('fromExpressSessionStore()', () => {
  describe('options', () => {
    it('has frozen defaults: one day for records without cookie.expires', () => {
      expect(Object.isFrozen(DEFAULT_EXPRESS_SESSION_BRIDGE_OPTIONS)).toBe(true);
      expect(DEFAULT_EXPRESS_SESSION_BRIDGE_OPTIONS.defaultTtl).toBe(86_400);
    });

    it('accepts frozen options and leaves them unchanged', () => {
      const options = Object.freeze({ defaultTtl: 60 });
      fromExpressSessionStore(new session.MemoryStore(), options);
      expect(options).toEqual({ defaultTtl: 60 });
    });

    it('rejects an unknown option, naming it and the known ones', () => {
      const options = { ttl: 60 } as unknown as ExpressSessionBridgeOptions;
      expect(() => fromExpressSessionStore(new session.MemoryStore(), options)).toThrow(
        SessionConfigError,
      );
      expect(() => fromExpressSessionStore(new session.MemoryStore(), options)).toThrow(
        /unknown option "ttl".*defaultTtl/,
      );
    });

    it.each([0, -1, 1.5, Number.NaN, '60'])('rejects defaultTtl %s, naming the option', (value) => {
      const options = { defaultTtl: value } as ExpressSessionBridgeOptions;
      expect(() => fromExpressSessionStore(new session.MemoryStore(), options)).toThrow(
        /option "defaultTtl" must be a positive whole number of seconds/,
      );
    });

    it('rejects a now that is not a function', () => {
      const options = { now: 5 } as unknown as ExpressSessionBridgeOptions;
      expect(() => fromExpressSessionStore(new session.MemoryStore(), options)).toThrow(
        /option "now" must be a function/,
      );
    });
  });

  describe('the store argument', () => {
    const asStore = (value: unknown) => value as ExpressSessionStoreLike;

    it('names every missing method', () => {
      const incomplete = asStore({ get() {} });
      expect(() => fromExpressSessionStore(incomplete)).toThrow(SessionConfigError);
      expect(() => fromExpressSessionStore(incomplete)).toThrow(
        /has no set\(\), destroy\(\) methods; an express-session store needs get\(sid, cb\)/,
      );
    });

    it('tells a class from an instance', () => {
      expect(() => fromExpressSessionStore(asStore(session.MemoryStore))).toThrow(
        /Pass a store instance/,
      );
    });

    it('refuses null and non-objects, saying what to pass', () => {
      expect(() => fromExpressSessionStore(asStore(null))).toThrow(/got null/);
      expect(() => fromExpressSessionStore(asStore('redis://'))).toThrow(/got string/);
    });

    it('refuses a Tessera store, which needs no bridge', () => {
      expect(() => fromExpressSessionStore(asStore(createMemoryStore()))).toThrow(
        /already a Tessera store/,
      );
    });

    it('refuses an optional method that is not a function', () => {
      const store = Object.assign(new session.MemoryStore(), { all: 'everything' });
      expect(() => fromExpressSessionStore(asStore(store))).toThrow(/all is string, not a method/);
    });

    it('is named after the store’s class', () => {
      expect(fromExpressSessionStore(new session.MemoryStore()).name).toBe(
        'express-session:MemoryStore',
      );
      expect(fromExpressSessionStore(new SyncStore()).name).toBe('express-session:SyncStore');
      const literal = { get() {}, set() {}, destroy() {} };
      expect(fromExpressSessionStore(literal).name).toBe('express-session:store');
    });
  });

  describe('isExpressSessionStore()', () => {
    it('answers true for express-session stores', () => {
      expect(isExpressSessionStore(new session.MemoryStore())).toBe(true);
      expect(isExpressSessionStore(new MemoryStoreOfMemorystore({ checkPeriod: 0 }))).toBe(true);
      expect(isExpressSessionStore(new RedisStore({ client: {} }))).toBe(true);
      expect(isExpressSessionStore(new SyncStore())).toBe(true);
    });

    it('answers false for Tessera stores, the bridge itself, and anything else', () => {
      expect(isExpressSessionStore(createMemoryStore())).toBe(false);
      expect(isExpressSessionStore(fromExpressSessionStore(new SyncStore()))).toBe(false);
      expect(isExpressSessionStore({ get() {}, set() {} })).toBe(false);
      expect(isExpressSessionStore(null)).toBe(false);
      expect(isExpressSessionStore('store')).toBe(false);
    });
  });

  describe('the record mapping', () => {
    it('reads a record express-session wrote: data without cookie, expiry from cookie.expires', async () => {
      const legacy = new session.MemoryStore();
      const expires = new Date(Date.now() + 10 * MINUTE);
      // As express-session stores req.session (session/memory.js keeps JSON.stringify of it).
      const written = {
        cookie: { originalMaxAge: 10 * MINUTE, expires, httpOnly: true, path: '/' },
        views: 3,
        user: { name: 'ann' },
      };
      await callback((done) => legacy.set('legacy-sid', written as never, done));
      const time = Date.now();
      const bridge = fromExpressSessionStore(legacy, { now: () => time });

      expect(await bridge.read('legacy-sid')).toEqual({
        data: { views: 3, user: { name: 'ann' } },
        expiresAt: expires.getTime(),
        createdAt: time,
        userId: null,
      });
    });

    it('writes a record express-session reads back: data, cookie with expires, and the meta key', async () => {
      const legacy = new session.MemoryStore();
      const bridge = fromExpressSessionStore(legacy);
      const record = liveRecord({ views: 1 }, { userId: 'ann', createdAt: 1_000 });

      await bridge.create('sid', record);
      const stored = await callback((done) => legacy.get('sid', done));

      expect(stored).toEqual({
        views: 1,
        cookie: {
          originalMaxAge: expect.any(Number),
          expires: new Date(record.expiresAt).toISOString(),
          httpOnly: true,
          path: '/',
        },
        [EXPRESS_SESSION_META_KEY]: { createdAt: 1_000, userId: 'ann' },
      });
    });

    it('keeps the fields of the stored cookie on update, moving only expires', async () => {
      const legacy = new SyncStore();
      const cookie = {
        originalMaxAge: 3_600_000,
        expires: new Date(Date.now() + MINUTE).toISOString(),
        httpOnly: false,
        path: '/app',
        domain: 'example.com',
        sameSite: 'strict',
      };
      legacy.sessions.set('sid', { cookie, views: 1 });
      const bridge = fromExpressSessionStore(legacy);
      const expiresAt = Date.now() + 5 * MINUTE;

      expect(await bridge.update('sid', { set: { views: 2 }, remove: [], expiresAt })).toBe(true);

      expect(legacy.sessions.get('sid')).toMatchObject({
        views: 2,
        cookie: { ...cookie, expires: new Date(expiresAt).toISOString() },
      });
    });

    it('gives the cookie a non-enumerable maxAge getter, as express-session’s Cookie has (memorystore’s TTL)', async () => {
      const legacy = new SyncStore();
      const bridge = fromExpressSessionStore(legacy);
      const expiresAt = Date.now() + 10 * MINUTE;
      await bridge.create('sid', liveRecord({}, { expiresAt }));

      const { cookie } = legacy.sessions.get('sid') as { cookie: { maxAge: number } };

      expect(cookie.maxAge).toBeGreaterThan(9 * MINUTE);
      expect(cookie.maxAge).toBeLessThanOrEqual(10 * MINUTE);
      expect(Object.keys(cookie)).not.toContain('maxAge');
      expect(JSON.stringify(cookie)).not.toContain('maxAge');
    });

    it('takes a record without cookie.expires to live defaultTtl seconds from now', async () => {
      const legacy = new SyncStore();
      legacy.sessions.set('browser-session', { cookie: { expires: null }, views: 1 });
      legacy.sessions.set('no-cookie', { views: 2 });
      const time = 1_000_000;
      const bridge = fromExpressSessionStore(legacy, { defaultTtl: 60, now: () => time });

      expect((await bridge.read('browser-session'))?.expiresAt).toBe(time + 60_000);
      expect((await bridge.read('no-cookie'))?.data).toEqual({ views: 2 });
    });

    it('answers null for a record it wrote, past cookie.expires, that the store still returns', async () => {
      const legacy = new SyncStore();
      legacy.sessions.set('stale', {
        cookie: { expires: new Date(Date.now() - 1000).toISOString() },
        views: 1,
        [EXPRESS_SESSION_META_KEY]: { createdAt: Date.now() - MINUTE, userId: null },
      });
      const bridge = fromExpressSessionStore(legacy);

      expect(await bridge.read('stale')).toBeNull();
      expect(
        await bridge.update('stale', { set: {}, remove: [], expiresAt: Date.now() + MINUTE }),
      ).toBe(false);
    });

    it("reads a record express-session wrote as live while the store answers it, past cookie.expires (express-session's touch leaves it behind)", async () => {
      const legacy = new SyncStore();
      legacy.sessions.set('touched', {
        cookie: { originalMaxAge: 10 * MINUTE, expires: new Date(1_000_000 - 1000).toISOString() },
        views: 1,
      });
      const bridge = fromExpressSessionStore(legacy, { now: () => 1_000_000 });

      expect(await bridge.read('touched')).toMatchObject({
        data: { views: 1 },
        expiresAt: 1_000_000 + 10 * MINUTE,
      });
    });

    it.each([
      ['a string', 'garbage'],
      ['a number', 42],
      ['an array', [1, 2]],
      ['null', null],
    ])('answers null, never a crash, for a record that is %s', async (_name, value) => {
      const legacy = new SyncStore();
      legacy.sessions.set('bad', value);

      expect(await fromExpressSessionStore(legacy).read('bad')).toBeNull();
    });

    it('keeps session keys named cookie and __tessera as data, apart from the record’s own', async () => {
      const legacy = new session.MemoryStore();
      const bridge = fromExpressSessionStore(legacy);
      const data = { cookie: 'consent given', [EXPRESS_SESSION_META_KEY]: [1], other: true };

      await bridge.create('sid', liveRecord(data));

      expect((await bridge.read('sid'))?.data).toEqual(data);
      const stored = (await callback<unknown>((done) => legacy.get('sid', done))) as {
        cookie: { path: string };
      };
      expect(stored.cookie.path).toBe('/');
    });

    it('reads listings from all() as an object keyed by sid and as an array with id', async () => {
      const keyed = fromExpressSessionStore(new session.MemoryStore());
      const listed = fromExpressSessionStore(new SyncStore());
      for (const bridge of [keyed, listed]) {
        await bridge.create('a', liveRecord({ id: 'not the sid' }, { userId: 'ann' }));
        expect(await bridge.listUserSessions?.('ann')).toEqual([
          expect.objectContaining({ key: 'a' }),
        ]);
      }
      // An array entry's id is the sid connect-redis adds, not session data.
      expect((await listed.listUserSessions?.('ann'))?.[0]?.data).toEqual({});
      expect((await keyed.listUserSessions?.('ann'))?.[0]?.data).toEqual({ id: 'not the sid' });
    });

    it('leaves the listing methods out when the store has no all()', () => {
      const bridge = fromExpressSessionStore({ get() {}, set() {}, destroy() {} });
      expect(bridge.listUserSessions).toBeUndefined();
      expect(bridge.destroyUserSessions).toBeUndefined();
      expect(bridge.listSessions).toBeUndefined();
      expect(bridge.stats).toBeUndefined();
      expect(bridge.close).toBeUndefined();
    });
  });

  describe('errors', () => {
    const failing = (code?: string): ExpressSessionStoreLike => ({
      get: (_sid, done) => done(Object.assign(new Error('store unreachable'), { code })),
      set: (_sid, _session, done) => done(new Error('set failed')),
      destroy: () => {
        throw new Error('destroy threw');
      },
    });

    it('treats an ENOENT error from get() as "not found", as express-session does', async () => {
      const bridge = fromExpressSessionStore(failing('ENOENT'));
      expect(await bridge.read('sid')).toBeNull();
      expect(await bridge.update('sid', { set: {}, remove: [], expiresAt: Date.now() + 1 })).toBe(
        false,
      );
    });

    it('rejects with the store’s error from a callback, and with what a method throws', async () => {
      const bridge = fromExpressSessionStore(failing('ECONNREFUSED'));
      await expect(bridge.read('sid')).rejects.toThrow('store unreachable');
      await expect(bridge.destroy('sid')).rejects.toThrow('destroy threw');
      const enoent = fromExpressSessionStore(failing('ENOENT'));
      await expect(enoent.create('sid', liveRecord({}))).rejects.toThrow('set failed');
    });

    it('rejects when a method’s promise rejects without calling back', async () => {
      const bridge = fromExpressSessionStore({
        get: () => Promise.reject(new Error('connection reset')),
        set() {},
        destroy() {},
      });
      await expect(bridge.read('sid')).rejects.toThrow('connection reset');
    });

    it('settles once when a store calls back twice', async () => {
      const bridge = fromExpressSessionStore({
        get: (_sid, done) => {
          done(null, null);
          done(new Error('late'));
        },
        set() {},
        destroy() {},
      });
      expect(await bridge.read('sid')).toBeNull();
    });

    it('keeps serving a key after one of its operations failed', async () => {
      let fail = true;
      const inner = new SyncStore();
      const bridge = fromExpressSessionStore({
        get: (sid, done) => (fail ? done(new Error('down')) : inner.get(sid, done)),
        set: (sid, value, done) => inner.set(sid, value, done),
        destroy: (sid, done) => inner.destroy(sid, done),
      });
      await expect(bridge.create('sid', liveRecord({}))).rejects.toThrow('down');
      fail = false;
      expect(await bridge.create('sid', liveRecord({ back: true }))).toBe(true);
    });
  });

  // What the per-key queue keeps within one process (issue 12 §2).
  describe('within one process', () => {
    function slowBridge() {
      const slow = new SlowStore(new session.MemoryStore());
      return { slow, bridge: fromExpressSessionStore(slow) };
    }

    it('keeps both of two overlapping updates that set different keys', async () => {
      const { slow, bridge } = slowBridge();
      await bridge.create('sid', liveRecord({ start: true }));
      slow.delays.get = 30; // both updates would read before either writes

      const expiresAt = Date.now() + MINUTE;
      await Promise.all([
        bridge.update('sid', { set: { first: 1 }, remove: [], expiresAt }),
        bridge.update('sid', { set: { second: 2 }, remove: [], expiresAt }),
      ]);

      expect((await bridge.read('sid'))?.data).toEqual({ start: true, first: 1, second: 2 });
    });

    it('does not bring back a session destroyed while a slow update was running', async () => {
      const { slow, bridge } = slowBridge();
      await bridge.create('sid', liveRecord({ user: 'ann' }));
      slow.delays.get = 30;

      const update = bridge.update('sid', {
        set: { late: true },
        remove: [],
        expiresAt: Date.now() + MINUTE,
      });
      const logout = bridge.destroy('sid');

      expect(await update).toBe(true); // it came first; the logout then removed its write
      await logout;
      expect(await bridge.read('sid')).toBeNull();
      // And an update queued after the logout writes nothing.
      expect(
        await bridge.update('sid', {
          set: { later: 1 },
          remove: [],
          expiresAt: Date.now() + MINUTE,
        }),
      ).toBe(false);
      expect(await bridge.read('sid')).toBeNull();
    });

    it('lets exactly one of two overlapping rotations of one key win', async () => {
      const { slow, bridge } = slowBridge();
      await bridge.create('old', liveRecord({ a: 1 }));
      slow.delays.get = 20;

      const answers = await Promise.all([
        bridge.rotate('old', 'new1', liveRecord({ to: 1 })),
        bridge.rotate('old', 'new2', liveRecord({ to: 2 })),
      ]);

      expect(answers.filter(Boolean)).toEqual([true]);
      expect(await bridge.read('old')).toBeNull();
    });

    it('touches with a whole-record write, so the expiry it reads back is the new one', async () => {
      const legacy = new session.MemoryStore();
      const bridge = fromExpressSessionStore(legacy);
      await bridge.create('sid', liveRecord({ a: 1 }, { userId: 'ann' }));
      const expiresAt = Date.now() + 30 * MINUTE;

      expect(await bridge.touch('sid', expiresAt)).toBe(true);

      expect(await bridge.read('sid')).toMatchObject({ expiresAt, userId: 'ann', data: { a: 1 } });
    });
  });
});
