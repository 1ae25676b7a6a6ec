/**
 * An Express app on an ioredis client of a private Redis that goes down and
 * comes back, the client left at ioredis's defaults (commands queued while
 * offline, retried 20 times): requests needing the session answer 503 without
 * hanging, the rest still answer, and once Redis returns the sessions carry
 * on without restarting anything. Then a server that stops answering commands
 * (CLIENT PAUSE), and one that accepts connections but never answers.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createSessionMiddleware,
  getSession,
  type SessionMiddleware,
} from '../../src/adapters/express/index.js';
import { SessionConfigError, SessionStoreError } from '../../src/core/errors.js';
import { createRedisStore, type RedisStore } from '../../src/stores/redis/index.js';
import { CookieJarClient } from '../helpers/cookie-jar-client.js';
import { listen, listenOnLoopback, type RunningServer } from '../helpers/listen.js';
import {
  findRedisBinaries,
  type PrivateRedisServer,
  redisCli,
  startPrivateRedis,
} from '../helpers/private-redis.js';
import { describeWithServer } from '../helpers/servers.js';

const binaries = findRedisBinaries();

/** Generous bound for "promptly": a hang would last until ioredis gives up its queue, or forever. */
const PROMPTLY = { timeout: 15_000 };

describeWithServer(
  { name: 'redis-server', url: '', available: binaries.available, reason: binaries.reason },
  'redis store through ioredis, through an outage of the server',
  () => {
    let redis: PrivateRedisServer;
    let client: Redis;
    let middleware: SessionMiddleware;
    let app: RunningServer;
    /** What the session middleware's onError was told. */
    const requestErrors: { error: unknown; phase: string }[] = [];
    /** What the store's onError was told (the client's background errors). */
    const backgroundErrors: unknown[] = [];
    let browser: CookieJarClient;

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
      middleware = createSessionMiddleware({
        store,
        onError: (error, context) => requestErrors.push({ error, phase: context.phase }),
      });
      const server = express();
      server.use(middleware);
      server.get('/count', (req, res) => {
        const session = getSession<{ count: number }>(req);
        const count = session.get('count', 0) + 1;
        session.set('count', count);
        res.send(String(count));
      });
      server.get('/health', (_req, res) => {
        res.send('ok');
      });
      app = await listen(server as unknown as Parameters<typeof listen>[0]);
      browser = new CookieJarClient(app.baseUrl);
    });

    afterAll(async () => {
      await app?.close();
      await middleware?.close();
      client?.disconnect();
      await redis?.remove();
    });

    it('counts visits while Redis is up', async () => {
      for (const expected of ['1', '2', '3']) {
        const response = await browser.get('/count');
        expect(response.status).toBe(200);
        expect(response.text).toBe(expected);
      }
    });

    it('answers 503 promptly while Redis is down, telling onError why', PROMPTLY, async () => {
      await redis.stop();

      const response = await browser.get('/count');

      expect(response.status).toBe(503);
      const [{ error, phase }] = requestErrors as [{ error: unknown; phase: string }];
      expect(error).toBeInstanceOf(SessionStoreError);
      expect(phase).toBe('load');
      expect((error as Error).message).toContain(
        `Redis at ${redis.url} (the given ioredis client) is unreachable`,
      );
    });

    it('keeps answering 503, not hanging, on every request of the outage', PROMPTLY, async () => {
      const responses = await Promise.all(Array.from({ length: 5 }, () => browser.get('/count')));

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

      // ioredis reconnects in the background.
      let response = await browser.get('/count');
      for (let attempt = 0; response.status === 503 && attempt < 100; attempt++) {
        await sleep(100);
        response = await browser.get('/count');
      }

      expect(response.status).toBe(200);
      expect(response.text).toBe('4');
      expect((await browser.get('/count')).text).toBe('5');
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
      let result: unknown = new Error('not tried');
      for (let attempt = 0; result instanceof Error && attempt < 100; attempt++) {
        result = await store.read('a'.repeat(64)).catch((error: unknown) => error);
        if (result instanceof Error) await sleep(100);
      }

      expect(result).toBeNull();
    });
  },
);

describeWithServer(
  { name: 'redis-server', url: '', available: binaries.available, reason: binaries.reason },
  'redis store through ioredis on a server that accepts connections but never answers',
  () => {
    let gate: Server;
    const held = new Set<Socket>();
    let client: Redis;
    let store: RedisStore<Redis>;

    beforeAll(async () => {
      gate = createServer((socket) => {
        held.add(socket);
        socket.on('error', () => {});
      });
      const port = await listenOnLoopback(gate);
      client = new Redis(port, '127.0.0.1', { lazyConnect: true });
      client.on('error', () => {});
      store = createRedisStore({ client, connectTimeout: 500 });
    });

    afterAll(async () => {
      await store?.close();
      client?.disconnect();
      for (const socket of held) socket.destroy();
      await new Promise<void>((resolve) => (gate ? gate.close(() => resolve()) : resolve()));
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
