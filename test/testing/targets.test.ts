import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { createSessionMiddleware } from '../../src/adapters/express/index.js';
import { createSessionManager, type SessionManager } from '../../src/core/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import {
  createTestClient,
  type FetchTarget,
  type TestClient,
  type TestTarget,
} from '../../src/testing/index.js';
import { listen, type RunningServer } from '../helpers/listen.js';
import { createExpressShop } from './shop-app.js';

/** An app with `fetch(request)` that uses the core's manager directly, as a Web-standard adapter does. */
function createCounterFetchApp(manager: SessionManager): FetchTarget {
  return {
    async fetch(request) {
      const session = await manager.load({ cookie: request.headers.get('cookie'), secure: false });
      const path = new URL(request.url).pathname;
      if (path === '/go')
        return new Response(null, { status: 303, headers: { Location: '/count' } });
      const counter = (session.get('counter', 0) as number) + 1;
      session.set('counter', counter);
      const { setCookie } = await manager.commit(session, { status: 200 });
      return new Response(
        String(counter),
        setCookie ? { headers: { 'Set-Cookie': setCookie } } : {},
      );
    },
  };
}

const managers: SessionManager[] = [];
function createManager(): SessionManager {
  const manager = createSessionManager({ store: createMemoryStore() });
  managers.push(manager);
  return manager;
}
const clients: TestClient[] = [];
function track<T extends TestClient>(client: T): T {
  clients.push(client);
  return client;
}
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  for (const manager of managers.splice(0)) await manager.close();
});

describe('tessera-session/testing: targets of createTestClient()', () => {
  describe('a base URL', () => {
    let server: RunningServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    it('sends requests to a server you started yourself, and leaves it running when closed', async () => {
      const shop = createExpressShop();
      managers.push(shop.manager);
      server = await listen(shop.app as Parameters<typeof listen>[0]);
      const client = createTestClient(server.baseUrl, { manager: shop.manager });
      await client.setSession({ user: 'ann' });
      expect((await client.get('/whoami')).text).toBe('ann');
      expect((await client.get('/count')).url).toBe(`${server.baseUrl}/count`);
      await client.close();
      expect((await fetch(`${server.baseUrl}/whoami`)).status).toBe(200);
    });

    it('takes a URL object', async () => {
      const shop = createExpressShop();
      managers.push(shop.manager);
      server = await listen(shop.app as Parameters<typeof listen>[0]);
      const client = track(createTestClient(new URL(server.baseUrl)));
      expect((await client.get('/count')).text).toBe('1');
      expect((await client.get('/count')).text).toBe('2');
    });
  });

  describe('an object with fetch(request)', () => {
    it('is called directly, without a server, and keeps the session cookie', async () => {
      const manager = createManager();
      const client = track(createTestClient(createCounterFetchApp(manager), { manager }));
      expect((await client.get('/count')).text).toBe('1');
      const second = await client.get('/count');
      expect(second.text).toBe('2');
      expect(second.url).toBe('http://localhost/count');
      await client.expectSession({ counter: 2 });
    });

    it('follows its redirects and sees sessions seeded with setSession()', async () => {
      const manager = createManager();
      const client = track(createTestClient(createCounterFetchApp(manager), { manager }));
      await client.setSession({ counter: 9 });
      const landed = await client.get('/go', { follow: true });
      expect(landed.redirects.map((hop) => hop.status)).toEqual([303]);
      expect(landed.text).toBe('10');
    });

    it('takes a Hono app as it is', async () => {
      const app = new Hono();
      app.get('/theme', (c) => {
        c.header('Set-Cookie', 'theme=dark; Path=/');
        return c.redirect('/echo-cookie', 303);
      });
      app.get('/echo-cookie', (c) => c.text(c.req.header('cookie') ?? ''));
      expectTypeOf(app).toMatchTypeOf<TestTarget>();
      const client = track(createTestClient(app));
      const page = await client.get('/theme', { follow: true });
      expect(page.text).toBe('theme=dark');
      expect(client.cookie('theme')).toBe('dark');
    });
  });

  describe('a Fastify instance', () => {
    function createFastifyCounter(manager: SessionManager) {
      const app = Fastify();
      app.decorate('sessionManager', manager);
      app.get('/count', async (request, reply) => {
        const session = await manager.load({ cookie: request.headers.cookie, secure: false });
        const counter = (session.get('counter', 0) as number) + 1;
        session.set('counter', counter);
        const { setCookie } = await manager.commit(session, { status: 200 });
        reply.header('set-cookie', ['theme=dark; Path=/', ...(setCookie ? [setCookie] : [])]);
        return String(counter);
      });
      app.post('/echo', async (request) => request.body);
      app.get('/go', (_request, reply) => reply.redirect('/count', 303));
      app.get('/empty', (_request, reply) => reply.code(204).send());
      return app;
    }

    it('is sent requests through inject(), keeping every Set-Cookie', async () => {
      const app = createFastifyCounter(createManager());
      const client = track(createTestClient(app));
      const landed = await client.get('/go', { follow: true });
      expect(landed.redirects.map((hop) => hop.status)).toEqual([303]);
      expect(landed.text).toBe('1');
      expect(Object.keys(client.cookies.toObject()).sort()).toEqual(['sessionid', 'theme']);
      expect((await client.get('/count')).text).toBe('2');
      expect((await client.post('/echo', { json: { a: [1] } })).json()).toEqual({ a: [1] });
      expect((await client.get('/empty')).status).toBe(204);
      await app.close();
    });

    it("finds the app's sessionManager without the manager option", async () => {
      const app = createFastifyCounter(createManager());
      const client = track(createTestClient(app));
      await client.setSession({ counter: 40 });
      expect((await client.get('/count')).text).toBe('41');
      await client.expectSession({ counter: 41 });
      await app.close();
    });
  });

  describe('a Koa app', () => {
    it('is served from app.callback() on a loopback port, stopped by close()', async () => {
      const app = new Koa();
      app.use((ctx) => {
        if (ctx.path === '/theme') {
          ctx.append('Set-Cookie', 'theme=dark; Path=/');
          ctx.status = 302;
          ctx.redirect('/cookie');
          return;
        }
        ctx.body = ctx.get('cookie');
      });
      const client = createTestClient(app);
      const page = await client.get('/theme', { follow: true });
      expect(page.redirects.map((hop) => hop.status)).toEqual([302]);
      expect(page.text).toBe('theme=dark');
      await client.close();
      await expect(fetch(page.url)).rejects.toThrow();
    });
  });
});

