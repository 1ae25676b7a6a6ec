import { randomBytes } from 'node:crypto';
import { createClient, RESP_TYPES } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionConfigError } from '../../src/core/errors.js';
import type { StoredData } from '../../src/core/store.js';
import {
  createRedisStore,
  DEFAULT_REDIS_STORE_OPTIONS,
  type RedisStore,
  type RedisStoreOptions,
} from '../../src/stores/redis/index.js';
import { freePort } from '../helpers/listen.js';
import {
  findRedisBinaries,
  type PrivateRedisServer,
  startPrivateRedis,
} from '../helpers/private-redis.js';
import { describeWithServer, probeServer, SERVER_URLS } from '../helpers/servers.js';
import { describeStoreConformance } from './conformance.js';
import { delta, liveRecord, MINUTE, randomKey } from './redis-fixtures.js';

const redis = await probeServer('redis', SERVER_URLS.redis);
const binaries = findRedisBinaries();
/** Every key of this run starts with it; removed in afterAll. */
const runPrefix = `tessera-test:${randomBytes(6).toString('hex')}:`;

type RawClient = ReturnType<typeof createClient>;

/** Every key under `prefix` on the server, sorted. */
async function keysUnder(raw: RawClient, prefix: string): Promise<string[]> {
  const found: string[] = [];
  for await (const batch of raw.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
    found.push(...batch);
  }
  return found.sort();
}

async function deleteKeysUnder(raw: RawClient, prefix: string): Promise<void> {
  const keys = await keysUnder(raw, prefix);
  if (keys.length > 0) await raw.del(keys);
}

