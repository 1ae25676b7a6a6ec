/**
 * The drop-in's `upgradeTo` option beyond the servers' walk-through: checked
 * at creation, and the cases of a move, on express-session's own MemoryStore
 * (the legacy store) and Tessera's memory store: a touch that extends the
 * cookie moves the session; a response whose headers are out writes in place;
 * two overlapping requests of one browser leave it on the first one's cookie.
 */

import { createHash } from 'node:crypto';
import express from 'express';
import expressSession from 'express-session';
import { afterEach, describe, expect, it } from 'vitest';
import { SessionConfigError, type SessionStore } from '../../src/core/index.js';
import dropIn, { MemoryStore } from '../../src/express-session/index.js';
import type { ExpressSessionStoreLike } from '../../src/stores/express-session/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { listen, type RunningServer } from '../helpers/listen.js';
import { Browser, type SessionFunction, type ShopApp, startShopApp } from './live-migration-app.js';

const SECRET = 'keyboard cat';
const HOUR = 3_600_000;

const running: { server: RunningServer }[] = [];
afterEach(async () => {
  for (const app of running.splice(0)) await app.server.close();
});

async function start(session: SessionFunction, options: object): Promise<ShopApp> {
  const app = await startShopApp(session, options);
  running.push(app);
  return app;
}

function sha256(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

function legacyHolds(legacy: ExpressSessionStoreLike, id: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    legacy.get(id, (error, session) => (error ? reject(error) : resolve(session != null)));
  });
}

/** A browser with a session `express-session` made in `legacy`, logged in as ann. */
async function legacyBrowser(legacy: expressSession.MemoryStore, extra: object = {}) {
  const app = await start(expressSession as unknown as SessionFunction, {
    secret: SECRET,
    store: legacy,
    resave: false,
    saveUninitialized: false,
    cookie: { maxAge: HOUR },
    ...extra,
  });
  const browser = new Browser();
  await browser.send(app, 'POST', '/login?user=ann');
  return browser;
}

describe('the upgradeTo option', () => {
  it('throws at creation without "store", saying to give the express-session store', () => {
    expect(() => dropIn({ secret: SECRET, upgradeTo: createMemoryStore() })).toThrow(
      SessionConfigError,
    );
    expect(() => dropIn({ secret: SECRET, upgradeTo: createMemoryStore() })).toThrow(
      /give the store your sessions are in now .* as "store"/,
    );
  });

  it('throws at creation when "store" is a Tessera store already, saying to remove it', () => {
    expect(() =>
      dropIn({ secret: SECRET, store: createMemoryStore(), upgradeTo: createMemoryStore() }),
    ).toThrow(/"store" is a Tessera store already.*remove "upgradeTo"/);
  });

  it('throws at creation when it is not a Tessera store, naming the stores to use', () => {
    for (const upgradeTo of [new MemoryStore(), new expressSession.MemoryStore(), 'redis://']) {
      expect(() =>
        dropIn({
          secret: SECRET,
          store: new expressSession.MemoryStore(),
          upgradeTo: upgradeTo as unknown as SessionStore,
        }),
      ).toThrow(/"upgradeTo" must be a Tessera store .*createRedisStore\(\)/);
    }
  });

  it('is accepted with an express-session store', () => {
    expect(() =>
      dropIn({
        secret: SECRET,
        store: new expressSession.MemoryStore(),
        upgradeTo: createMemoryStore(),
      }),
    ).not.toThrow();
  });
});

describe('a legacy session under upgradeTo', () => {
  it('moves on a read-only request with rolling: the touch sends the cookie again anyway', async () => {
    const legacy = new expressSession.MemoryStore();
    const target = createMemoryStore();
    const options = { rolling: true };
    const browser = await legacyBrowser(legacy, options);
    const oldId = browser.sessionId;
    const app = await start(dropIn as unknown as SessionFunction, {
      secret: SECRET,
      store: legacy,
      upgradeTo: target,
      resave: false,
      saveUninitialized: false,
      cookie: { maxAge: HOUR },
      ...options,
    });

    expect(await browser.send(app, 'GET', '/me')).toMatchObject({ user: 'ann' });
    expect(browser.sessionId).not.toBe(oldId);
    expect(await legacyHolds(legacy, oldId)).toBe(false);
    expect(await target.read(sha256(browser.sessionId))).toMatchObject({ data: { user: 'ann' } });
  });

  it('is written in place when the response sent its headers before the write (no cookie can follow)', async () => {
    const legacy = new expressSession.MemoryStore();
    const target = createMemoryStore();
    const browser = await legacyBrowser(legacy);
    const oldId = browser.sessionId;
    const app = express();
    app.use(
      dropIn({
        secret: SECRET,
        store: legacy,
        upgradeTo: target,
        resave: false,
        saveUninitialized: false,
        cookie: { maxAge: HOUR },
      }),
    );
    app.post('/stream', (req, res) => {
      res.write('counting');
      (req.session as unknown as { views: number }).views = 1;
      res.end();
    });
    const server = await listen(app);
    running.push({ server });

    const response = await fetch(`${server.baseUrl}/stream`, {
      method: 'POST',
      headers: { cookie: browser.cookie! },
    });
    expect(await response.text()).toBe('counting');
    expect(response.headers.getSetCookie()).toEqual([]);
    const stored = await new Promise<unknown>((resolve) =>
      legacy.get(oldId, (_error, session) => resolve(session)),
    );
    expect(stored).toMatchObject({ user: 'ann', views: 1 });
    expect((await target.stats!()).count).toBe(0);
  });

  it('leaves the browser on the new cookie when two of its requests overlap: the second finds it moved', async () => {
    const legacy = new expressSession.MemoryStore();
    const target = createMemoryStore();
    const browser = await legacyBrowser(legacy);
    const oldCookie = browser.cookie;
    const app = await start(dropIn as unknown as SessionFunction, {
      secret: SECRET,
      store: legacy,
      upgradeTo: target,
      resave: false,
      saveUninitialized: false,
      cookie: { maxAge: HOUR },
    });

    const slowTab = new Browser();
    slowTab.cookie = oldCookie;
    const slow = slowTab.send(app, 'POST', '/slow-count');
    await app.slowReached;
    expect(await browser.send(app, 'POST', '/cart/apple')).toEqual({ cart: ['apple'] });
    expect(browser.cookie).not.toBe(oldCookie);
    app.release();
    await slow;

    // The slow request's move found the legacy record gone: it sends no cookie
    // (the old one would replace the new one in the browser) and writes nothing.
    expect(slowTab.lastSetCookie).toBeUndefined();
    expect((await target.stats!()).count).toBe(1);
    expect(await browser.send(app, 'GET', '/me')).toEqual({
      user: 'ann',
      views: 0,
      cart: ['apple'],
    });
  });
});
