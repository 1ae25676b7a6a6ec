/**
 * The drop-in's own specifications beyond express-session's suite: cookies
 * an express-session deployment issued keep working, bad cookies mean a new
 * session, options are checked, and store failures answer as configured.
 */

import { RedisStore as ConnectRedisStore } from 'connect-redis';
import type { RequestHandler } from 'express';
import expressSession from 'express-session';
import { createClient } from 'redis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SessionConfigError } from '../../src/core/index.js';
import dropIn, {
  type ExpressSessionOptions,
  MemoryStore,
} from '../../src/express-session/index.js';
import { signSessionId, unsignSessionId } from '../../src/express-session/sign.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { describeWithServer, probeServer, SERVER_URLS } from '../helpers/servers.js';
import {
  cookieOf,
  deleteRedisKeysUnder,
  type GatedApp,
  get,
  startGatedApp,
} from './app-harness.js';

const SECRET = 'keyboard cat';
const redisProbe = await probeServer('redis', SERVER_URLS.redis);
const EXISTING_PREFIX = `tessera-test:dropin-existing:${process.pid}:`;

const opened: GatedApp[] = [];
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const app of opened.splice(0)) await app.server.close();
});
afterAll(async () => {
  for (const close of closers.splice(0)) await close();
  if (redisProbe.available) await deleteRedisKeysUnder(SERVER_URLS.redis, EXISTING_PREFIX);
});

async function start(middleware: unknown): Promise<GatedApp> {
  const app = await startGatedApp(middleware as RequestHandler);
  opened.push(app);
  return app;
}

describe('signing', () => {
  it('signs as cookie-signature does (express-session test vector)', () => {
    expect(signSessionId('apple', SECRET)).toBe(
      'apple.D8Y+pkTAmeR0PobOhY4G97PRW+j7bUnP/5m6/On1MCU',
    );
  });

  it('verifies with any of the secrets and refuses a forged signature', () => {
    const signed = signSessionId('abc', 'old secret');
    expect(unsignSessionId(signed, ['new secret', 'old secret'])).toBe('abc');
    expect(unsignSessionId(signed, ['new secret'])).toBeUndefined();
    expect(unsignSessionId(`${signed.slice(0, -2)}xx`, ['old secret'])).toBeUndefined();
    expect(unsignSessionId('no-dot', ['old secret'])).toBeUndefined();
  });

  it('remembers a verified value only for the secret list it verified with', () => {
    const rotation = ['new secret', 'old secret'];
    const retired = ['new secret'];
    const signed = signSessionId('remembered', 'old secret');
    expect(unsignSessionId(signed, rotation)).toBe('remembered');
    expect(unsignSessionId(signed, rotation)).toBe('remembered');
    expect(unsignSessionId(signed, retired)).toBeUndefined();
    expect(unsignSessionId(`${signed.slice(0, -1)}x`, rotation)).toBeUndefined();
    expect(unsignSessionId(`${signed}x`, rotation)).toBeUndefined();
  });
});

describe('an existing express-session cookie', () => {
  it('continues on the drop-in with its data (same legacy MemoryStore)', async () => {
    const store = new expressSession.MemoryStore();
    const options = { secret: SECRET, resave: false, saveUninitialized: false, store };
    const before = await start(expressSession(options));
    const cookie = cookieOf(await get(before, '/login'));
    const after = await start(dropIn(options as ExpressSessionOptions));
    expect(await (await get(after, '/read', cookie)).json()).toEqual({ user: 'ann' });
    await get(after, '/set/theme', cookie);
    // And back: the record the drop-in wrote is still one express-session reads.
    expect(await (await get(before, '/read', cookie)).json()).toMatchObject({
      user: 'ann',
      theme: 1,
    });
  });

  describeWithServer(redisProbe, 'on connect-redis', () => {
    it('continues on the drop-in with its data', async () => {
      const client = createClient({ url: SERVER_URLS.redis });
      await client.connect();
      closers.push(() => client.quit());
      const store = new ConnectRedisStore({
        client,
        prefix: EXISTING_PREFIX,
      });
      const options = { secret: SECRET, resave: false, saveUninitialized: false, store };
      const before = await start(expressSession(options));
      const cookie = cookieOf(await get(before, '/login'));
      const after = await start(dropIn(options as unknown as ExpressSessionOptions));
      expect(await (await get(after, '/read', cookie)).json()).toEqual({ user: 'ann' });
    });
  });
});

describe('bad cookies', () => {
  for (const [label, value] of [
    ['garbage', 'connect.sid=%%%not-a-cookie'],
    ['an unsigned id', 'connect.sid=abcdefghijklmnopqrstuvwxyz012345'],
    ['a forged signature', `connect.sid=${encodeURIComponent(`s:${signSessionId('x', 'other')}`)}`],
    [
      'a well-signed id that is in no store',
      `connect.sid=${encodeURIComponent(`s:${signSessionId('planted', SECRET)}`)}`,
    ],
  ] as const) {
    it(`gives a new session, never an error, for ${label}`, async () => {
      const app = await start(dropIn({ secret: SECRET, store: createMemoryStore() }));
      const response = await get(app, '/login', value);
      expect(response.status).toBe(200);
      const issued = cookieOf(response);
      expect(issued).not.toBe(value);
      // Never adopts the client's id: the new cookie names a fresh one.
      expect(decodeURIComponent(issued)).not.toContain('planted');
    });
  }
});

