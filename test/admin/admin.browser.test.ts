/**
 * `tessera-session admin` (the real executable) in headless Chromium (the
 * system's /usr/bin/chromium, driven by playwright-core), on every store the
 * command opens (SQLite, PostgreSQL, files, Redis, MySQL/MariaDB), and on the
 * memory and cached stores served in-process as the command serves them, with 200 sessions across users and hours: login through the
 * one-time URL, the overview's figures and charts, search by user, one
 * session with its values redacted, reveal, revoke one, revoke a user, and
 * paging with the cursor. Phone (390×844) and desktop screenshots go to
 * test-artifacts/admin/. Skipped with a warning without Chromium, except on
 * CI (CI=true), where its absence fails the run.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveAdmin } from '../../src/cli/serve-admin.js';
import type { SessionStore } from '../../src/core/index.js';
import { createCachedStore } from '../../src/stores/cached/index.js';
import { createFileStore } from '../../src/stores/file/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { createMysqlStore } from '../../src/stores/mysql/index.js';
import { createPostgresStore } from '../../src/stores/postgres/index.js';
import { createRedisStore } from '../../src/stores/redis/index.js';
import { createSqliteStore } from '../../src/stores/sqlite/index.js';
import { describeWithServer, probeServer, SERVER_URLS } from '../helpers/servers.js';
import { createTempDir, type TempDir } from '../helpers/temp-dir.js';
import { type RunningAdminCli, startAdminCli } from './admin-cli.js';
import {
  deleteRedisKeys,
  dropMysqlTable,
  type SeededSession,
  seedSessions,
} from './admin-fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/admin/', import.meta.url));
const hasChromium = existsSync(CHROMIUM);
const onCi = process.env.CI === 'true';
const skipReason = `${CHROMIUM} not found; install it with "apt-get install -y chromium"`;
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
const USERS = [...Array.from({ length: 10 }, (_, index) => `user-${index}`), null];
const COUNT = 200;
const RUN = randomBytes(4).toString('hex');

if (!hasChromium && !onCi) console.warn(`Skipping the admin browser tests: ${skipReason}.`);

describe.runIf(!hasChromium && onCi)('the admin browser tests on CI', () => {
  it('require Chromium', () => {
    throw new Error(`${skipReason} (CI=true makes this an error).`);
  });
});

/** A store to run the admin on: its URL for the CLI, and a connection of the test's own. */
interface AdminStoreSetup {
  /** The store's URL for the CLI; `undefined` for a store only a process of its own holds (memory, cached): then the admin is served in-process. */
  readonly url: string | undefined;
  readonly store: SessionStore;
  cleanup(): Promise<void>;
}

const postgres = await probeServer('postgres', SERVER_URLS.postgres);
const redis = await probeServer('redis', SERVER_URLS.redis);
const mariadb = await probeServer('mysql', SERVER_URLS.mysql);

/**
 * The admin of a store only this process holds (memory, cached), served here
 * as the CLI serves it (createAdminHandler behind the one-time login URL).
 */
async function serveInProcess(store: SessionStore): Promise<RunningAdminCli> {
  const served = await serveAdmin({ store, host: '127.0.0.1', port: 0 });
  return {
    url: served.url,
    loginUrl: served.loginUrl,
    output: () => ({ stdout: '', stderr: '' }),
    stop: async () => {
      await served.close();
      return 0;
    },
  };
}