describe('tessera-session/testing: developer mistakes', () => {
  it('session helpers without a manager say to pass it', async () => {
    const manager = createManager();
    const client = track(createTestClient(createCounterFetchApp(manager)));
    await expect(client.session()).rejects.toThrow(
      /client\.session\(\) reads the session through the app's session manager: pass it as createTestClient\(app, \{ manager \}\)/,
    );
    await expect(client.setSession({ a: 1 })).rejects.toThrow(/client\.setSession\(\)/);
    await expect(client.expectFlash([])).rejects.toThrow(/middleware\.manager/);
  });

  it("refuses Tessera's middleware in place of the app, saying what to pass", () => {
    const middleware = createSessionMiddleware({ store: createMemoryStore() });
    managers.push(middleware.manager);
    expect(() => createTestClient(middleware as unknown as TestTarget)).toThrow(
      /pass the app that uses it, and the middleware's manager as the "manager" option/,
    );
  });

  it('refuses the middleware in place of its manager', () => {
    const middleware = createSessionMiddleware({ store: createMemoryStore() });
    managers.push(middleware.manager);
    expect(() =>
      createTestClient('http://127.0.0.1:1', {
        manager: middleware as unknown as SessionManager,
      }),
    ).toThrow('Option "manager" got the session middleware: pass its manager');
    expect(() => createTestClient('http://127.0.0.1:1', { manager: {} as SessionManager })).toThrow(
      /Option "manager" must be the session manager of the app's adapter/,
    );
  });

  it('lists the accepted targets when given something else', () => {
    expect(() => createTestClient({} as TestTarget)).toThrow(
      /cannot send requests to this target \(object\)\. Pass a base URL/,
    );
    expect(() => createTestClient(42 as unknown as TestTarget)).toThrow(/\(number\)/);
  });
});
