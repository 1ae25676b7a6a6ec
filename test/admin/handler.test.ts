/**
 * `createAdminHandler` at the HTTP level, on the memory store (a real store,
 * in-process): creation checks, authorization, CSRF, paging, reveal, revoke,
 * escaping, headers, and the node:http / Express bridge.
 */
import express from 'express';
import Fastify from 'fastify';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createAdminHandler,
  createNodeListener,
  DEFAULT_ADMIN_OPTIONS,
} from '../../src/admin/index.js';
import {
  createSessionManager,
  encodeValue,
  type SessionManager,
  type SessionStore,
} from '../../src/core/index.js';
import { createSignedCookieStore } from '../../src/stores/cookie/index.js';
import { createMemoryStore, type MemoryStore } from '../../src/stores/memory/index.js';
import { listen, type RunningServer } from '../helpers/listen.js';
import {
  createAdminClient,
  randomStoreKey,
  type SeededSession,
  seedSessions,
} from './admin-fixtures.js';

const ORIGIN = 'http://admin.test';
const SECRET = 'a-signing-secret-of-at-least-32-characters!';
const allow = () => true;

function withoutMethod(base: MemoryStore, method: 'describeSessions'): SessionStore {
  // A store of one's own that lacks one of the methods the admin needs.
  const { [method]: _left, ...rest } = Object.fromEntries(
    Object.keys(base).map((name) => [name, (base as unknown as Record<string, unknown>)[name]]),
  );
  return { ...(rest as unknown as SessionStore), name: 'custom' };
}

describe('createAdminHandler at creation', () => {
  const manager = createSessionManager({ store: createMemoryStore() });

  it('refuses to be created without authorize, saying what to pass', () => {
    expect(() => createAdminHandler({ manager } as never)).toThrow(
      /option "authorize" is required: pass a function \(request\) => boolean/,
    );
    expect(() => createAdminHandler({ manager, authorize: true } as never)).toThrow(
      /"authorize" is required/,
    );
  });

  it('refuses to be created without a manager', () => {
    expect(() => createAdminHandler({ authorize: allow } as never)).toThrow(
      /option "manager" is required/,
    );
  });

  it('rejects unknown options, naming them', () => {
    expect(() =>
      createAdminHandler({ manager, authorize: allow, basepath: '/x' } as never),
    ).toThrow(/unknown option "basepath"; did you mean basePath\?/);
  });

  it('rejects a basePath that is not a path', () => {
    expect(() => createAdminHandler({ manager, authorize: allow, basePath: 'admin/' })).toThrow(
      /option "basePath" must be ''/,
    );
  });

  it('refuses a cookie store: it has no sessions on the server', () => {
    const cookieManager = createSessionManager({
      store: createSignedCookieStore({ secrets: [SECRET] }),
    });
    expect(() => createAdminHandler({ manager: cookieManager, authorize: allow })).toThrow(
      /keeps sessions in the browsers' cookies/,
    );
  });

  it('refuses a store lacking a method the pages need, naming the store and the method', () => {
    const custom = createSessionManager({
      store: withoutMethod(createMemoryStore(), 'describeSessions'),
    });
    expect(() => createAdminHandler({ manager: custom, authorize: allow })).toThrow(
      /the custom store lacks describeSessions\(\)/,
    );
  });

  it('has frozen defaults', () => {
    expect(Object.isFrozen(DEFAULT_ADMIN_OPTIONS)).toBe(true);
    expect(DEFAULT_ADMIN_OPTIONS).toMatchObject({
      basePath: '',
      pageSize: 50,
      hours: 72,
      topUsers: 10,
    });
  });

  it('does not change the options passed', () => {
    const options = Object.freeze({ manager, authorize: allow, basePath: '/admin' });
    expect(() => createAdminHandler(options)).not.toThrow();
  });
});

