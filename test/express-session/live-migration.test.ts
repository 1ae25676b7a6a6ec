/**
 * Live migration (issue 12 §3), on real Redis (connect-redis 9 + node-redis)
 * and real PostgreSQL (connect-pg-simple): an application on real
 * express-session makes sessions for several browsers; it stops, and the same
 * application code starts on the drop-in over the same store and secret: every
 * browser goes on where it was. Then with `upgradeTo` (Tessera's Redis or
 * PostgreSQL store) each legacy session moves on its next write, under a new
 * cookie, and `tessera-session legacy-count` counts down to zero.
 */

import { createHash, randomBytes } from 'node:crypto';
import { RedisStore as ConnectRedisStore } from 'connect-redis';
import expressSession from 'express-session';
import { createClient } from 'redis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SessionStore } from '../../src/core/index.js';
import dropIn from '../../src/express-session/index.js';
import type { ExpressSessionStoreLike } from '../../src/stores/express-session/index.js';
import { createPostgresStore } from '../../src/stores/postgres/index.js';
import { createRedisStore } from '../../src/stores/redis/index.js';
import { runInProcess } from '../cli/cli-fixtures.js';
import { openConnectPgSimple } from '../helpers/connect-pg-simple.js';
import { describeWithServer, probeServer, SERVER_URLS } from '../helpers/servers.js';
import { Browser, type SessionFunction, type ShopApp, startShopApp } from './live-migration-app.js';

const SECRET = 'keyboard cat';
const HOUR = 3_600_000;
const RUN = randomBytes(4).toString('hex');

const [redis, postgres] = await Promise.all([
  probeServer('redis', SERVER_URLS.redis),
  probeServer('postgres', SERVER_URLS.postgres),
]);

/** The two stores of one deployment, and how to look into them. */
interface Deployment {
  /** The application's express-session store (connect-redis or connect-pg-simple). */
  legacy: ExpressSessionStoreLike;
  /** The Tessera store sessions move into. */
  target: SessionStore;
  /** `--store` of `tessera-session legacy-count` for the legacy store. */
  countUrl: string;
  /**
   * Moves the stored `cookie.expires` of `id` a minute into the past, its
   * store's own expiry (TTL, `expire` column) unchanged: the record as
   * express-session leaves it when `rolling` touches kept the session in use
   * past the expiry it was last saved with (touch() moves only the store's
   * expiry).
   */
  outliveCookieExpires(id: string): Promise<void>;
  close(): Promise<void>;
}

function sha256(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

/** Whether the legacy store holds a live record for `id` (its own get()). */
function legacyHolds(legacy: ExpressSessionStoreLike, id: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    legacy.get(id, (error, session) => (error ? reject(error) : resolve(session != null)));
  });
}