describe('createRedisStore() options', () => {
  const url = 'redis://127.0.0.1:6379';

  it('has frozen defaults', () => {
    expect(Object.isFrozen(DEFAULT_REDIS_STORE_OPTIONS)).toBe(true);
    expect(DEFAULT_REDIS_STORE_OPTIONS).toEqual({
      prefix: 'tessera:',
      connectTimeout: 2_000,
      commandTimeout: 2_000,
      keepExpiredFor: 300_000,
    });
  });

  it('accepts frozen options, leaves them unchanged, and connects nothing yet', async () => {
    const options = Object.freeze({ url: 'redis://127.0.0.1:1', prefix: 'app:' });
    const store = createRedisStore(options);
    expect(options).toEqual({ url: 'redis://127.0.0.1:1', prefix: 'app:' });
    expect(store.name).toBe('redis');
    expect(store.prefix).toBe('app:');
    expect(store.client.isOpen).toBe(false);
    await store.close();
  });

  it('requires one of "url", "client" and "cluster"', () => {
    expect(() => createRedisStore({})).toThrow(SessionConfigError);
    expect(() => createRedisStore({})).toThrow(/"url".*"client".*"cluster"/);
  });

  it('refuses two of them at once, naming both', () => {
    expect(() =>
      createRedisStore({ url, cluster: { rootNodes: [{ url }] } } as RedisStoreOptions),
    ).toThrow(/options "url" and "cluster" exclude each other/);
  });

  it.each(['http://127.0.0.1:6379', 'not a url', '127.0.0.1:6379', ''])(
    'rejects url %j, naming the option',
    (bad) => {
      expect(() => createRedisStore({ url: bad })).toThrow(/option "url" must be a redis:\/\//);
    },
  );

  it('never shows the password of a rejected URL', () => {
    let message = '';
    try {
      createRedisStore({ url: 'postgres://user:hunter2@db.example:5432/app' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('postgres://user:***@db.example:5432/app');
    expect(message).not.toContain('hunter2');
  });

  it.each(['', 'app{sessions}:', 'a}b'])('rejects prefix %j, naming the option', (prefix) => {
    expect(() => createRedisStore({ url, prefix })).toThrow(/option "prefix"/);
  });

  it.each([
    ['connectTimeout', 0],
    ['connectTimeout', 1.5],
    ['commandTimeout', -1],
    ['commandTimeout', '2000'],
    ['keepExpiredFor', -1],
    ['keepExpiredFor', Number.NaN],
  ])('rejects %s %j, naming the option', (option, value) => {
    expect(() => createRedisStore({ url, [option]: value } as RedisStoreOptions)).toThrow(
      new RegExp(`option "${option}" must be a whole number of milliseconds`),
    );
  });

  it('accepts keepExpiredFor 0', async () => {
    const store = createRedisStore({ url, keepExpiredFor: 0 });
    await store.close();
  });

  it('rejects a client that is neither a node-redis nor an ioredis client, naming the option and both', () => {
    const lookalike = { status: 'ready', sendCommand() {}, on() {} };
    expect(() => createRedisStore({ client: lookalike } as unknown as RedisStoreOptions)).toThrow(
      /option "client" must be a node-redis client .* or an ioredis client/,
    );
  });

  it('rejects a cluster without root nodes or with a bad root URL, naming the option', () => {
    expect(() => createRedisStore({ cluster: { rootNodes: [] } })).toThrow(/option "cluster"/);
    expect(() =>
      createRedisStore({ cluster: { rootNodes: [{ url }, { url: 'localhost:7000' }] } }),
    ).toThrow(/option "cluster.rootNodes\[1\].url"/);
  });

  it('rejects an onError that is not a function, naming the option', () => {
    expect(() => createRedisStore({ url, onError: 'log' } as unknown as RedisStoreOptions)).toThrow(
      /option "onError" must be a function/,
    );
  });
});

describeWithServer(redis, 'redis store on the shared server', () => {
  describeStoreConformance('redis', async () => {
    const prefix = `${runPrefix}conformance:`;
    const store = createRedisStore({ url: SERVER_URLS.redis, prefix });
    await store.ready();
    return {
      store,
      // Redis drops records itself once their TTL fires: clearExpired may find none.
      expiresOnItsOwn: true,
      cleanup: () => store.close(),
    };
  });

  describe('createRedisStore()', () => {
    let raw: RawClient;
    const stores: RedisStore[] = [];
    let counter = 0;

    /** A store on the shared server under a prefix of its own. */
    function openStore(options: Partial<RedisStoreOptions> = {}): RedisStore {
      counter += 1;
      const store = createRedisStore({
        url: SERVER_URLS.redis,
        prefix: `${runPrefix}specific-${counter}:`,
        ...options,
      } as RedisStoreOptions);
      stores.push(store);
      return store;
    }

    beforeAll(async () => {
      raw = createClient({ url: SERVER_URLS.redis });
      raw.on('error', () => {});
      await raw.connect();
    });

    afterAll(async () => {
      for (const store of stores) await store.close();
      await deleteKeysUnder(raw, runPrefix);
      raw.destroy();
    });

    describe('data layout', () => {
      it('keeps one hash per session: one field per session key, as JSON, beside the meta fields', async () => {
        const store = openStore();
        const key = randomKey();
        const record = liveRecord(
          { cart: { items: [1, 2] }, theme: 'dark', expiresAt: 'data, not meta' },
          { userId: 'alice' },
        );

        await store.create(key, record);

        const sessionKey = `${store.prefix}s:{${key}}`;
        expect(await raw.type(sessionKey)).toBe('hash');
        expect({ ...(await raw.hGetAll(sessionKey)) }).toEqual({
          'd:cart': '{"items":[1,2]}',
          'd:theme': '"dark"',
          'd:expiresAt': '"data, not meta"',
          createdAt: String(record.createdAt),
          expiresAt: String(record.expiresAt),
          userId: 'alice',
        });
        expect((await store.read(key))?.data).toEqual(record.data);
      });

      it('stores an anonymous session without a userId field and with no user index', async () => {
        const store = openStore();
        const key = randomKey();

        await store.create(key, liveRecord({ a: 1 }));

        expect(await raw.hExists(`${store.prefix}s:{${key}}`, 'userId')).toBe(0);
        expect(await keysUnder(raw, store.prefix)).toEqual([`${store.prefix}s:{${key}}`]);
      });

      it('names keys with a hash tag: the store key for a session, the encoded user id for an index', async () => {
        const store = openStore();
        const key = randomKey();
        const userId = 'weird}{user id:*?';

        await store.create(key, liveRecord({}, { userId }));

        const encoded = Buffer.from(userId, 'utf8').toString('base64url');
        expect(await keysUnder(raw, store.prefix)).toEqual(
          [`${store.prefix}s:{${key}}`, `${store.prefix}u:{${encoded}}`].sort(),
        );
        // Redis Cluster hashes only the text between the first "{" and the next "}".
        for (const name of await keysUnder(raw, store.prefix)) {
          expect(name.match(/\{([^}]*)\}/)?.[1]).toBe(name.includes(':s:') ? key : encoded);
        }
        expect((await store.listUserSessions(userId)).map((session) => session.key)).toEqual([key]);
      });

      it('keeps many keys in one session (more than one Lua step of 100 pairs)', async () => {
        const store = openStore();
        const key = randomKey();
        const data: StoredData = {};
        for (let index = 0; index < 1000; index++) data[`key${index}`] = index;

        await store.create(key, liveRecord(data));
        const removed = Array.from({ length: 500 }, (_, index) => `key${index}`);
        const added: StoredData = {};
        for (let index = 1000; index < 1300; index++) added[`key${index}`] = index;
        expect(await store.update(key, delta(added, removed))).toBe(true);

        const expected: StoredData = {};
        for (let index = 500; index < 1300; index++) expected[`key${index}`] = index;
        expect((await store.read(key))?.data).toEqual(expected);
      });
    });

    describe('store.update()', () => {
      it('writes only the delta: a key another writer changed meanwhile survives', async () => {
        const store = openStore();
        const key = randomKey();
        await store.create(key, liveRecord({ mine: 1, theirs: 1, dropped: true }));
        const sessionKey = `${store.prefix}s:{${key}}`;
        await raw.hSet(sessionKey, 'd:theirs', JSON.stringify('written by another process'));

        expect(await store.update(key, delta({ mine: 2 }, ['dropped']))).toBe(true);

        expect((await store.read(key))?.data).toEqual({
          mine: 2,
          theirs: 'written by another process',
        });
        expect(await raw.hExists(sessionKey, 'd:dropped')).toBe(0);
      });

      it('writes nothing when the record is missing: no key, no index', async () => {
        const store = openStore();

        expect(await store.update(randomKey(), delta({ a: 1 }, [], { userId: 'bob' }))).toBe(false);

        // The user index may list the key a moment (it may hold too much), never a session.
        const names = await keysUnder(raw, store.prefix);
        expect(names.filter((name) => name.includes(':s:'))).toEqual([]);
        expect(await store.listUserSessions('bob')).toEqual([]);
      });
    });

    describe('expiry', () => {
      it('sets the TTL from expiresAt, plus keepExpiredFor', async () => {
        const exact = openStore({ keepExpiredFor: 0 });
        const kept = openStore();
        const key = randomKey();
        const expiresAt = Date.now() + 10 * MINUTE;

        await exact.create(key, liveRecord({}, { expiresAt }));
        await kept.create(key, liveRecord({}, { expiresAt }));

        expect(await raw.pExpireTime(`${exact.prefix}s:{${key}}`)).toBe(expiresAt);
        expect(await raw.pExpireTime(`${kept.prefix}s:{${key}}`)).toBe(
          expiresAt + DEFAULT_REDIS_STORE_OPTIONS.keepExpiredFor,
        );
      });

      it('moves the TTL on touch and on update', async () => {
        const store = openStore({ keepExpiredFor: 0 });
        const key = randomKey();
        const sessionKey = `${store.prefix}s:{${key}}`;
        await store.create(key, liveRecord());

        const touchedUntil = Date.now() + 20 * MINUTE;
        await store.touch(key, touchedUntil);
        expect(await raw.pExpireTime(sessionKey)).toBe(touchedUntil);

        const updatedUntil = Date.now() + 30 * MINUTE;
        await store.update(key, delta({ a: 1 }, [], { expiresAt: updatedUntil }));
        expect(await raw.pExpireTime(sessionKey)).toBe(updatedUntil);
      });

      it('never returns an expired record Redis still keeps, and clearExpired deletes it', async () => {
        const store = openStore();
        const key = randomKey();
        const userId = `user-${randomKey()}`;
        await store.create(key, liveRecord({ a: 1 }, { userId, expiresAt: Date.now() - 1_000 }));

        expect(await raw.exists(`${store.prefix}s:{${key}}`)).toBe(1);
        expect(await store.read(key)).toBeNull();
        expect(await store.update(key, delta({ b: 2 }))).toBe(false);
        expect(await store.touch(key, Date.now() + MINUTE)).toBe(false);
        expect(await store.stats()).toEqual({ count: 1, expired: 1, bytes: 1 });

        const progress: number[] = [];
        expect(await store.clearExpired({ onProgress: (removed) => progress.push(removed) })).toBe(
          1,
        );

        expect(progress).toEqual([1]);
        expect(await keysUnder(raw, store.prefix)).toEqual([]);
      });

      it('clearExpired walks in SCAN steps of batchSize, reporting progress after each', async () => {
        const store = openStore();
        for (let index = 0; index < 20; index += 1) {
          await store.create(randomKey(), liveRecord({}, { expiresAt: Date.now() - 1_000 }));
        }

        const progress: number[] = [];
        const removed = await store.clearExpired({
          batchSize: 2,
          onProgress: (count) => progress.push(count),
        });

        expect(removed).toBe(20);
        expect(progress.at(-1)).toBe(20);
        // COUNT is a hint, not a bound: only "more than one step" is certain.
        expect(progress.length).toBeGreaterThan(1);
        expect(await keysUnder(raw, store.prefix)).toEqual([]);
      });

      it.for([0, -1, 1.5, Number.NaN])(
        'clearExpired refuses batchSize %s, naming the option',
        async (batchSize) => {
          const store = openStore();
          await expect(store.clearExpired({ batchSize })).rejects.toThrow(
            /option "batchSize" must be a positive integer/,
          );
        },
      );

      it('with keepExpiredFor 0, keeps nothing of a record created already expired', async () => {
        const store = openStore({ keepExpiredFor: 0 });
        const key = randomKey();
        const past = Date.now() - MINUTE;

        await store.create(key, liveRecord({}, { userId: 'carol', expiresAt: past }));

        expect(await keysUnder(raw, store.prefix)).toEqual([]);
        expect(await store.read(key)).toBeNull();
      });
    });

    describe('listing pages (issue 13 §2)', () => {
      it('pages through a SCAN walk with the cursor, skipping expired records and foreign hashes', async () => {
        const store = openStore();
        const now = Date.now();
        const keys = Array.from({ length: 7 }, randomKey);
        for (const [index, key] of keys.entries()) {
          await store.create(key, liveRecord({ index }, { createdAt: now - (7 - index) * 1_000 }));
        }
        await store.create(randomKey(), liveRecord({}, { expiresAt: now - 1_000 }));
        await raw.hSet(`${store.prefix}s:{not-a-session}`, 'other', 'app');
        const listed: string[] = [];
        const progress: number[] = [];
        let cursor: string | undefined;
        do {
          const page = await store.pageSessions({
            limit: 3,
            cursor,
            onProgress: (examined) => progress.push(examined),
          });
          listed.push(...page.sessions.map((session) => session.key));
          cursor = page.nextCursor ?? undefined;
        } while (cursor !== undefined);

        expect(listed).toEqual([...keys].reverse());
        // Every page walks the nine hashes.
        expect(progress.filter((examined) => examined === 9)).toHaveLength(3);
        expect(await store.countSessions()).toBe(7);
        expect((await store.listSessions({ limit: 2 })).map((session) => session.key)).toEqual([
          keys[6],
          keys[5],
        ]);
      });

      it("pages one user's sessions from their index, and counts them checking each", async () => {
        const store = openStore();
        const userId = `user-${randomKey()}`;
        const now = Date.now();
        const mine = [randomKey(), randomKey(), randomKey()];
        for (const [index, key] of mine.entries()) {
          await store.create(
            key,
            liveRecord({ index }, { userId, expiresAt: now + (index + 1) * MINUTE }),
          );
        }
        // A stale member: the session now belongs to someone else.
        const taken = randomKey();
        await store.create(taken, liveRecord({}, { userId: 'someone-else' }));
        await raw.sAdd(`${store.prefix}u:{${Buffer.from(userId).toString('base64url')}}`, taken);

        const first = await store.pageSessions({ limit: 2, order: 'lastUsed', userId });
        expect(first.sessions.map((session) => session.key)).toEqual([mine[2], mine[1]]);
        expect(first.sessions[0]).toMatchObject({ userId, data: { index: 2 } });
        const second = await store.pageSessions({
          limit: 2,
          order: 'lastUsed',
          userId,
          cursor: first.nextCursor ?? undefined,
        });
        expect(second).toEqual({
          sessions: [expect.objectContaining({ key: mine[0] })],
          nextCursor: null,
        });
        expect(await store.countSessions({ userId })).toBe(3);
      });

      it('describes the sessions with their data sizes measured on the server', async () => {
        const store = openStore();
        const data = { text: 'é'.repeat(150), list: [1, 2, 3], nested: { a: null } };
        await store.create(randomKey(), liveRecord(data, { userId: 'ann' }));
        await store.create(randomKey(), liveRecord({}, { userId: 'ann' }));
        await store.create(randomKey(), liveRecord({ big: 'x'.repeat(5_000) }));
        await store.create(randomKey(), liveRecord({}, { expiresAt: Date.now() - 1 }));

        const overview = await store.describeSessions({ hours: 2, topUsers: 5 });

        // The first record's data is 346 bytes as JSON: the 1 KiB bucket.
        expect(Buffer.byteLength(JSON.stringify(data))).toBe(346);
        expect(overview).toMatchObject({
          live: 3,
          users: 1,
          sizesMeasured: 3,
          topUsers: [{ userId: 'ann', sessions: 2 }],
        });
        expect(overview.sizes.map((bucket) => bucket.sessions)).toEqual([1, 1, 0, 1, 0, 0]);
        expect(overview.createdPerHour.at(-1)?.sessions).toBe(3);
      });
    });

    describe('per-user index', () => {
      it('lists the sessions in a set whose TTL outlives the longest session', async () => {
        const store = openStore({ keepExpiredFor: 0 });
        const userId = `user-${randomKey()}`;
        const short = randomKey();
        const long = randomKey();
        const longUntil = Date.now() + 60 * MINUTE;
        await store.create(long, liveRecord({}, { userId, expiresAt: longUntil }));
        await store.create(short, liveRecord({}, { userId, expiresAt: Date.now() + MINUTE }));

        const indexKey = `${store.prefix}u:{${Buffer.from(userId).toString('base64url')}}`;
        expect((await raw.sMembers(indexKey)).sort()).toEqual([long, short].sort());
        expect(await raw.pExpireTime(indexKey)).toBeGreaterThanOrEqual(longUntil);

        const touchedUntil = Date.now() + 120 * MINUTE;
        await store.touch(short, touchedUntil);
        expect(await raw.pExpireTime(indexKey)).toBeGreaterThanOrEqual(touchedUntil);
      });

      it('moves a session between users’ sets when update changes its owner', async () => {
        const store = openStore();
        const key = randomKey();
        await store.create(key, liveRecord({}, { userId: 'dave' }));

        await store.update(key, delta({}, [], { userId: 'erin' }));

        expect(await store.listUserSessions('dave')).toEqual([]);
        expect((await store.listUserSessions('erin')).map((session) => session.key)).toEqual([key]);
        const daveIndex = `${store.prefix}u:{${Buffer.from('dave').toString('base64url')}}`;
        expect(await raw.exists(daveIndex)).toBe(0);
      });

      it('prunes members whose session Redis dropped', async () => {
        const store = openStore();
        const userId = `user-${randomKey()}`;
        const gone = randomKey();
        const kept = randomKey();
        await store.create(gone, liveRecord({}, { userId }));
        await store.create(kept, liveRecord({}, { userId }));
        await raw.del(`${store.prefix}s:{${gone}}`);

        expect((await store.listUserSessions(userId)).map((session) => session.key)).toEqual([
          kept,
        ]);

        const indexKey = `${store.prefix}u:{${Buffer.from(userId).toString('base64url')}}`;
        expect(await raw.sMembers(indexKey)).toEqual([kept]);
      });

      it('never destroys a session listed for a user who does not own it', async () => {
        const store = openStore();
        const key = randomKey();
        await store.create(key, liveRecord({ owner: 'frank' }, { userId: 'frank' }));
        const graceIndex = `${store.prefix}u:{${Buffer.from('grace').toString('base64url')}}`;
        await raw.sAdd(graceIndex, key);

        expect(await store.listUserSessions('grace')).toEqual([]);
        expect(await raw.sAdd(graceIndex, key)).toBe(1);
        expect(await store.destroyUserSessions('grace')).toBe(0);

        expect((await store.read(key))?.data).toEqual({ owner: 'frank' });
      });

      it('unlists a destroyed session', async () => {
        const store = openStore();
        const key = randomKey();
        await store.create(key, liveRecord({}, { userId: 'heidi' }));

        await store.destroy(key);

        expect(await keysUnder(raw, store.prefix)).toEqual([]);
      });

      it('clearExpired prunes members of sessions that are gone', async () => {
        const store = openStore();
        const key = randomKey();
        await store.create(key, liveRecord({}, { userId: 'ivan' }));
        await raw.del(`${store.prefix}s:{${key}}`);

        expect(await store.clearExpired()).toBe(0);

        expect(await keysUnder(raw, store.prefix)).toEqual([]);
      });
    });

    it('creates nothing for unknown keys', async () => {
      const store = openStore();
      const key = randomKey();

      expect(await store.read(key)).toBeNull();
      expect(await store.touch(key, Date.now() + MINUTE)).toBe(false);
      expect(await store.update(key, delta({ a: 1 }))).toBe(false);
      await store.destroy(key);

      expect(await keysUnder(raw, store.prefix)).toEqual([]);
      expect(await store.stats()).toEqual({ count: 0, expired: 0, bytes: 0 });
    });

    it('counts records, expired ones and the bytes of their data as stored', async () => {
      const store = openStore();
      await store.create(randomKey(), liveRecord({ text: 'é'.repeat(10) }));
      await store.create(randomKey(), liveRecord({ n: 12345 }, { expiresAt: Date.now() - 1 }));

      // JSON text per key: "éééééééééé" is 22 bytes, 12345 is 5.
      expect(await store.stats()).toEqual({ count: 2, expired: 1, bytes: 27 });
    });

    describe('a client passed as "client"', () => {
      it('is used, and not closed by close()', async () => {
        const client = createClient({ url: SERVER_URLS.redis });
        client.on('error', () => {});
        await client.connect();
        const store = createRedisStore({ client, prefix: `${runPrefix}given:` });
        const key = randomKey();

        await store.create(key, liveRecord({ via: 'given client' }));
        expect(store.client).toBe(client);
        await store.close();

        expect(client.isOpen).toBe(true);
        expect(await client.hGet(`${runPrefix}given:s:{${key}}`, 'd:via')).toBe('"given client"');
        client.destroy();
      });

      it('works whatever its RESP version and type mapping', async () => {
        const resp2 = createClient({ url: SERVER_URLS.redis, RESP: 2 });
        const buffers = createClient({ url: SERVER_URLS.redis }).withTypeMapping({
          [RESP_TYPES.BLOB_STRING]: Buffer,
          [RESP_TYPES.MAP]: Map,
        });
        for (const client of [resp2, buffers]) {
          client.on('error', () => {});
          await client.connect();
          const store = createRedisStore({ client, prefix: `${runPrefix}resp:` });
          const key = randomKey();
          const userId = `user-${randomKey()}`;

          await store.create(key, liveRecord({ text: 'é', list: [1] }, { userId }));
          expect(await store.update(key, delta({ more: true }))).toBe(true);

          expect((await store.read(key))?.data).toEqual({ text: 'é', list: [1], more: true });
          expect((await store.listUserSessions(userId)).map((session) => session.key)).toEqual([
            key,
          ]);
          expect((await store.stats()).count).toBeGreaterThanOrEqual(1);
          await store.close();
          client.destroy();
        }
      });

      it('is connected by the store when it was not yet, and still left open', async () => {
        const client = createClient({ url: SERVER_URLS.redis });
        client.on('error', () => {});
        const store = createRedisStore({ client, prefix: `${runPrefix}given-later:` });

        await store.ready();
        expect(await store.read(randomKey())).toBeNull();
        await store.close();

        expect(client.isReady).toBe(true);
        client.destroy();
      });

      it('gets an error listener from the store when it has none, so errors cannot crash the process', async () => {
        const client = createClient({ url: SERVER_URLS.redis });
        const reported: unknown[] = [];
        const store = createRedisStore({ client, onError: (error) => reported.push(error) });

        expect(client.listenerCount('error')).toBe(1);
        client.emit('error', new Error('socket hang up'));

        expect(reported).toEqual([new Error('socket hang up')]);
        await store.close();
        expect(client.listenerCount('error')).toBe(0);
      });

      it('is not reopened once its owner closed it', async () => {
        const client = createClient({ url: SERVER_URLS.redis });
        client.on('error', () => {});
        await client.connect();
        const store = createRedisStore({ client, prefix: `${runPrefix}given-closed:` });
        client.destroy();

        await expect(store.read(randomKey())).rejects.toThrow(/is closed/);
        expect(client.isOpen).toBe(false);
        await store.close();
      });
    });

    describe('store.ready()', () => {
      it('resolves against a reachable server', async () => {
        await openStore().ready();
      });

      it('rejects with a SessionConfigError naming the URL when nothing listens on the port', async () => {
        const port = await freePort();
        const url = `redis://:not-shown@127.0.0.1:${port}`;
        const reported: unknown[] = [];
        const store = createRedisStore({ url, onError: (error) => reported.push(error) });

        const failure = await store.ready().then(
          () => undefined,
          (error: unknown) => error,
        );

        expect(failure).toBeInstanceOf(SessionConfigError);
        const { message } = failure as Error;
        expect(message).toContain(`redis://:***@127.0.0.1:${port}`);
        expect(message).toMatch(/Check the host and port/);
        expect(message).not.toContain('not-shown');
        expect(reported.length).toBeGreaterThan(0);
        // Requests fail too (fast: the offline queue is off), and name the server.
        await expect(store.read(randomKey())).rejects.toThrow(`127.0.0.1:${port}`);
        await store.close();
      });
    });
  });
});

describeWithServer(
  // A private server needs the redis-server binary, not the shared server.
  { name: 'redis-server', url: '', available: binaries.available, reason: binaries.reason },
  'redis store with a password-protected private server',
  () => {
    const password = `pw-${randomBytes(6).toString('hex')}`;
    let server: PrivateRedisServer;

    beforeAll(async () => {
      server = await startPrivateRedis({ password });
    });

    afterAll(async () => {
      await server?.remove();
    });

    /** ready()'s failure for `url`, the store closed afterwards. */
    async function readyFailure(url: string): Promise<Error> {
      const store = createRedisStore({ url });
      try {
        await store.ready();
      } catch (error) {
        return error as Error;
      } finally {
        await store.close();
      }
      throw new Error(`ready() resolved for ${url}`);
    }

    it('ready() rejects a wrong password with a SessionConfigError saying to check it, masked', async () => {
      const failure = await readyFailure(`redis://:wrong-${password}@127.0.0.1:${server.port}`);

      expect(failure).toBeInstanceOf(SessionConfigError);
      expect(failure.message).toContain(`redis://:***@127.0.0.1:${server.port}`);
      expect(failure.message).toMatch(/WRONGPASS/);
      expect(failure.message).toMatch(/Check the user and password in the URL/);
      expect(failure.message).not.toContain(password);
    });

    it('ready() rejects a missing password with a SessionConfigError saying to check it', async () => {
      const failure = await readyFailure(`redis://127.0.0.1:${server.port}`);

      expect(failure).toBeInstanceOf(SessionConfigError);
      expect(failure.message).toMatch(/NOAUTH/);
      expect(failure.message).toMatch(/Check the user and password in the URL/);
    });

    it('works with the right password', async () => {
      const store = createRedisStore({ url: server.url });
      await store.ready();
      const key = randomKey();
      expect(await store.create(key, liveRecord({ ok: true }))).toBe(true);
      expect((await store.read(key))?.data).toEqual({ ok: true });
      await store.close();
    });
  },
);