describe('the admin pages on the memory store', () => {
  let store: MemoryStore;
  let manager: SessionManager;
  let sessions: SeededSession[];
  let authorized: boolean;
  let admin: (request: Request) => Promise<Response>;

  beforeEach(async () => {
    store = createMemoryStore();
    manager = createSessionManager({ store });
    sessions = await seedSessions(store, { count: 30, users: ['ada', 'bob', 'cy', null] });
    authorized = true;
    admin = createAdminHandler({
      manager,
      authorize: () => authorized,
      basePath: '/admin',
      pageSize: 7,
    });
  });

  const client = () => createAdminClient(admin, ORIGIN);

  it('answers 403 and shows no store data when authorize says no', async () => {
    authorized = false;
    for (const path of [
      '/admin/',
      '/admin/sessions?user=ada',
      `/admin/session?key=${sessions[0]!.key}`,
    ]) {
      const response = await client().get(path);
      expect(response.status).toBe(403);
      const page = await response.text();
      expect(page).toContain('Not authorized');
      // Would fail if the check were removed: the pages show these.
      expect(page).not.toContain('ada');
      expect(page).not.toContain(sessions[0]!.key.slice(0, 12));
      expect(page).not.toContain('Live sessions');
    }
  });

  it('refuses a POST when authorize says no, revoking nothing', async () => {
    const browser = client();
    await browser.get('/admin/sessions?user=ada');
    authorized = false;
    const response = await browser.post('/admin/user/revoke', { user: 'ada' });
    expect(response.status).toBe(403);
    expect(await store.countSessions({ userId: 'ada' })).toBe(8);
  });

  it('answers 500 without details when authorize throws', async () => {
    admin = createAdminHandler({
      manager,
      authorize: () => {
        throw new Error('ldap password hunter2');
      },
    });
    const response = await client().get('/');
    expect(response.status).toBe(500);
    const page = await response.text();
    expect(page).not.toContain('hunter2');
    expect(page).not.toContain('ada');
  });

  it('waits for an asynchronous authorize', async () => {
    admin = createAdminHandler({ manager, authorize: async () => false });
    expect((await client().get('/')).status).toBe(403);
  });

  it('shows the overview: live sessions, users, both hourly charts, sizes and top users', async () => {
    const response = await client().get('/admin/');
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toMatch(/id="live">30</);
    expect(page).toMatch(/id="users">3</);
    expect(page).toMatch(/id="created-chart">[\s\S]*<svg [^>]*role="img"[\s\S]*<rect/);
    expect(page).toMatch(/id="expiring-chart">[\s\S]*<svg/);
    expect(page).toMatch(/id="size-chart">[\s\S]*<svg/);
    expect(page).toContain('href="/admin/sessions?user=ada"');
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  });

  it('sends the security headers on every page', async () => {
    for (const path of ['/admin/', '/admin/sessions', '/admin/nowhere']) {
      const response = await client().get(path);
      expect(response.headers.get('content-security-policy')).toBe(
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'",
      );
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('answers 404 outside its basePath', async () => {
    expect((await client().get('/elsewhere')).status).toBe(404);
    expect((await client().get('/administrator')).status).toBe(404);
  });

  it('sets the CSRF cookie HttpOnly, SameSite=Strict, on the basePath', async () => {
    const response = await client().get('/admin/');
    expect(response.headers.getSetCookie()[0]).toMatch(
      /^tessera-admin-csrf=[A-Za-z0-9_-]{43}; Path=\/admin; HttpOnly; SameSite=Strict$/,
    );
  });

  it('pages through every session with the cursor, each exactly once', async () => {
    const browser = client();
    const seen: string[] = [];
    let path: string | undefined = '/admin/sessions';
    let pages = 0;
    while (path !== undefined) {
      const page: string = await (await browser.get(path)).text();
      pages += 1;
      for (const match of page.matchAll(/href="\/admin\/session\?key=([0-9a-f]{64})"/g)) {
        seen.push(match[1]!);
      }
      const next: string | undefined = /id="next-page" href="([^"]+)"/.exec(page)?.[1];
      path = next?.replaceAll('&amp;', '&');
    }
    expect(pages).toBe(5);
    expect(seen.sort()).toEqual(sessions.map((session) => session.key).sort());
  });

  it('lists by last use when asked', async () => {
    const page = await (await client().get('/admin/sessions?order=lastUsed')).text();
    expect(page).toContain('<strong>last used</strong>');
    expect(page).toMatch(/id="next-page" href="[^"]*order=lastUsed/);
  });

  it('answers 400 to a malformed cursor or order, without crashing', async () => {
    for (const query of ['cursor=not-a-cursor', 'cursor=%00%01', 'order=random']) {
      const response = await client().get(`/admin/sessions?${query}`);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('Bad request');
    }
  });

  it('filters by user, with the user count and a button that revokes them all', async () => {
    const browser = client();
    const page = await (await browser.get('/admin/sessions?user=ada')).text();
    expect(page).toMatch(/id="count">8</);
    expect(page).toContain('Revoke all sessions of this user');
    const response = await browser.post('/admin/user/revoke', { user: 'ada' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(
      '/admin/sessions?user=ada&notice=revoked-user&count=8',
    );
    expect(await store.countSessions({ userId: 'ada' })).toBe(0);
    expect(await store.countSessions({ userId: 'bob' })).toBe(8);
    const after = await (await browser.get(response.headers.get('location')!)).text();
    expect(after).toContain('Revoked 8 sessions of this user.');
  });

  it('shows one session with its values redacted', async () => {
    const session = sessions[1]!;
    const page = await (await client().get(`/admin/session?key=${session.key}`)).text();
    expect(page).toContain(session.key);
    expect(page).toContain('<code>token</code>');
    expect(page).toContain('<code>cart</code>');
    expect(page).not.toContain('secret-1');
    expect(page).not.toContain('&quot;apple');
    expect(page.match(/>Reveal</g)).toHaveLength(3);
  });

  it('reveals only the chosen key, after a POST with the CSRF token', async () => {
    const session = sessions[1]!;
    const browser = client();
    await browser.get(`/admin/session?key=${session.key}`);
    const response = await browser.post('/admin/session/reveal', {
      key: session.key,
      name: 'cart',
    });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toMatch(
      /id="revealed-value">\[\n {2}&quot;apple&quot;,\n {2}&quot;pear&quot;\n\]/,
    );
    expect(page).not.toContain('secret-1');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('decodes a revealed value as the CLI does (dates as ISO strings)', async () => {
    const key = randomStoreKey();
    const when = new Date('2026-01-02T03:04:05.000Z');
    store.create(key, {
      data: { seen: encodeValue('seen', when) },
      createdAt: Date.now(),
      expiresAt: Date.now() + 60_000,
      userId: null,
    });
    const browser = client();
    await browser.get(`/admin/session?key=${key}`);
    const page = await (await browser.post('/admin/session/reveal', { key, name: 'seen' })).text();
    expect(page).toContain('&quot;2026-01-02T03:04:05.000Z&quot;');
  });

  it('has no GET that reveals or revokes', async () => {
    const key = sessions[0]!.key;
    expect((await client().get(`/admin/session/reveal?key=${key}&name=token`)).status).toBe(404);
    expect((await client().get(`/admin/session/revoke?key=${key}`)).status).toBe(404);
    expect(store.read(key)).not.toBeNull();
  });

  it('revokes one session, then redirects back with a notice', async () => {
    const session = sessions[0]!;
    const browser = client();
    await browser.get(`/admin/session?key=${session.key}`);
    const response = await browser.post('/admin/session/revoke', { key: session.key });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin/sessions?user=ada&notice=revoked');
    expect(store.read(session.key)).toBeNull();
    expect(store.countSessions()).toBe(29);
  });

  describe('CSRF', () => {
    async function expectRefused(
      fields: Record<string, string>,
      headers: Record<string, string> = {},
    ): Promise<void> {
      const session = sessions[0]!;
      const browser = client();
      await browser.get(`/admin/session?key=${session.key}`);
      const response = await browser.post(
        '/admin/session/revoke',
        { key: session.key, ...fields },
        headers,
      );
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('Nothing was done');
      // Would fail if the check were removed: the revoke would have run.
      expect(store.read(session.key)).not.toBeNull();
      const user = await browser.post('/admin/user/revoke', { user: 'ada', ...fields }, headers);
      expect(user.status).toBe(403);
      expect(store.countSessions({ userId: 'ada' })).toBe(8);
    }

    it('answers 403 without the token', async () => {
      await expectRefused({ csrf: '' });
    });

    it('answers 403 with a wrong token', async () => {
      await expectRefused({ csrf: 'A'.repeat(43) });
    });

    it('answers 403 without the token cookie', async () => {
      const session = sessions[0]!;
      const browser = client();
      await browser.get('/admin/sessions?user=ada');
      browser.cookies.clear();
      const response = await browser.post('/admin/session/revoke', { key: session.key });
      expect(response.status).toBe(403);
      expect(store.read(session.key)).not.toBeNull();
    });

    it('answers 403 to a post from another origin, even with the right token', async () => {
      await expectRefused({}, { origin: 'https://evil.test', 'sec-fetch-site': 'cross-site' });
      await expectRefused({}, { origin: 'https://evil.test' });
      await expectRefused({}, { 'sec-fetch-site': 'same-site' });
      await expectRefused({}, { origin: 'null', 'sec-fetch-site': 'cross-site' });
    });

    it('accepts Origin: null from a no-referrer page when Sec-Fetch-Site vouches for it', async () => {
      const session = sessions[0]!;
      const browser = client();
      await browser.get(`/admin/session?key=${session.key}`);
      const response = await browser.post(
        '/admin/session/revoke',
        { key: session.key },
        { origin: 'null', 'sec-fetch-site': 'same-origin' },
      );
      expect(response.status).toBe(303);
      expect(store.read(session.key)).toBeNull();
    });

    it('refuses to reveal without the token', async () => {
      const session = sessions[0]!;
      const browser = client();
      await browser.get('/admin/sessions?user=ada');
      const response = await browser.post('/admin/session/reveal', {
        key: session.key,
        name: 'token',
        csrf: '',
      });
      expect(response.status).toBe(403);
      expect(await response.text()).not.toContain('secret-0');
    });
  });

  it('escapes user ids, data keys and values (XSS)', async () => {
    const key = randomStoreKey();
    const userId = '<script>alert("user")</script>';
    store.create(key, {
      data: { '<img src=x onerror=alert(1)>': '</pre><script>alert("value")</script>' },
      createdAt: Date.now(),
      expiresAt: Date.now() + 3_600_000,
      userId,
    });
    const browser = client();
    const pages = [
      await (await browser.get('/admin/')).text(),
      await (await browser.get(`/admin/sessions?user=${encodeURIComponent(userId)}`)).text(),
      await (await browser.get(`/admin/session?key=${key}`)).text(),
      await (
        await browser.post('/admin/session/reveal', { key, name: '<img src=x onerror=alert(1)>' })
      ).text(),
    ];
    for (const page of pages) {
      expect(page).not.toContain('<script>');
      expect(page).not.toContain('<img');
    }
    expect(pages[1]).toContain('&lt;script&gt;alert(&quot;user&quot;)&lt;/script&gt;');
    expect(pages[3]).toContain('&lt;/pre&gt;&lt;script&gt;');
  });

  it('answers 404 for a session that is gone, and a notice for a revoke that found nothing', async () => {
    const key = randomStoreKey();
    expect((await client().get(`/admin/session?key=${key}`)).status).toBe(404);
    const browser = client();
    await browser.get('/admin/sessions?user=ada');
    const response = await browser.post('/admin/session/revoke', { key });
    expect(response.headers.get('location')).toBe('/admin/sessions?notice=already-gone');
  });
});

describe('createNodeListener', () => {
  const servers: RunningServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });

  async function check(server: RunningServer, store: MemoryStore, key: string): Promise<void> {
    const browser = createAdminClient((request) => fetch(request), server.baseUrl);
    const overview = await browser.get('/admin/');
    expect(overview.status).toBe(200);
    expect(await overview.text()).toMatch(/id="live">3</);
    expect((await browser.get('/admin/sessions?user=ada')).status).toBe(200);
    const response = await browser.post('/admin/session/revoke', { key });
    expect(response.status).toBe(303);
    expect(store.read(key)).toBeNull();
  }

  it('serves the admin on node:http', async () => {
    const store = createMemoryStore();
    const [first] = await seedSessions(store, { count: 3, users: ['ada'] });
    const admin = createAdminHandler({
      manager: createSessionManager({ store }),
      authorize: allow,
      basePath: '/admin',
    });
    const server = await listen(createNodeListener(admin));
    servers.push(server);
    await check(server, store, first!.key);
  });

  it('serves the admin in Fastify, as docs/admin.md shows', async () => {
    const store = createMemoryStore();
    const [first] = await seedSessions(store, { count: 3, users: ['ada'] });
    const admin = createNodeListener(
      createAdminHandler({
        manager: createSessionManager({ store }),
        authorize: allow,
        basePath: '/admin',
      }),
    );
    const app = Fastify();
    await app.register(async (scope) => {
      scope.addContentTypeParser('application/x-www-form-urlencoded', (_request, _payload, done) =>
        done(null),
      );
      scope.all('/admin', (request, reply) => {
        reply.hijack();
        admin(request.raw, reply.raw);
      });
      scope.all('/admin/*', (request, reply) => {
        reply.hijack();
        admin(request.raw, reply.raw);
      });
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address() as { port: number };
    servers.push({ baseUrl: '', port: address.port, close: () => app.close() });
    await check(
      { baseUrl: `http://127.0.0.1:${address.port}`, port: address.port, close: async () => {} },
      store,
      first!.key,
    );
  });

  it('serves the admin mounted in Express', async () => {
    const store = createMemoryStore();
    const [first] = await seedSessions(store, { count: 3, users: ['ada'] });
    const admin = createAdminHandler({
      manager: createSessionManager({ store }),
      authorize: allow,
      basePath: '/admin',
    });
    const app = express();
    app.use('/admin', createNodeListener(admin));
    const server = await listen(app);
    servers.push(server);
    await check(server, store, first!.key);
  });
});