async function countLegacy(url: string): Promise<number> {
  const run = await runInProcess(['legacy-count', '--store', url]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return Number(run.stdout.trim());
}

/** The application's options: the same on express-session and on the drop-in. */
function appOptions(legacy: ExpressSessionStoreLike, extra: object = {}): object {
  return {
    secret: SECRET,
    store: legacy,
    resave: false,
    saveUninitialized: false,
    cookie: { maxAge: HOUR },
    ...extra,
  };
}

function describeLiveMigration(open: () => Promise<Deployment>): void {
  let deployment: Deployment;
  let app: ShopApp | undefined;
  const counter = new Browser();
  const shopper = new Browser();
  const member = new Browser();
  const leaver = new Browser();
  /** A browser whose session rolling touches kept alive past its stored cookie.expires. */
  const regular = new Browser();
  /** A browser that logs in again (regenerate) on its legacy session. */
  const returner = new Browser();
  const browsers = [counter, shopper, member, leaver, regular, returner];

  async function restart(session: SessionFunction, options: object): Promise<ShopApp> {
    await app?.server.close();
    app = await startShopApp(session, options);
    return app;
  }

  beforeAll(async () => {
    deployment = await open();
  });
  afterAll(async () => {
    await app?.server.close();
    await deployment?.close();
  });

  it('makes sessions for several browsers on real express-session', async () => {
    const running = await restart(
      expressSession as unknown as SessionFunction,
      appOptions(deployment.legacy),
    );
    await counter.send(running, 'POST', '/count');
    expect(await counter.send(running, 'POST', '/count')).toEqual({ views: 2 });
    await shopper.send(running, 'POST', '/cart/apple');
    expect(await shopper.send(running, 'POST', '/cart/pear')).toEqual({
      cart: ['apple', 'pear'],
    });
    expect(await member.send(running, 'POST', '/login?user=ann')).toEqual({ user: 'ann' });
    expect(await leaver.send(running, 'POST', '/login?user=bob')).toEqual({ user: 'bob' });
    expect(await regular.send(running, 'POST', '/login?user=dee')).toEqual({ user: 'dee' });
    await deployment.outliveCookieExpires(regular.sessionId);
    // express-session takes the store's word: the session is live.
    expect(await regular.send(running, 'GET', '/me')).toMatchObject({ user: 'dee' });
    expect(await returner.send(running, 'POST', '/login?user=eve')).toEqual({ user: 'eve' });
    expect(await countLegacy(deployment.countUrl)).toBe(browsers.length);
  });

  it('keeps every browser in its session when the import switches to the drop-in', async () => {
    const running = await restart(
      dropIn as unknown as SessionFunction,
      appOptions(deployment.legacy),
    );
    const ids = browsers.map((browser) => browser.sessionId);

    expect(await counter.send(running, 'POST', '/count')).toEqual({ views: 3 });
    expect(await member.send(running, 'GET', '/me')).toEqual({ user: 'ann', views: 0, cart: [] });
    expect(await shopper.send(running, 'POST', '/cart/plum')).toEqual({
      cart: ['apple', 'pear', 'plum'],
    });
    expect(await leaver.send(running, 'GET', '/me')).toMatchObject({ user: 'bob' });
    expect(await regular.send(running, 'GET', '/me')).toMatchObject({ user: 'dee' });
    expect(await returner.send(running, 'GET', '/me')).toMatchObject({ user: 'eve' });

    // Same ids, still in the legacy store: nothing moved without upgradeTo.
    expect(browsers.map((browser) => browser.sessionId)).toEqual(ids);
    for (const id of ids) expect(await legacyHolds(deployment.legacy, id)).toBe(true);
    expect(await countLegacy(deployment.countUrl)).toBe(browsers.length);
  });

  it('with upgradeTo, leaves a legacy session where it is on a request that writes nothing', async () => {
    const running = await restart(
      dropIn as unknown as SessionFunction,
      appOptions(deployment.legacy, { upgradeTo: deployment.target }),
    );
    const id = member.sessionId;
    expect(await member.send(running, 'GET', '/me')).toEqual({ user: 'ann', views: 0, cart: [] });
    expect(member.lastSetCookie).toBeUndefined();
    expect(await legacyHolds(deployment.legacy, id)).toBe(true);
    expect(await deployment.target.read(sha256(id))).toBeNull();
    expect(await countLegacy(deployment.countUrl)).toBe(browsers.length);
  });

  it('moves a legacy session on its next write: a new cookie, the legacy record gone, the data kept', async () => {
    const running = app!;
    const ann = { user: 'ann', views: 1, cart: [] };
    const fruit = ['apple', 'pear', 'plum', 'kiwi'];
    const moves: [Browser, string, object, object, object][] = [
      [member, '/count', { views: 1 }, { user: 'ann', views: 1 }, ann],
      [counter, '/count', { views: 4 }, { views: 4 }, { user: null, views: 4, cart: [] }],
      [
        shopper,
        '/cart/kiwi',
        { cart: fruit },
        { cart: fruit },
        { user: null, views: 0, cart: fruit },
      ],
      [
        regular,
        '/cart/tea',
        { cart: ['tea'] },
        { user: 'dee', cart: ['tea'] },
        { user: 'dee', views: 0, cart: ['tea'] },
      ],
    ];
    let remaining = browsers.length;
    for (const [browser, path, answer, stored, after] of moves) {
      const oldId = browser.sessionId;
      const oldCookie = browser.cookie;
      expect(await browser.send(running, 'POST', path)).toEqual(answer);

      expect(browser.lastSetCookie).toBeDefined();
      const newId = browser.sessionId;
      expect(newId).not.toBe(oldId);
      expect(await legacyHolds(deployment.legacy, oldId)).toBe(false);
      expect((await deployment.target.read(sha256(newId)))?.data).toEqual(stored);
      remaining -= 1;
      expect(await countLegacy(deployment.countUrl)).toBe(remaining);

      // The browser goes on from the Tessera store; its old cookie opens nothing.
      expect(await browser.send(running, 'GET', '/me')).toEqual(after);
      const stale = new Browser();
      stale.cookie = oldCookie;
      expect(await stale.send(running, 'GET', '/me')).toEqual({ user: null, views: 0, cart: [] });
    }
  });

  it('removes the legacy record when a legacy session is regenerated (a new login)', async () => {
    const oldId = returner.sessionId;
    expect(await returner.send(app!, 'POST', '/login?user=eve')).toEqual({ user: 'eve' });
    expect(returner.sessionId).not.toBe(oldId);
    expect(await legacyHolds(deployment.legacy, oldId)).toBe(false);
    expect(await deployment.target.read(sha256(returner.sessionId))).toMatchObject({
      data: { user: 'eve' },
    });
    expect(await countLegacy(deployment.countUrl)).toBe(1);
  });

  it('does not move a legacy session that a concurrent request logged out (no resurrection)', async () => {
    const running = await restart(
      dropIn as unknown as SessionFunction,
      appOptions(deployment.legacy, { upgradeTo: deployment.target }),
    );
    const id = leaver.sessionId;
    const held = (await deployment.target.stats!()).count;
    const slowBrowser = new Browser();
    slowBrowser.cookie = leaver.cookie;
    const slow = slowBrowser.send(running, 'POST', '/slow-count');
    await running.slowReached;
    expect(await leaver.send(running, 'POST', '/logout')).toEqual({ out: true });
    running.release();
    expect(await slow).toEqual({ views: 1 });

    // The slow request's write found the session gone: no new id, nothing created anywhere.
    expect(slowBrowser.sessionId).toBe(id);
    expect((await deployment.target.stats!()).count).toBe(held);
    expect(await legacyHolds(deployment.legacy, id)).toBe(false);
    expect(await countLegacy(deployment.countUrl)).toBe(0);
    expect(await slowBrowser.send(running, 'GET', '/me')).toEqual({
      user: null,
      views: 0,
      cart: [],
    });
  });

  it('creates new sessions in the Tessera store only', async () => {
    const newcomer = new Browser();
    expect(await newcomer.send(app!, 'POST', '/login?user=cy')).toEqual({ user: 'cy' });
    expect(await deployment.target.read(sha256(newcomer.sessionId))).toMatchObject({
      data: { user: 'cy' },
    });
    expect(await legacyHolds(deployment.legacy, newcomer.sessionId)).toBe(false);
    expect(await countLegacy(deployment.countUrl)).toBe(0);
  });
}

describeWithServer(redis, 'live migration from connect-redis to the Redis store', () => {
  describeLiveMigration(async () => {
    const client = createClient({ url: SERVER_URLS.redis });
    await client.connect();
    const legacyPrefix = `tessera-live-${RUN}:sess:`;
    const targetPrefix = `tessera-live-${RUN}:tessera:`;
    const legacy = new ConnectRedisStore({ client, prefix: legacyPrefix });
    const target = createRedisStore({ client, prefix: targetPrefix });
    const countUrl = new URL(SERVER_URLS.redis);
    countUrl.searchParams.set('prefix', legacyPrefix);
    return {
      legacy: legacy as unknown as ExpressSessionStoreLike,
      target,
      countUrl: countUrl.toString(),
      async outliveCookieExpires(id) {
        const key = `${legacyPrefix}${id}`;
        const record = JSON.parse((await client.get(key)) ?? 'null') as {
          cookie: { expires: string };
        };
        record.cookie.expires = new Date(Date.now() - 60_000).toISOString();
        await client.sendCommand(['SET', key, JSON.stringify(record), 'KEEPTTL']);
      },
      async close() {
        for await (const keys of client.scanIterator({ MATCH: `tessera-live-${RUN}:*` })) {
          if (keys.length > 0) await client.del(keys);
        }
        await client.quit();
      },
    };
  });
});

describeWithServer(
  postgres,
  'live migration from connect-pg-simple to the PostgreSQL store',
  () => {
    describeLiveMigration(async () => {
      // A schema per run: connect-pg-simple names its index IDX_session_expire whatever the table.
      const schema = `tessera_live_${RUN}`;
      const legacyPostgres = openConnectPgSimple(schema);
      const { pool, store: legacy } = legacyPostgres;
      await legacyPostgres.createSchema();
      const target = createPostgresStore({
        url: SERVER_URLS.postgres,
        table: `${schema}.tessera_sessions`,
      });
      const countUrl = new URL(SERVER_URLS.postgres);
      countUrl.searchParams.set('schema', schema);
      return {
        legacy,
        target,
        countUrl: countUrl.toString(),
        async outliveCookieExpires(id) {
          await pool.query(
            `UPDATE ${schema}.session SET sess = jsonb_set(sess::jsonb, '{cookie,expires}', to_jsonb($2::text))::json WHERE sid = $1`,
            [id, new Date(Date.now() - 60_000).toISOString()],
          );
        },
        async close() {
          await target.close?.();
          await legacyPostgres.close();
        },
      };
    });
  },
);
