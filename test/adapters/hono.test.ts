import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { stream } from 'hono/streaming';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  createSessionMiddleware,
  getSession,
  type SessionEnv,
} from '../../src/adapters/hono/index.js';
import { type Session, SessionConfigError, type SessionOptions } from '../../src/core/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { countCalls } from '../core/counting-store.js';
import { createSwitchableStore } from './switchable-store.js';

interface CounterData {
  counter: number;
}

/** A Hono app with the session middleware and the counter routes; tests add their own routes. */
function createApp(options: SessionOptions = {}) {
  const middleware = createSessionMiddleware<CounterData>({
    ...options,
    store: options.store ?? createMemoryStore(),
  });
  const app = new Hono<SessionEnv<CounterData>>();
  app.use(middleware);
  app.get('/hit', (c) => {
    const session = c.get('session');
    const counter = session.get('counter', 0) + 1;
    session.set('counter', counter);
    return c.text(String(counter));
  });
  app.get('/read', (c) => c.text(String(c.get('session').get('counter', 0))));
  return { app, middleware };
}

/** The `name=value` of the session cookie a response sets, if any. */
function sessionCookie(response: Response): string | undefined {
  return response.headers
    .getSetCookie()
    .find((header) => header.startsWith('sessionid='))
    ?.split(';')[0];
}

const withCookie = (cookie: string | undefined): RequestInit => ({
  headers: cookie ? { cookie } : {},
});

