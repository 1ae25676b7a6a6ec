/**
 * The Redis store given an ioredis client (issue 12 §2): the same scripts on
 * the same keys as with node-redis, checked by the conformance suite on the
 * shared server, by a node-redis store reading what the ioredis store wrote
 * (and the other way round), and by an Express app.
 */
import { randomBytes } from 'node:crypto';
import express from 'express';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionMiddleware, getSession } from '../../src/adapters/express/index.js';
import { SessionConfigError } from '../../src/core/errors.js';
import type { StoredData } from '../../src/core/store.js';
import {
  createRedisStore,
  type RedisStore,
  type RedisStoreOptions,
} from '../../src/stores/redis/index.js';
import { CookieJarClient } from '../helpers/cookie-jar-client.js';
import { listen, type RunningServer } from '../helpers/listen.js';
import {
  findRedisBinaries,
  type PrivateRedisServer,
  startPrivateRedis,
} from '../helpers/private-redis.js';
import { describeWithServer, probeServer, SERVER_URLS } from '../helpers/servers.js';
import { describeStoreConformance } from './conformance.js';
import { delta, liveRecord, randomKey } from './redis-fixtures.js';

const redis = await probeServer('redis', SERVER_URLS.redis);
const binaries = findRedisBinaries();
/** Every key of this run starts with it; removed in afterAll. */
const runPrefix = `tessera-test-ioredis:${randomBytes(6).toString('hex')}:`;

/** An ioredis client of the shared server that reports its errors nowhere (the store listens). */
function openIoRedis(options: RedisOptions = {}): Redis {
  return new Redis(SERVER_URLS.redis, { lazyConnect: true, ...options });
}

/** Every key under `prefix` on the server, sorted. */
async function keysUnder(client: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found.sort();
}

describe('createRedisStore({ client }) with something else than a Redis client', () => {
  it.each([
    ['an object with some of their methods', { status: 'ready', sendCommand() {}, on() {} }],
    ['a connection URL given as client', 'redis://127.0.0.1:6379'],
    ['a class instead of an instance', Redis],
  ])('throws at creation for %s, naming node-redis and ioredis', (_, client) => {
    const create = () => createRedisStore({ client } as unknown as RedisStoreOptions);
    expect(create).toThrow(SessionConfigError);
    expect(create).toThrow(/option "client" must be a node-redis client.*or an ioredis client/);
  });

  it('refuses an ioredis client with a keyPrefix, saying to use the option "prefix"', () => {
    const client = new Redis({ lazyConnect: true, keyPrefix: 'app:' });

    expect(() => createRedisStore({ client })).toThrow(
      /has keyPrefix "app:".*option "prefix" instead/,
    );
  });

  it('refuses an ioredis Cluster reading from replicas, saying why', () => {
    const client = new Cluster([{ host: '127.0.0.1', port: 1 }], {
      lazyConnect: true,
      scaleReads: 'slave',
    });

    expect(() => createRedisStore({ client })).toThrow(/reads from replicas.*scaleReads: 'master'/);
  });
});

