/**
 * The PostgreSQL server goes away under a running Express app, and comes
 * back: requests that need the session answer 503 (promptly, never hanging),
 * the rest go on, and once the server is back everything works again without
 * restarting the app, with nothing stored lost. Runs on a private cluster
 * (never the shared server), stopped with `pg_ctl stop -m fast` mid-test.
 */
import express from 'express';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createSessionMiddleware,
  getSession,
  type SessionMiddleware,
} from '../../src/adapters/express/index.js';
import { type SessionErrorContext, SessionStoreError } from '../../src/core/index.js';
import { createPostgresStore, type PostgresStore } from '../../src/stores/postgres/index.js';
import { CookieJarClient, type JarResponse } from '../helpers/cookie-jar-client.js';
import { listen, type RunningServer } from '../helpers/listen.js';
import {
  type PrivatePostgres,
  privatePostgresAvailability,
  startPrivatePostgres,
} from '../helpers/private-postgres.js';
import { describeWithServer } from '../helpers/servers.js';

/** Far above the store's 2 s connection timeout: a request still pending then is hanging. */
const HANG_LIMIT_MS = 15_000;

describeWithServer(privatePostgresAvailability(), 'PostgreSQL store outage', () => {
  let cluster: PrivatePostgres;
  let store: PostgresStore;
  let middleware: SessionMiddleware;
  let server: RunningServer;
  const appErrors: { error: unknown; context: SessionErrorContext }[] = [];
  const poolErrors: unknown[] = [];
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);

  beforeAll(async () => {
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    cluster = await startPrivatePostgres();
    store = createPostgresStore({ url: cluster.url, onError: (error) => poolErrors.push(error) });
    await store.ready();
    const app = express();
    middleware = createSessionMiddleware({
      store,
      onError: (error, context) => appErrors.push({ error, context }),
    });
    app.use(middleware);
    app.get('/count', (req, res) => {
      const session = getSession<{ count: number }>(req);
      const count = session.get('count', 0) + 1;
      session.set('count', count);
      res.send(String(count));
    });
    app.get('/health', (_req, res) => {
      res.send('ok');
    });
    server = await listen(app as unknown as Parameters<typeof listen>[0]);
  });

  afterAll(async () => {
    await server?.close();
    await middleware?.close();
    await cluster?.remove();
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  });

  /** A GET that fails the test, rather than waiting for its timeout, when the app hangs. */
  async function get(client: CookieJarClient, path: string): Promise<JarResponse> {
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`GET ${path} still pending after ${HANG_LIMIT_MS} ms`)),
        HANG_LIMIT_MS,
      );
    });
    try {
      return await Promise.race([client.get(path), hang]);
    } finally {
      clearTimeout(timer);
    }
  }

  it('answers 503 while the server is down, 200 without a session, and recovers with nothing lost', async () => {
    const browser = new CookieJarClient(server.baseUrl);
    for (const expected of ['1', '2', '3']) {
      const response = await get(browser, '/count');
      expect(response.status).toBe(200);
      expect(response.text).toBe(expected);
    }
    expect(browser.cookie('sessionid')).toBeTruthy();

    await cluster.stop();

    // The session cannot be loaded: 503, promptly, again and again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await get(browser, '/count');
      expect(response.status).toBe(503);
    }
    // A request without a cookie needs no store.
    const stranger = new CookieJarClient(server.baseUrl);
    expect((await get(stranger, '/health')).status).toBe(200);

    // The application was told, clearly.
    expect(appErrors.length).toBeGreaterThanOrEqual(3);
    for (const { error, context } of appErrors) {
      expect(error).toBeInstanceOf(SessionStoreError);
      expect(context.phase).toBeTruthy();
      expect((error as Error).message).toMatch(
        new RegExp(
          `Session store "postgres" failed during \\w+: PostgreSQL at postgres://postgres:\\*\\*\\*@127\\.0\\.0\\.1:${cluster.port}/postgres is unreachable`,
        ),
      );
    }
    // The idle connections the shutdown ended went to the store's onError, not to a crash.
    expect(poolErrors.length).toBeGreaterThanOrEqual(1);
    expect(String(poolErrors[0])).toMatch(/terminating connection due to administrator command/);
    expect(crashes).toEqual([]);

    await cluster.start();

    // Same app, same store, same pool: the session is back where it was.
    const after = await get(browser, '/count');
    expect(after.status).toBe(200);
    expect(after.text).toBe('4');
    expect((await get(browser, '/count')).text).toBe('5');
    expect((await get(stranger, '/health')).status).toBe(200);
    expect(crashes).toEqual([]);
  });

  it('answers 503 rather than hanging while the server stops answering, and recovers', async () => {
    const browser = new CookieJarClient(server.baseUrl);
    expect((await get(browser, '/count')).text).toBe('1');
    const errorsBefore = appErrors.length;

    cluster.pause();
    try {
      // A pooled connection whose server hangs (query timeout), then new
      // connections that get no answer (connection timeout): both fail.
      for (let attempt = 0; attempt < 2; attempt++) {
        expect((await get(browser, '/count')).status).toBe(503);
      }
    } finally {
      cluster.resume();
    }

    expect(appErrors.length).toBeGreaterThan(errorsBefore);
    for (const { error } of appErrors.slice(errorsBefore)) {
      expect(error).toBeInstanceOf(SessionStoreError);
    }
    expect((await get(browser, '/count')).text).toBe('2');
    expect(crashes).toEqual([]);
  });
});
