/**
 * An Express app on an ioredis client of a private Redis that goes down and
 * comes back, the client left at ioredis's defaults (commands queued while
 * offline, retried 20 times): requests needing the session answer 503 without
 * hanging, the rest still answer, and once Redis returns the sessions carry
 * on without restarting anything. Then a server that stops answering commands
 * (CLIENT PAUSE), and one that accepts connections but never answers.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SessionConfigError, SessionStoreError } from '../../src/core/errors.js';
import { createRedisStore, type RedisStore } from '../../src/stores/redis/index.js';
import { CookieJarClient } from '../helpers/cookie-jar-client.js';
import {
  findRedisBinaries,
  type PrivateRedisServer,
  redisCli,
  startPrivateRedis,
} from '../helpers/private-redis.js';
import { describeWithServer } from '../helpers/servers.js';
import {
  type CountingApp,
  PROMPTLY,
  retryUntil,
  type SilentServer,
  startCountingApp,
  startSilentServer,
} from './redis-outage-fixtures.js';

const binaries = findRedisBinaries();

describeWithServer(
  { name: 'redis-server', url: '', available: binaries.available, reason: binaries.reason },
  'redis store through ioredis, through an outage of the server',
  () => {
    let redis: PrivateRedisServer;
    let client: Redis;
    let app: CountingApp;
    /** What the store's onError was told (the client's background errors). */
    const backgroundErrors: unknown[] = [];

    beforeAll(async () => {
      // Append-only file fsync'd on every write, so a stop and start lose nothing.
      redis = await startPrivateRedis({ persistent: true });
      // ioredis's defaults but a quicker reconnection, so the recovery below is quick.
      client = new Redis(redis.url, { lazyConnect: true, retryStrategy: () => 200 });
      const store = createRedisStore({
        client,
        onError: (error) => backgroundErrors.push(error),
      });
      await store.ready();
      app = await startCountingApp(store);
    });

    afterAll(async () => {
      await app?.close();
      client?.disconnect();
      await redis?.remove();
    });

    it('counts visits while Redis is up', async () => {
      for (const expected of ['1', '2', '3']) {
        const response = await app.browser.get('/count');
        expect(response.status).toBe(200);
        expect(response.text).toBe(expected);
      }
    });

    it('answers 503 promptly while Redis is down, telling onError why', PROMPTLY, async () => {
      await redis.stop();

      const response = await app.browser.get('/count');

      expect(response.status).toBe(503);
      const [{ error, phase }] = app.requestErrors as [{ error: unknown; phase: string }];
      expect(error).toBeInstanceOf(SessionStoreError);
      expect(phase).toBe('load');
      expect((error as Error).message).toContain(
        `Redis at ${redis.url} (the given ioredis client) is unreachable`,
      );
    });

    it('keeps answering 503, not hanging, on every request of the outage', PROMPTLY, async () => {
      const responses = await Promise.all(
        Array.from({ length: 5 }, () => app.browser.get('/count')),
      );

      expect(responses.map((response) => response.status)).toEqual([503, 503, 503, 503, 503]);
      expect(backgroundErrors.length).toBeGreaterThan(0);
    });

    it('still answers a request that does not touch the session', async () => {
      const stranger = new CookieJarClient(app.baseUrl);

      const response = await stranger.get('/health');

      expect(response.status).toBe(200);
      expect(response.setCookies).toEqual([]);
    });

    it('recovers by itself once Redis is back, and the counter goes on from its stored value', async () => {
      await redis.start();

      const response = await retryUntil(
        () => app.browser.get('/count'),
        (answer) => answer.status !== 503,
      );

      expect(response.status).toBe(200);
      expect(response.text).toBe('4');
      expect((await app.browser.get('/count')).text).toBe('5');
    });
  },
);

describeWithServer(
  { name: 'redis-server', url: '', available: binaries.available, reason: binaries.reason },
  'redis store through ioredis on a server that stops answering commands',
  () => {
    let redis: PrivateRedisServer;
    let client: Redis;
    let store: RedisStore<Redis>;

    beforeAll(async () => {
      redis = await startPrivateRedis();
      client = new Redis(redis.url, { lazyConnect: true });
      client.on('error', () => {});
      store = createRedisStore({ client, commandTimeout: 300 });
      await store.ready();
    });

    afterAll(async () => {
      await store?.close();
      client?.disconnect();
      await redis?.remove();
    });

    it('gives up a command after commandTimeout, naming the option', PROMPTLY, async () => {
      await redisCli(redis, ['CLIENT', 'PAUSE', '1500', 'ALL']);

      await expect(store.read('a'.repeat(64))).rejects.toThrow(
        /no answer to HGETALL within 300 ms \(option "commandTimeout"\)/,
      );
    });

    it('answers again once the server does', async () => {
      const result = await retryUntil(
        () => store.read('a'.repeat(64)).catch((error: unknown) => error),
        (outcome) => !(outcome instanceof Error),
      );

      expect(result).toBeNull();
    });
  },
);

describeWithServer(
  { name: 'redis-server', url: '', available: binaries.available, reason: binaries.reason },
  'redis store through ioredis on a server that accepts connections but never answers',
  () => {
    let gate: SilentServer;
    let client: Redis;
    let store: RedisStore<Redis>;

    beforeAll(async () => {
      gate = await startSilentServer();
      client = new Redis(gate.port, '127.0.0.1', { lazyConnect: true });
      client.on('error', () => {});
      store = createRedisStore({ client, connectTimeout: 500 });
    });

    afterAll(async () => {
      await store?.close();
      client?.disconnect();
      await gate?.close();
    });

    it('ready() rejects with a SessionConfigError naming "connectTimeout"', PROMPTLY, async () => {
      const failure = await store.ready().catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(SessionConfigError);
      expect((failure as Error).message).toMatch(
        /no connection within 500 ms \(option "connectTimeout"\)/,
      );
    });

    it('fails requests instead of hanging', PROMPTLY, async () => {
      const outcomes = await Promise.all(
        Array.from({ length: 3 }, () =>
          store.read('a'.repeat(64)).catch((error: unknown) => error),
        ),
      );

      for (const outcome of outcomes) {
        expect(outcome).toBeInstanceOf(Error);
        expect((outcome as Error).message).toMatch(/is unreachable/);
      }
    });
  },
);