describeWithServer(redis, 'redis store through ioredis on the shared server', () => {
  afterAll(async () => {
    const raw = openIoRedis();
    const keys = await keysUnder(raw, runPrefix);
    if (keys.length > 0) await raw.del(...keys);
    raw.disconnect();
  });

  describeStoreConformance('redis (ioredis)', async () => {
    const client = openIoRedis();
    const store = createRedisStore({ client, prefix: `${runPrefix}conformance:` });
    await store.ready();
    return {
      store,
      // Redis drops records itself once their TTL fires: clearExpired may find none.
      expiresOnItsOwn: true,
      cleanup: async () => {
        await store.close();
        client.disconnect();
      },
    };
  });

  describe('createRedisStore({ client: new Redis() })', () => {
    let raw: Redis;
    const opened: { store: RedisStore<Redis>; client: Redis }[] = [];
    let counter = 0;

    /** A store on its own ioredis client, under a prefix of its own (keys removed by the outer afterAll). */
    function openStore(
      clientOptions: RedisOptions = {},
      prefix = `${runPrefix}specific-${++counter}:`,
    ): RedisStore<Redis> {
      const client = openIoRedis(clientOptions);
      client.on('error', () => {});
      const store = createRedisStore({ client, prefix });
      opened.push({ store, client });
      return store;
    }

    beforeAll(() => {
      raw = openIoRedis();
    });

    afterAll(async () => {
      for (const { store, client } of opened) {
        await store.close();
        client.disconnect();
      }
      raw.disconnect();
    });

    it('is typed as the client given, and is that client', () => {
      const store = openStore();

      expect(store.client).toBeInstanceOf(Redis);
      expect(store.client.status).toBe('wait');
    });

    it('writes the layout node-redis writes: a node-redis store reads and updates it, and back', async () => {
      const prefix = `${runPrefix}shared-layout:`;
      const viaIoRedis = openStore({}, prefix);
      const nodeRedis = createClient({ url: SERVER_URLS.redis });
      nodeRedis.on('error', () => {});
      const viaNodeRedis = createRedisStore({ client: nodeRedis, prefix });
      const key = randomKey();
      const userId = `user-${randomKey()}`;

      await viaIoRedis.create(key, liveRecord({ cart: [1, 2], theme: 'dark' }, { userId }));

      expect(await raw.hgetall(`${prefix}s:{${key}}`)).toMatchObject({
        'd:cart': '[1,2]',
        'd:theme': '"dark"',
        userId,
      });
      expect((await viaNodeRedis.read(key))?.data).toEqual({ cart: [1, 2], theme: 'dark' });
      expect(await viaNodeRedis.update(key, delta({ theme: 'light' }, ['cart']))).toBe(true);
      expect((await viaIoRedis.read(key))?.data).toEqual({ theme: 'light' });
      expect((await viaNodeRedis.listUserSessions(userId)).map((session) => session.key)).toEqual([
        key,
      ]);
      expect(await viaIoRedis.destroyUserSessions(userId)).toBe(1);
      expect(await viaNodeRedis.read(key)).toBeNull();

      await viaNodeRedis.close();
      nodeRedis.destroy();
    });

    it('keeps many keys in one session (more than one Lua step)', async () => {
      const store = openStore();
      const key = randomKey();
      const data: StoredData = {};
      for (let index = 0; index < 1000; index++) data[`key${index}`] = index;

      await store.create(key, liveRecord(data));
      const removed = Array.from({ length: 500 }, (_, index) => `key${index}`);
      expect(await store.update(key, delta({ added: true }, removed))).toBe(true);

      expect(Object.keys((await store.read(key))?.data ?? {})).toHaveLength(501);
    });

    it('works whatever its reply mapping and protocol', async () => {
      for (const options of [
        { replyMapping: 'resp3' as const },
        { protocol: 2 as const },
        { stringNumbers: true },
      ]) {
        const store = openStore(options);
        const key = randomKey();
        const userId = `user-${randomKey()}`;

        await store.create(key, liveRecord({ text: 'é', list: [1] }, { userId }));
        expect(await store.update(key, delta({ more: true }))).toBe(true);

        expect((await store.read(key))?.data).toEqual({ text: 'é', list: [1], more: true });
        expect((await store.listUserSessions(userId)).map((session) => session.key)).toEqual([key]);
        // JSON text per key: "é" is 4 bytes, [1] 3, true 4.
        expect(await store.stats()).toEqual({ count: 1, expired: 0, bytes: 11 });
      }
    });

    it('counts and clears expired records with SCAN, and prunes the user index', async () => {
      const store = openStore();
      const userId = `user-${randomKey()}`;
      for (let index = 0; index < 5; index++) {
        await store.create(randomKey(), liveRecord({}, { userId, expiresAt: Date.now() - 1_000 }));
      }
      const live = randomKey();
      await store.create(live, liveRecord({ a: 1 }));

      expect(await store.stats()).toEqual({ count: 6, expired: 5, bytes: 1 });
      expect(await store.clearExpired({ batchSize: 2 })).toBe(5);
      expect(await keysUnder(raw, store.prefix)).toEqual([`${store.prefix}s:{${live}}`]);
      expect((await store.listSessions({ limit: 10 })).map((session) => session.key)).toEqual([
        live,
      ]);
    });

    it('connects a client created with lazyConnect, and leaves it open on close()', async () => {
      const client = openIoRedis();
      const store = createRedisStore({ client, prefix: `${runPrefix}lazy:` });

      await store.ready();
      expect(client.status).toBe('ready');
      expect(await store.read(randomKey())).toBeNull();
      await store.close();

      expect(client.status).toBe('ready');
      expect(client.listenerCount('error')).toBe(0);
      client.disconnect();
    });

    it('reports the client’s errors to onError while open', async () => {
      const client = openIoRedis();
      const reported: unknown[] = [];
      const store = createRedisStore({ client, onError: (error) => reported.push(error) });

      client.emit('error', new Error('socket hang up'));

      expect(reported).toEqual([new Error('socket hang up')]);
      await store.close();
      client.disconnect();
    });

    it('does not reopen a client its owner closed', async () => {
      const client = openIoRedis();
      client.on('error', () => {});
      const store = createRedisStore({ client, prefix: `${runPrefix}closed:` });
      await store.ready();
      const ended = new Promise((resolve) => client.once('end', resolve));
      await client.quit();
      await ended;

      await expect(store.read(randomKey())).rejects.toThrow(/ioredis client .* is closed/);
      expect(client.status).toBe('end');
      await store.close();
    });
  });

  describe('an Express app on an ioredis store', () => {
    let client: Redis;
    let app: RunningServer;
    let middleware: ReturnType<typeof createSessionMiddleware>;
    let store: RedisStore<Redis>;

    beforeAll(async () => {
      client = openIoRedis();
      store = createRedisStore({ client, prefix: `${runPrefix}express:` });
      await store.ready();
      middleware = createSessionMiddleware({ store });
      const server = express();
      server.use(middleware);
      server.post('/login/:user', (req, res) => {
        getSession(req).login(String(req.params.user));
        res.send('in');
      });
      server.get('/count', (req, res) => {
        const session = getSession<{ count: number }>(req);
        const count = session.get('count', 0) + 1;
        session.set('count', count);
        res.send(String(count));
      });
      app = await listen(server as unknown as Parameters<typeof listen>[0]);
    });

    afterAll(async () => {
      await app?.close();
      await middleware?.close();
      client?.disconnect();
    });

    it('counts visits across a login, and lists the user’s session', async () => {
      const browser = new CookieJarClient(app.baseUrl);
      const userId = `user-${randomKey()}`;

      expect((await browser.get('/count')).text).toBe('1');
      expect((await browser.get('/count')).text).toBe('2');
      expect((await browser.post(`/login/${userId}`)).status).toBe(200);
      expect((await browser.get('/count')).text).toBe('3');

      const sessions = await store.listUserSessions(userId);
      expect(sessions).toHaveLength(1);
      expect(sessions[0]?.data).toMatchObject({ count: 3 });
    });
  });
});