function describeAdminInChromium(name: string, open: () => Promise<AdminStoreSetup>): void {
  describe.skipIf(!hasChromium)(
    `tessera-session admin on ${name} in Chromium${hasChromium ? '' : ` (skipped: ${skipReason})`}`,
    () => {
      let setup: AdminStoreSetup;
      let sessions: SeededSession[];
      let admin: RunningAdminCli;
      let browser: Browser;
      let page: Page;

      beforeAll(async () => {
        setup = await open();
        sessions = await seedSessions(setup.store, {
          count: COUNT,
          users: USERS,
          hoursAgo: (index) => (index * 7) % 72,
        });
        [admin, browser] = await Promise.all([
          setup.url === undefined ? serveInProcess(setup.store) : startAdminCli(setup.url),
          chromium.launch({
            executablePath: CHROMIUM,
            args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
          }),
        ]);
        const context = await browser.newContext({ viewport: DESKTOP });
        context.setDefaultTimeout(5000);
        page = await context.newPage();
        await mkdir(ARTIFACTS, { recursive: true });
      }, 60_000);
      afterAll(async () => {
        await browser?.close();
        expect(await admin?.stop()).toBe(0);
        await setup?.cleanup();
      });

      /** Checks the page fits a phone's width, and saves phone and desktop screenshots. */
      async function capture(pageName: string): Promise<void> {
        await page.setViewportSize(PHONE);
        const overflows = await page.evaluate(
          () => (document.scrollingElement?.scrollWidth ?? 0) > window.innerWidth,
        );
        expect(overflows, `${pageName} scrolls sideways on a phone`).toBe(false);
        await page.screenshot({
          path: `${ARTIFACTS}${name}-${pageName}-phone.png`,
          fullPage: true,
        });
        await page.setViewportSize(DESKTOP);
        await page.screenshot({
          path: `${ARTIFACTS}${name}-${pageName}-desktop.png`,
          fullPage: true,
        });
      }

      /** Clicks `selector` and waits for the page it leads to, at `pathname` with `query` in its URL. */
      async function follow(
        selector: string,
        pathname: string,
        query: Record<string, string> = {},
      ): Promise<void> {
        await Promise.all([
          page.waitForURL(
            (url) =>
              url.pathname === pathname &&
              Object.entries(query).every(([name, value]) => url.searchParams.get(name) === value),
          ),
          page.click(selector),
        ]);
      }

      async function keysOnPage(): Promise<string[]> {
        return page.$$eval('#sessions code[title]', (codes) =>
          codes.map((code) => code.getAttribute('title') ?? ''),
        );
      }

      it('refuses a browser that did not log in', async () => {
        const other = await browser.newPage();
        const response = await other.goto(admin.url);
        expect(response?.status()).toBe(403);
        expect(await other.textContent('h1')).toBe('Not authorized');
        await other.close();
      });

      it('logs in through the one-time URL and shows the overview', async () => {
        await page.goto(admin.loginUrl);
        expect(new URL(page.url()).pathname).toBe('/');
        expect(await page.textContent('#live')).toBe(String(COUNT));
        expect(await page.textContent('#users')).toBe('10');
        expect(await page.textContent('#created')).toBe(String(COUNT));
        expect(await page.locator('#created-chart svg rect').count()).toBe(72);
        expect(await page.locator('#expiring-chart svg rect').count()).toBe(72);
        expect(await page.locator('#size-chart svg rect').count()).toBe(6);
        expect(await page.locator('#top-users tbody tr').count()).toBe(10);
        await capture('overview');

        const again = await browser.newPage();
        expect((await again.goto(admin.loginUrl))?.status()).toBe(403);
        await again.close();
      });

      it('finds a user, opens a session with its values redacted, reveals one, revokes it, then the user', async () => {
        const userId = 'user-3';
        const theirs = sessions.filter((session) => session.userId === userId);
        await page.goto(admin.url);
        await page.fill('header input[name="user"]', userId);
        await follow('header button', '/sessions', { user: userId });
        expect(await page.textContent('#count')).toBe(String(theirs.length));
        expect(await page.textContent('#user-id')).toBe(userId);
        await capture('user');

        await follow('#sessions tbody tr:first-child a', '/session');
        const key = new URL(page.url()).searchParams.get('key')!;
        const session = theirs.find((candidate) => candidate.key === key)!;
        expect(session).toBeDefined();
        expect(await page.textContent('#session-key')).toBe(key);
        const text = (await page.textContent('main')) ?? '';
        expect(text).not.toContain(session.data.token as string);
        expect(await page.locator('#data tbody tr').count()).toBe(3);
        await capture('session');

        await Promise.all([
          page.waitForLoadState('load'),
          page.click('#data tr:has(code:text-is("token")) button'),
        ]);

        expect(await page.textContent('#revealed-value')).toBe(JSON.stringify(session.data.token));
        expect(await page.locator('#data button:text-is("Reveal")').count()).toBe(2);
        expect((await page.textContent('main')) ?? '').not.toContain('"pear"');
        await capture('reveal');

        await follow('#revoke-session button', '/sessions', { notice: 'revoked' });
        expect(await page.textContent('#notice')).toContain('The session was revoked');
        expect(await setup.store.read(key)).toBeNull();
        expect(await page.textContent('#count')).toBe(String(theirs.length - 1));

        await follow('#revoke-user button', '/sessions', { notice: 'revoked-user' });
        expect(await page.textContent('#notice')).toBe(
          `Revoked ${theirs.length - 1} sessions of this user.`,
        );
        expect(await setup.store.countSessions!({ userId })).toBe(0);
        expect(await setup.store.read(theirs[1]!.key)).toBeNull();
        await capture('revoked');
      });

      it('pages through the sessions with the cursor, each once', async () => {
        const left = sessions.filter((session) => session.userId !== 'user-3');
        await page.goto(`${admin.url}sessions`);
        expect(await page.textContent('#count')).toBe(String(left.length));
        await capture('sessions');
        const seen = await keysOnPage();
        while ((await page.locator('#next-page').count()) > 0) {
          const before = page.url();
          await Promise.all([
            page.waitForURL((url) => url.href !== before),
            page.click('#next-page'),
          ]);
          seen.push(...(await keysOnPage()));
        }
        expect(seen).toHaveLength(left.length);
        expect(new Set(seen)).toEqual(new Set(left.map((session) => session.key)));

        await page.goto(`${admin.url}sessions?order=lastUsed`);
        expect(await page.textContent('main strong')).toBe('last used');
        expect(await keysOnPage()).toHaveLength(50);
      });
    },
  );
}

