/**
 * The admin on every other server-side store, through `createAdminHandler`
 * in-process at the HTTP level: the overview's figures, the list paged with
 * the cursor, and a revoke that really destroys in the store. (SQLite and
 * PostgreSQL are driven in Chromium through the CLI, in admin.browser.test.ts.)
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminHandler } from '../../src/admin/index.js';
import { createSessionManager, type SessionStore } from '../../src/core/index.js';
import { createCachedStore } from '../../src/stores/cached/index.js';
import { createFileStore } from '../../src/stores/file/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { createMysqlStore } from '../../src/stores/mysql/index.js';
import { createRedisStore } from '../../src/stores/redis/index.js';
import { createSqliteStore } from '../../src/stores/sqlite/index.js';
import { describeWithServer, probeServer, SERVER_URLS } from '../helpers/servers.js';
import { createTempDir } from '../helpers/temp-dir.js';
import {
  createAdminClient,
  deleteRedisKeys,
  dropMysqlTable,
  type SeededSession,
  seedSessions,
} from './admin-fixtures.js';

const RUN = randomBytes(4).toString('hex');
const ORIGIN = 'http://admin.test';
const [redis, mariadb] = await Promise.all([
  probeServer('redis', SERVER_URLS.redis),
  probeServer('mysql', SERVER_URLS.mysql),
]);

interface StoreSetup {
  readonly store: SessionStore;
  cleanup(): Promise<void>;
}

function itServesTheAdmin(open: () => Promise<StoreSetup>): void {
  let setup: StoreSetup;
  let sessions: SeededSession[];
  let admin: (request: Request) => Promise<Response>;

  beforeAll(async () => {
    setup = await open();
    sessions = await seedSessions(setup.store, { count: 25, users: ['ada', 'bob', null] });
    admin = createAdminHandler({
      manager: createSessionManager({ store: setup.store }),
      authorize: () => true,
      pageSize: 10,
    });
  }, 30_000);
  afterAll(async () => {
    await setup?.cleanup();
  });

  it('shows the overview, pages the list, and revokes one session and a user', async () => {
    const browser = createAdminClient(admin, ORIGIN);
    const overview = await (await browser.get('/')).text();
    expect(overview).toMatch(/id="live">25</);
    expect(overview).toMatch(/id="users">2</);
    expect(overview).toContain('href="/sessions?user=ada"');

    const seen: string[] = [];
    let path: string | undefined = '/sessions';
    while (path !== undefined) {
      const page: string = await (await browser.get(path)).text();
      for (const match of page.matchAll(/href="\/session\?key=([0-9a-f]{64})"/g)) {
        seen.push(match[1]!);
      }
      path = /id="next-page" href="([^"]+)"/.exec(page)?.[1]?.replaceAll('&amp;', '&');
    }
    expect(seen.sort()).toEqual(sessions.map((session) => session.key).sort());

    const anonymous = sessions.find((session) => session.userId === null)!;
    expect((await browser.get(`/session?key=${anonymous.key}`)).status).toBe(200);
    const revoked = await browser.post('/session/revoke', { key: anonymous.key });
    expect(revoked.status).toBe(303);
    expect(await setup.store.read(anonymous.key)).toBeNull();

    const user = await (await browser.get('/sessions?user=bob')).text();
    expect(user).toMatch(/id="count">8</);
    expect((await browser.post('/user/revoke', { user: 'bob' })).status).toBe(303);
    expect(await setup.store.countSessions!({ userId: 'bob' })).toBe(0);
    expect(await setup.store.countSessions!()).toBe(16);
  });
}

describe('the admin on the memory store', () => {
  itServesTheAdmin(async () => ({ store: createMemoryStore(), cleanup: async () => {} }));
});

describe('the admin on the files store', () => {
  itServesTheAdmin(async () => {
    const dir = await createTempDir('tessera-admin-files-');
    const store = createFileStore({ directory: dir.file('sessions') });
    return { store, cleanup: () => dir.remove() };
  });
});

describe('the admin on the cached store (memory cache over SQLite)', () => {
  itServesTheAdmin(async () => {
    const store = createCachedStore({
      cache: createMemoryStore(),
      store: createSqliteStore({ path: ':memory:' }),
    });
    return { store, cleanup: () => store.close() };
  });
});

describeWithServer(redis, 'the admin on the Redis store', () => {
  const prefix = `tessera-admin-${RUN}:`;
  itServesTheAdmin(async () => {
    const store = createRedisStore({ url: SERVER_URLS.redis, prefix });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await deleteRedisKeys(prefix);
      },
    };
  });
});

describeWithServer(mariadb, 'the admin on the MySQL store', () => {
  const table = `tessera_admin_${RUN}`;
  itServesTheAdmin(async () => {
    const store = createMysqlStore({ url: SERVER_URLS.mysql, table });
    await store.migrate();
    return {
      store,
      cleanup: async () => {
        await store.close();
        await dropMysqlTable(table);
      },
    };
  });
});