describeWithServer(
  { name: 'redis-server', url: '', available: binaries.available, reason: binaries.reason },
  'redis store through ioredis on a private server',
  () => {
    let server: PrivateRedisServer;

    beforeAll(async () => {
      server = await startPrivateRedis({ password: 'pw-ioredis' });
    });

    afterAll(async () => {
      await server?.remove();
    });

    it('sends a script again with EVAL once the server forgot it (NOSCRIPT)', async () => {
      const client = new Redis(server.url, { lazyConnect: true });
      const store = createRedisStore({ client });
      const key = randomKey();
      await store.create(key, liveRecord({ step: 1 }));

      expect(await client.script('FLUSH')).toBe('OK');

      expect(await store.update(key, delta({ step: 2 }))).toBe(true);
      expect((await store.read(key))?.data).toEqual({ step: 2 });
      await store.close();
      client.disconnect();
    });

    it('ready() rejects a wrong password with a SessionConfigError saying to check it', async () => {
      const client = new Redis(`redis://:not-shown@127.0.0.1:${server.port}`, {
        lazyConnect: true,
        retryStrategy: () => null,
      });
      client.on('error', () => {});
      const store = createRedisStore({ client });

      const failure = await store.ready().catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(SessionConfigError);
      expect((failure as Error).message).toMatch(/WRONGPASS/);
      expect((failure as Error).message).toMatch(/Check the user and password/);
      expect((failure as Error).message).not.toContain('not-shown');
      await store.close();
      client.disconnect();
    });
  },
);
