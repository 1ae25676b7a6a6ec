/**
 * The express-session bridge with every adapter (issue 12 §2, "usable with
 * every adapter"): the tiny app of each adapter (node:http, Express 5 and 4,
 * Fastify, Hono, Koa) over real HTTP with a cookie jar, its store an
 * express-session store through fromExpressSessionStore: connect-redis on the
 * shared Redis, connect-pg-simple on the shared PostgreSQL, and memorystore.
 * Then connect-redis through an outage of a private Redis: 503, then recovery.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { RedisStore } from 'connect-redis';
import session from 'express-session';
import createMemoryStoreClass from 'memorystore';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { digestSessionIdNode } from '../../src/adapters/node/digest.js';
import {
  type ExpressSessionBridgeStore,
  fromExpressSessionStore,
} from '../../src/stores/express-session/index.js';
import { type RunningTinyApp, TINY_APPS } from '../adapters/tiny-apps/index.js';
import { openConnectPgSimple } from '../helpers/connect-pg-simple.js';
import { CookieJarClient } from '../helpers/cookie-jar-client.js';
import {
  findRedisBinaries,
  type PrivateRedisServer,
  startPrivateRedis,
} from '../helpers/private-redis.js';
import { describeWithServer, probeServer, SERVER_URLS } from '../helpers/servers.js';

const MemoryStoreOfMemorystore = createMemoryStoreClass(session);

const suffix = randomBytes(6).toString('hex');
const redisPrefix = `tessera-bridge-apps-${suffix}:`;
const pgSchema = `tessera_bridge_apps_${suffix}`;

const [redis, postgres] = await Promise.all([
  probeServer('redis', SERVER_URLS.redis),
  probeServer('postgres', SERVER_URLS.postgres),
]);
const redisBinaries = findRedisBinaries();

/** The legacy record under the session a client's cookie names, as the express-session store answers it. */
function legacyRecord(bridge: ExpressSessionBridgeStore, id: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    bridge.expressStore.get(digestSessionIdNode(id), (error, value) =>
      error ? reject(error) : resolve(value ?? null),
    );
  });
}

/** The scenarios every adapter passes on the bridge over one express-session store. */
function describeOnEveryAdapter(backend: string, bridge: () => ExpressSessionBridgeStore): void {
  describe.each(TINY_APPS)(`${backend} through the bridge, adapter $name`, (app) => {
    let server: RunningTinyApp | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });
    async function browser(): Promise<CookieJarClient> {
      server ??= await app.start({ store: bridge() });
      return new CookieJarClient(server.baseUrl);
    }
    const sid = (client: CookieJarClient): string => client.cookie('sessionid') ?? '';

    it('counts visits per browser, the counter persisting across requests', async () => {
      const first = await browser();
      const second = await browser();
      expect((await first.get('/hit')).text).toBe('1');
      expect((await first.get('/hit')).text).toBe('2');
      expect((await second.get('/hit')).text).toBe('1');
      expect((await first.get('/hit')).text).toBe('3');
      expect(await legacyRecord(bridge(), sid(first))).toMatchObject({
        counter: 3,
        cookie: { expires: expect.any(String) },
      });
    });

    it('destroys the record on logout', async () => {
      const client = await browser();
      await client.get('/signin?user=ann');
      const loggedIn = sid(client);
      expect(await legacyRecord(bridge(), loggedIn)).toMatchObject({
        __tessera: { userId: 'ann' },
      });

      await client.get('/flush');

      expect(await legacyRecord(bridge(), loggedIn)).toBeNull();
      expect((await client.get('/read')).text).toBe('0');
    });

    it('moves the session to a new id on login and removes the old record', async () => {
      const client = await browser();
      await client.get('/login-form');
      const before = sid(client);

      expect((await client.get('/login?user=bea')).text).toBe('welcome bea');

      expect(sid(client)).not.toBe(before);
      expect(await legacyRecord(bridge(), before)).toBeNull();
      expect((await client.get('/whoami')).text).toBe('bea');
    });

    it('keeps both keys of two overlapping requests that set different keys', async () => {
      const client = await browser();
      await client.get('/hit');
      const slow = client.get('/slow-set?ms=150&key=late');
      await sleep(30);
      await client.get('/set?key=quick&value=1');
      await slow;

      expect(JSON.parse((await client.get('/keys')).text)).toEqual(['counter', 'late', 'quick']);
    });

    it('does not bring back a session a logout destroyed while a slow request ran', async () => {
      const client = await browser();
      await client.get('/hit');
      const loggedOut = sid(client);
      const slow = client.get('/slow-set?ms=150&key=late');
      await sleep(30);
      await client.get('/flush');

      expect((await slow).status).toBe(400);

      expect(await legacyRecord(bridge(), loggedOut)).toBeNull();
      expect((await client.get('/read')).text).toBe('0');
    });
  });
}

