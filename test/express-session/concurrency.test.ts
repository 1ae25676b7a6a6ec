/**
 * The lost update and the resurrection (issue 12 §1), on real express-session
 * and on the drop-in: the same app, the same requests over a real server.
 * express-session writes the whole session it read, so it loses a concurrent
 * request's key and brings a logged-out session back; the drop-in writes only
 * the keys a request changed and never rewrites a destroyed session.
 */

import { RedisStore as ConnectRedisStore } from 'connect-redis';
import type { RequestHandler } from 'express';
import expressSession from 'express-session';
import { createClient } from 'redis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import dropIn from '../../src/express-session/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { createRedisStore } from '../../src/stores/redis/index.js';
import { describeWithServer, probeServer, SERVER_URLS } from '../helpers/servers.js';
import {
  cookieOf,
  deleteRedisKeysUnder,
  type GatedApp,
  get,
  startGatedApp,
} from './app-harness.js';

const OPTIONS = { secret: 'keyboard cat', resave: false, saveUninitialized: false } as const;
const redisProbe = await probeServer('redis', SERVER_URLS.redis);
const PREFIX = `tessera-test:dropin-concurrency:${process.pid}:`;

interface Implementation {
  name: string;
  /** Whether it keeps both writes and keeps a logged-out session out. */
  safe: boolean;
  middleware(): Promise<RequestHandler>;
}

const opened: GatedApp[] = [];
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const app of opened.splice(0)) await app.server.close();
});
afterAll(async () => {
  for (const close of closers.splice(0)) await close();
  if (redisProbe.available) await deleteRedisKeysUnder(SERVER_URLS.redis, PREFIX);
});

/** Two overlapping requests set different keys; the slow one ends last. */
async function runLostUpdate(middleware: RequestHandler): Promise<Record<string, unknown>> {
  const app = await startGatedApp(middleware);
  opened.push(app);
  const cookie = cookieOf(await get(app, '/login'));
  const slow = get(app, '/slow/cart', cookie);
  await app.slowReached;
  expect((await get(app, '/set/theme', cookie)).status).toBe(200);
  app.release();
  expect((await slow).status).toBe(200);
  return (await (await get(app, '/read', cookie)).json()) as Record<string, unknown>;
}

/** A slow request is still running when the user logs out. */
async function runResurrection(middleware: RequestHandler): Promise<Record<string, unknown>> {
  const app = await startGatedApp(middleware);
  opened.push(app);
  const cookie = cookieOf(await get(app, '/login'));
  const slow = get(app, '/slow/cart', cookie);
  await app.slowReached;
  expect((await get(app, '/logout', cookie)).status).toBe(200);
  app.release();
  await slow;
  return (await (await get(app, '/read', cookie)).json()) as Record<string, unknown>;
}

function describeScenarios(storeName: string, implementations: Implementation[]): void {
  for (const implementation of implementations) {
    describe(`${implementation.name} on ${storeName}`, () => {
      it(
        implementation.safe
          ? 'keeps both keys when two overlapping requests set different ones'
          : "loses the first request's key when an overlapping request ends last (the bug)",
        async () => {
          const data = await runLostUpdate(await implementation.middleware());
          expect(data.user).toBe('ann');
          expect(data.cart).toBe(1);
          if (implementation.safe) expect(data.theme).toBe(1);
          else expect(data.theme).toBeUndefined();
        },
      );
      it(
        implementation.safe
          ? 'keeps a logged-out session out when a slow request ends after the logout'
          : 'brings a logged-out session back when a slow request ends after the logout (the bug)',
        async () => {
          const data = await runResurrection(await implementation.middleware());
          if (implementation.safe) expect(data).toEqual({});
          else expect(data).toMatchObject({ user: 'ann', cart: 1 });
        },
      );
    });
  }
}

describeScenarios('the memory store', [
  {
    name: 'express-session',
    safe: false,
    middleware: async () =>
      expressSession({ ...OPTIONS, store: new expressSession.MemoryStore() }) as RequestHandler,
  },
  {
    name: 'the drop-in',
    safe: true,
    middleware: async () => dropIn({ ...OPTIONS, store: createMemoryStore() }) as RequestHandler,
  },
  {
    name: 'the drop-in with its express-session-style MemoryStore',
    safe: true,
    middleware: async () => dropIn({ ...OPTIONS }) as RequestHandler,
  },
]);

describeWithServer(redisProbe, 'on Redis', () => {
  let counter = 0;
  const nextPrefix = (): string => `${PREFIX}${++counter}:`;
  describeScenarios('Redis (connect-redis / Tessera Redis store)', [
    {
      name: 'express-session with connect-redis',
      safe: false,
      middleware: async () => {
        const client = createClient({ url: SERVER_URLS.redis });
        await client.connect();
        closers.push(() => client.quit());
        const store = new ConnectRedisStore({ client, prefix: nextPrefix() });
        return expressSession({ ...OPTIONS, store }) as RequestHandler;
      },
    },
    {
      name: "the drop-in with Tessera's Redis store",
      safe: true,
      middleware: async () => {
        const store = createRedisStore({ url: SERVER_URLS.redis, prefix: nextPrefix() });
        closers.push(async () => store.close?.());
        return dropIn({ ...OPTIONS, store }) as RequestHandler;
      },
    },
  ]);
});