describeAdminInChromium('sqlite', async () => {
  const dir: TempDir = await createTempDir('tessera-admin-');
  const path = dir.file('sessions.db');
  const store = createSqliteStore({ path });
  return {
    url: `sqlite:${path}`,
    store,
    cleanup: async () => {
      await store.close?.();
      await dir.remove();
    },
  };
});

describeWithServer(postgres, 'tessera-session admin on PostgreSQL', () => {
  const table = `tessera_admin_${RUN}`;
  describeAdminInChromium('postgres', async () => {
    const store = createPostgresStore({ url: SERVER_URLS.postgres, table });
    await store.migrate();
    const url = new URL(SERVER_URLS.postgres);
    url.searchParams.set('table', table);
    return {
      url: url.toString(),
      store,
      cleanup: async () => {
        await store.close();
        const client = new pg.Client({ connectionString: SERVER_URLS.postgres });
        await client.connect();
        await client.query(`DROP TABLE IF EXISTS "${table}"`);
        await client.end();
      },
    };
  });
});

describeAdminInChromium('file', async () => {
  const dir: TempDir = await createTempDir('tessera-admin-files-');
  const directory = dir.file('sessions');
  const store = createFileStore({ directory });
  await store.migrate();
  return {
    url: `file:${directory}`,
    store,
    cleanup: async () => {
      await store.close();
      await dir.remove();
    },
  };
});

describeWithServer(redis, 'tessera-session admin on Redis', () => {
  const prefix = `tessera-admin-browser-${RUN}:`;
  describeAdminInChromium('redis', async () => {
    const store = createRedisStore({ url: SERVER_URLS.redis, prefix });
    const url = new URL(SERVER_URLS.redis);
    url.searchParams.set('prefix', prefix);
    return {
      url: url.toString(),
      store,
      cleanup: async () => {
        await store.close();
        await deleteRedisKeys(prefix);
      },
    };
  });
});

describeWithServer(mariadb, 'tessera-session admin on MySQL/MariaDB', () => {
  const table = `tessera_admin_browser_${RUN}`;
  describeAdminInChromium('mysql', async () => {
    const store = createMysqlStore({ url: SERVER_URLS.mysql, table });
    await store.migrate();
    const url = new URL(SERVER_URLS.mysql);
    url.searchParams.set('table', table);
    return {
      url: url.toString(),
      store,
      cleanup: async () => {
        await store.close();
        await dropMysqlTable(table);
      },
    };
  });
});

describeAdminInChromium('memory', async () => {
  const store = createMemoryStore();
  return { url: undefined, store, cleanup: async () => {} };
});

describeAdminInChromium('cached', async () => {
  const store = createCachedStore({
    cache: createMemoryStore(),
    store: createSqliteStore({ path: ':memory:' }),
  });
  return { url: undefined, store, cleanup: () => store.close() };
});