describe('options', () => {
  it('throws for an unknown option, naming it', () => {
    expect(() => dropIn({ secret: SECRET, cookieAge: 60 } as never)).toThrow(SessionConfigError);
    expect(() => dropIn({ secret: SECRET, cookieAge: 60 } as never)).toThrow(/cookieAge/);
  });

  it('accepts every express-session option', () => {
    expect(() =>
      dropIn({
        secret: [SECRET, 'older'],
        name: 'sid',
        key: 'sid',
        cookie: { maxAge: 60_000, sameSite: 'lax', secure: 'auto', priority: 'high' },
        genid: () => 'id',
        proxy: true,
        resave: false,
        rolling: true,
        saveUninitialized: false,
        unset: 'destroy',
        store: new MemoryStore(),
      }),
    ).not.toThrow();
  });

  it('rejects what express-session rejects, with its TypeErrors', () => {
    expect(() => dropIn({ genid: 'x' as never })).toThrow(TypeError);
    expect(() => dropIn({ unset: 'drop' as never })).toThrow(/unset/);
    expect(() => dropIn({ secret: [] })).toThrow(/secret option array/);
    expect(() => dropIn({ storeErrors: 'ignore' as never })).toThrow(/storeErrors/);
  });

  it('passes a store read failure to next(err) by default, and answers 503 with storeErrors: "respond"', async () => {
    const failing = new MemoryStore();
    failing.get = (_sid, callback) => callback(new Error('store down'));
    const signed = `connect.sid=${encodeURIComponent(`s:${signSessionId('abc', SECRET)}`)}`;
    const passing = await start(dropIn({ secret: SECRET, store: failing }));
    const passed = await get(passing, '/read', signed);
    expect(passed.status).toBe(500);
    const responding = await start(
      dropIn({ secret: SECRET, store: failing, storeErrors: 'respond' }),
    );
    const answered = await get(responding, '/read', signed);
    expect(answered.status).toBe(503);
    expect(answered.headers.get('retry-after')).not.toBeNull();
  });

  it("stores a Tessera store's records under SHA-256 digests of the ids, never the ids", async () => {
    const store = createMemoryStore();
    const app = await start(dropIn({ secret: SECRET, store }));
    const cookie = cookieOf(await get(app, '/login'));
    const id = unsignSessionId(decodeURIComponent(cookie.split('=')[1]!).slice(2), [SECRET])!;
    expect(await store.read(id)).toBeNull();
    const { createHash } = await import('node:crypto');
    expect(await store.read(createHash('sha256').update(id).digest('hex'))).not.toBeNull();
  });

  it('makes JSON.stringify(req.session) the data and cookie only (methods are not enumerable)', async () => {
    const app = await start(dropIn({ secret: SECRET, store: createMemoryStore() }));
    const cookie = cookieOf(await get(app, '/login'));
    expect(Object.keys(await (await get(app, '/read', cookie)).json())).toEqual(['user']);
  });
});

describe("an unchanged session's expiry", () => {
  const HOUR = 3_600_000;

  async function startOnTesseraStore() {
    const store = createMemoryStore();
    const app = await start(
      dropIn({ secret: SECRET, store, resave: false, cookie: { maxAge: HOUR } }),
    );
    const cookie = cookieOf(await get(app, '/login'));
    const id = unsignSessionId(decodeURIComponent(cookie.split('=')[1]!).slice(2), [SECRET])!;
    const { createHash } = await import('node:crypto');
    return { store, app, cookie, key: createHash('sha256').update(id).digest('hex') };
  }

  it("is not rewritten on a Tessera store when it was written less than a minute ago (Tessera's touchAfter)", async () => {
    const { store, app, cookie, key } = await startOnTesseraStore();
    const written = (await store.read(key))!.expiresAt;
    await store.update(key, { set: {}, remove: [], expiresAt: written - 1_000 });
    expect(await (await get(app, '/read', cookie)).json()).toEqual({ user: 'ann' });
    expect((await store.read(key))!.expiresAt).toBe(written - 1_000);
  });

  it('is refreshed on a Tessera store once it lags a minute or more behind the cookie', async () => {
    const { store, app, cookie, key } = await startOnTesseraStore();
    const written = (await store.read(key))!.expiresAt;
    await store.update(key, { set: {}, remove: [], expiresAt: written - 120_000 });
    expect(await (await get(app, '/read', cookie)).json()).toEqual({ user: 'ann' });
    expect((await store.read(key))!.expiresAt).toBeGreaterThanOrEqual(written);
  });
});