describe('tessera-session/hono', () => {
  it('types c.get("session") through SessionEnv, as in the module example', async () => {
    const app = new Hono<SessionEnv<CounterData>>();
    app.use(createSessionMiddleware({ store: createMemoryStore() }));
    app.get('/', (c) => {
      expectTypeOf(c.get('session')).toEqualTypeOf<Session<CounterData>>();
      const session = c.get('session');
      const counter = session.get('counter', 0) + 1;
      session.set('counter', counter);
      return c.text(String(counter));
    });
    const first = await app.request('/');
    const second = await app.request('/', withCookie(sessionCookie(first)));
    expect(await second.text()).toBe('2');
  });

  it('types the session for routes chained after app.use()', async () => {
    const app = new Hono()
      .use(createSessionMiddleware<CounterData>({ store: createMemoryStore() }))
      .get('/chained', (c) => {
        expectTypeOf(c.get('session')).toEqualTypeOf<Session<CounterData>>();
        return c.text(String(c.get('session').get('counter', 7)));
      });
    expect(await (await app.request('/chained')).text()).toBe('7');
  });

  it('requires a store and says which one to pass', () => {
    // @ts-expect-error the store is required: the default SQLite store is Node-only
    const create = () => createSessionMiddleware({});
    expect(create).toThrow(SessionConfigError);
    expect(create).toThrow(/createSqliteStore\(\).*Redis.*createMemoryStore\(\)/);
  });

  it("leaves the caller's options untouched", async () => {
    const options = Object.freeze({
      store: createMemoryStore(),
      cookie: Object.freeze({ name: 'sid' }),
    }) satisfies SessionOptions;
    const middleware = createSessionMiddleware(options);
    const app = new Hono<SessionEnv>().use(middleware).get('/', (c) => {
      c.get('session').set('n', 1);
      return c.text('ok');
    });
    const response = await app.request('/');
    expect(response.headers.get('set-cookie')).toMatch(/^sid=/);
    expect(middleware.manager.options.cookie.name).toBe('sid');
  });

  it('counts visits with app.request(), no server needed', async () => {
    const { app } = createApp();
    const first = await app.request('/hit');
    expect(await first.text()).toBe('1');
    expect(first.headers.get('vary')).toBe('Cookie');
    const second = await app.request('/hit', withCookie(sessionCookie(first)));
    expect(await second.text()).toBe('2');
  });

  it('adds the cookie to a Response.redirect(), whose headers are immutable', async () => {
    const { app } = createApp();
    app.get('/redirect', (c) => {
      c.get('session').set('counter', 42);
      return Response.redirect('http://localhost/read', 303);
    });
    const redirect = await app.request('/redirect');
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get('location')).toBe('http://localhost/read');
    expect(redirect.headers.get('vary')).toBe('Cookie');
    const followed = await app.request('/read', withCookie(sessionCookie(redirect)));
    expect(await followed.text()).toBe('42');
  });

  it('adds the cookie to a response from fetch(), whose headers are immutable', async () => {
    const { app } = createApp();
    app.get('/proxied', async (c) => {
      c.get('session').set('counter', 3);
      return fetch('data:text/plain,fetched');
    });
    const response = await app.request('/proxied');
    expect(await response.text()).toBe('fetched');
    expect(response.headers.get('content-type')).toBe('text/plain');
    const followed = await app.request('/read', withCookie(sessionCookie(response)));
    expect(await followed.text()).toBe('3');
  });

  it("keeps the app's own Set-Cookie and Vary", async () => {
    const { app } = createApp();
    app.get('/own', (c) => {
      c.get('session').set('counter', 1);
      c.header('Set-Cookie', 'theme=dark; Path=/', { append: true });
      c.header('Vary', 'Accept-Encoding');
      return c.text('own');
    });
    const response = await app.request('/own');
    expect(response.headers.getSetCookie().map((c) => c.split('=')[0])).toEqual([
      'theme',
      'sessionid',
    ]);
    expect(response.headers.get('vary')).toBe('Accept-Encoding, Cookie');
  });

  it('saves nothing when the handler throws (Hono answers 500)', async () => {
    const { app } = createApp();
    app.onError((_error, c) => c.text('Internal Server Error', 500));
    app.get('/boom', (c) => {
      c.get('session').set('counter', 1000);
      throw new Error('handler failed');
    });
    const cookie = sessionCookie(await app.request('/hit'));
    const failed = await app.request('/boom', withCookie(cookie));
    expect(failed.status).toBe(500);
    expect(sessionCookie(failed)).toBeUndefined();
    expect(await (await app.request('/read', withCookie(cookie))).text()).toBe('1');
  });

  it('saves the session behind an HTTPException below 500, as Django does for 4xx', async () => {
    const { app } = createApp();
    app.get('/forbidden', (c) => {
      c.get('session').set('counter', 4);
      throw new HTTPException(403, { message: 'no' });
    });
    const forbidden = await app.request('/forbidden');
    expect(forbidden.status).toBe(403);
    const followed = await app.request('/read', withCookie(sessionCookie(forbidden)));
    expect(await followed.text()).toBe('4');
  });

  it('sets the cookie of a streamed response', async () => {
    const { app } = createApp();
    app.get('/stream', (c) => {
      c.get('session').set('counter', 5);
      return stream(c, async (body) => {
        await body.write('streamed');
      });
    });
    const response = await app.request('/stream');
    expect(await response.text()).toBe('streamed');
    const followed = await app.request('/read', withCookie(sessionCookie(response)));
    expect(await followed.text()).toBe('5');
  });

  it('saves early with session.save(), and saves later changes at the end', async () => {
    const { store, calls } = countCalls(createMemoryStore());
    const { app } = createApp({ store });
    app.get('/early', async (c) => {
      const session = c.get('session');
      session.set('counter', 1);
      await session.save();
      expect(calls.create).toBe(1);
      session.set('counter', 2);
      return c.text('saved');
    });
    const response = await app.request('/early');
    expect(response.headers.getSetCookie()).toHaveLength(1);
    expect(calls.update).toBe(1);
    const followed = await app.request('/read', withCookie(sessionCookie(response)));
    expect(await followed.text()).toBe('2');
  });

  it('sends the cookie of an early save when nothing changed afterwards', async () => {
    const { app } = createApp();
    app.get('/saved', async (c) => {
      c.get('session').set('counter', 8);
      await c.get('session').save();
      return c.text('saved');
    });
    const response = await app.request('/saved');
    const followed = await app.request('/read', withCookie(sessionCookie(response)));
    expect(await followed.text()).toBe('8');
  });

  it("answers 503 when the store fails to load, replacing the app's response", async () => {
    const errors: { error: unknown; phase: string }[] = [];
    const store = createSwitchableStore(createMemoryStore());
    const { app } = createApp({
      store,
      onError: (error, { phase }) => errors.push({ error, phase }),
    });
    const cookie = sessionCookie(await app.request('/hit'));
    store.down = true;
    const down = await app.request('/hit', withCookie(cookie));
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    expect(await down.text()).toMatch(/Session storage is unavailable/);
    expect(errors.map((e) => e.phase)).toEqual(['load']);
    expect(String(errors[0]?.error)).toMatch(/ECONNREFUSED/);
  });

  it("answers 503 when the store fails to save, dropping the app's headers", async () => {
    const errors: string[] = [];
    const store = createSwitchableStore(createMemoryStore());
    const { app } = createApp({ store, onError: (_error, { phase }) => errors.push(phase) });
    app.get('/decorated', (c) => {
      c.get('session').set('counter', 1);
      c.header('X-App', 'yes');
      c.header('Set-Cookie', 'theme=dark');
      return c.redirect('/read', 303);
    });
    store.down = true;
    const down = await app.request('/decorated'); // no cookie: no read, the create fails
    expect(down.status).toBe(503);
    expect(down.headers.get('x-app')).toBeNull();
    expect(down.headers.get('location')).toBeNull();
    expect(down.headers.getSetCookie()).toEqual([]);
    expect(errors).toEqual(['commit']);
  });

  it('still answers 503 when the onError hook throws', async () => {
    const store = createSwitchableStore(createMemoryStore());
    store.down = true;
    const { app } = createApp({
      store,
      onError: () => {
        throw new Error('hook failed');
      },
    });
    expect((await app.request('/hit')).status).toBe(503);
  });

  it('marks the cookie Secure over https, and for X-Forwarded-Proto only with trustProxy', async () => {
    const forwarded = { headers: { 'x-forwarded-proto': 'https' } };
    const { app } = createApp();
    expect((await app.request('https://example.com/hit')).headers.get('set-cookie')).toMatch(
      /; Secure$/,
    );
    expect((await app.request('/hit', forwarded)).headers.get('set-cookie')).not.toMatch(/Secure/);
    const trusted = createApp({ trustProxy: true }).app;
    expect((await trusted.request('/hit', forwarded)).headers.get('set-cookie')).toMatch(
      /; Secure$/,
    );
  });

  it('getSession() says to add the middleware when it is missing', async () => {
    const app = new Hono().get('/', (c) => c.text(String(getSession(c).get('counter', 0))));
    app.onError((error, c) => c.text(error.message, 500));
    expect(await (await app.request('/')).text()).toMatch(
      /add app.use\(createSessionMiddleware\(\{ store \}\)\)/,
    );
  });

  it('closes its store', async () => {
    const { store, calls } = countCalls(createMemoryStore());
    const { middleware } = createApp({ store });
    await middleware.close();
    expect(calls.close).toBe(1);
  });
});
