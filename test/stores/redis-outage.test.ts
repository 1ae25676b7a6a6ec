/**
 * An Express app on a private Redis that goes down and comes back: requests
 * needing the session answer 503 without hanging, the app keeps serving the
 * rest, and once Redis returns the sessions carry on where they were, without
 * restarting anything. Then a server that accepts connections but never
 * answers (a half-dead process, a silent peer).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SessionConfigError, SessionStoreError } from '../../src/core/errors.js';
import { createRedisStore, type RedisStore } from '../../src/stores/redis/index.js';
import { CookieJarClient } from '../helpers/cookie-jar-client.js';
import {
  findRedisBinaries,
  type PrivateRedisServer,
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
  'redis store through an outage of the server',
  () => {
    let redis: PrivateRedisServer;
    let app: CountingApp;
    /** What the store's onError was told (background client errors). */
    const backgroundErrors: unknown[] = [];

    beforeAll(async () => {
      // Append-only file fsync'd on every write, so a stop and start lose nothing.
      redis = await startPrivateRedis({ persistent: true });
      const store = createRedisStore({
        url: redis.url,
        onError: (error) => backgroundErrors.push(error),
      });
      await store.ready();
      app = await startCountingApp(store);
    });

    afterAll(async () => {
      await app?.close();
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
      expect(app.requestErrors.length).toBeGreaterThan(0);
      const [{ error, phase }] = app.requestErrors as [{ error: unknown; phase: string }];
      expect(error).toBeInstanceOf(SessionStoreError);
      expect(phase).toBe('load');
      expect((error as Error).message).toContain(`Redis at ${redis.url} is unreachable`);
      expect(backgroundErrors.length).toBeGreaterThan(0);
    });

    it('keeps answering 503, not hanging, on every request of the outage', PROMPTLY, async () => {
      const responses = await Promise.all(
        Array.from({ length: 5 }, () => app.browser.get('/count')),
      );

      expect(responses.map((response) => response.status)).toEqual([503, 503, 503, 503, 503]);
    });

    it('still answers a request that does not touch the session', async () => {
      const stranger = new CookieJarClient(app.baseUrl);

      const response = await stranger.get('/health');

      expect(response.status).toBe(200);
      expect(response.text).toBe('ok');
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
  'redis store on a server that accepts connections but never answers',
  () => {
    let redis: PrivateRedisServer;
    /** Holds every connection unanswered until told to forward new ones to Redis. */
    let gate: SilentServer;
    let store: RedisStore;

    beforeAll(async () => {
      redis = await startPrivateRedis();
      gate = await startSilentServer();
      store = createRedisStore({ url: `redis://127.0.0.1:${gate.port}`, connectTimeout: 500 });
    });

    afterAll(async () => {
      await store?.close();
      await gate?.close();
      await redis?.remove();
    });

    it('ready() rejects with a SessionConfigError naming "connectTimeout"', PROMPTLY, async () => {
      const failure = await store.ready().catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(SessionConfigError);
      expect((failure as Error).message).toMatch(
        /no connection within 500 ms \(option "connectTimeout"\)/,
      );
    });

    it('fails requests instead of hanging', PROMPTLY, async () => {
      await expect(store.read('a'.repeat(64))).rejects.toThrow(/is unreachable/);
    });

    it('recovers by itself once the server answers, giving up the silent connection', async () => {
      gate.forwardTo(redis.port);

      const result = await retryUntil(
        () => store.read('a'.repeat(64)).catch((error: unknown) => error),
        (outcome) => !(outcome instanceof Error),
      );

      expect(result).toBeNull();
      await store.ready();
    });
  },
);