describeWithServer(redis, 'connect-redis with every adapter', () => {
  const client = createClient({ url: SERVER_URLS.redis });
  const store = fromExpressSessionStore(new RedisStore({ client, prefix: redisPrefix }));
  beforeAll(async () => {
    await client.connect();
  });
  afterAll(async () => {
    for await (const keys of client.scanIterator({ MATCH: `${redisPrefix}*` })) {
      if (keys.length > 0) await client.del(keys);
    }
    await client.quit();
  });
  describeOnEveryAdapter('connect-redis', () => store);
});

describeWithServer(postgres, 'connect-pg-simple with every adapter', () => {
  const { store: legacy, createSchema, close } = openConnectPgSimple(pgSchema);
  const store = fromExpressSessionStore(legacy);
  beforeAll(createSchema);
  afterAll(close);
  describeOnEveryAdapter('connect-pg-simple', () => store);
});

describe('memorystore with every adapter', () => {
  const legacy = new MemoryStoreOfMemorystore({});
  const store = fromExpressSessionStore(legacy);
  afterAll(() => legacy.stopInterval());
  describeOnEveryAdapter('memorystore', () => store);
});

describeWithServer(
  {
    name: 'redis-server',
    url: '',
    available: redisBinaries.available,
    reason: redisBinaries.reason,
  },
  'connect-redis through an outage of its Redis, on every adapter',
  () => {
    let privateRedis: PrivateRedisServer;
    let client: ReturnType<typeof createClient>;
    const servers: { name: string; server: RunningTinyApp; browser: CookieJarClient }[] = [];
    /** Background errors of the node-redis client (reconnect attempts). */
    const clientErrors: unknown[] = [];

    beforeAll(async () => {
      privateRedis = await startPrivateRedis({ persistent: true });
      // Without the offline queue, a command while Redis is down fails at once instead of waiting.
      client = createClient({ url: privateRedis.url, disableOfflineQueue: true });
      client.on('error', (error: unknown) => clientErrors.push(error));
      await client.connect();
      const store = fromExpressSessionStore(new RedisStore({ client, prefix: redisPrefix }));
      for (const app of TINY_APPS) {
        const server = await app.start({ store, onError: () => {} });
        servers.push({ name: app.name, server, browser: new CookieJarClient(server.baseUrl) });
      }
    });

    afterAll(async () => {
      for (const { server } of servers) await server.close();
      if (client?.isOpen) await client.quit();
      await privateRedis?.remove();
    });

    it('counts visits while Redis is up', async () => {
      for (const { browser } of servers) {
        expect((await browser.get('/hit')).text).toBe('1');
        expect((await browser.get('/hit')).text).toBe('2');
      }
    });

    it('answers 503 on every adapter while Redis is down', async () => {
      await privateRedis.stop();
      for (const { name, browser } of servers) {
        const response = await browser.get('/hit');
        expect(response.status, name).toBe(503);
      }
    });

    it('recovers once Redis is back, each counter going on from its stored value', async () => {
      await privateRedis.start();
      for (const { name, browser } of servers) {
        let response = await browser.get('/hit');
        // node-redis reconnects in the background, with a back-off.
        for (let attempt = 0; response.status === 503 && attempt < 100; attempt++) {
          await sleep(100);
          response = await browser.get('/hit');
        }
        expect(response.text, name).toBe('3');
      }
    });
  },
);
