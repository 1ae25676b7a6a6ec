import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import Koa from 'koa';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import {
  createSessionMiddleware,
  getSession,
  type SessionContext,
} from '../../src/adapters/koa/index.js';
import { type Session, SessionConfigError, type SessionOptions } from '../../src/core/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { countCalls } from '../core/counting-store.js';
import { CookieJarClient } from '../helpers/cookie-jar-client.js';
import { listen, type RunningServer } from '../helpers/listen.js';
import { createSwitchableStore } from './switchable-store.js';

interface CounterData {
  counter: number;
}

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A Koa app with the session middleware and the counter routes; `extra` handles other paths. */
function createApp(
  options: SessionOptions = {},
  extra?: (ctx: SessionContext<CounterData>) => unknown,
) {
  const middleware = createSessionMiddleware<CounterData>({
    ...options,
    store: options.store ?? createMemoryStore(),
  });
  const errors: unknown[] = [];
  const app = new Koa().use(middleware);
  app.silent = true;
  app.on('error', (error) => errors.push(error));
  app.use(async (ctx) => {
    if (ctx.path === '/hit') {
      const counter = ctx.session.get('counter', 0) + 1;
      ctx.session.set('counter', counter);
      ctx.body = String(counter);
    } else if (ctx.path === '/read') {
      ctx.body = String(ctx.session.get('counter', 0));
    } else {
      await extra?.(ctx);
    }
  });
  return { app, middleware, errors };
}

async function serve(app: Pick<Koa, 'callback'>): Promise<CookieJarClient> {
  server = await listen(app.callback());
  return new CookieJarClient(server.baseUrl);
}

describe('tessera-session/koa', () => {
  it('types ctx.session for the middleware chained after it', () => {
    new Koa().use(createSessionMiddleware<CounterData>()).use((ctx) => {
      expectTypeOf(ctx.session).toEqualTypeOf<Session<CounterData>>();
    });
  });

  it('types ctx.session through SessionContext, as in the module example', async () => {
    const app = new Koa();
    app.use(createSessionMiddleware({ store: createMemoryStore() }));
    app.use((ctx: SessionContext<CounterData>) => {
      expectTypeOf(ctx.session.get('counter', 0)).toEqualTypeOf<number>();
      const counter = ctx.session.get('counter', 0) + 1;
      ctx.session.set('counter', counter);
      ctx.body = String(counter);
    });
    const client = await serve(app);
    await client.get('/');
    expect((await client.get('/')).text).toBe('2');
  });

  it('counts visits and adds Vary: Cookie', async () => {
    const client = await serve(createApp().app);
    const first = await client.get('/hit');
    expect(first.text).toBe('1');
    expect(first.headers.get('vary')).toBe('Cookie');
    expect((await client.get('/hit')).text).toBe('2');
  });

  it('saves nothing when a handler throws, and lets Koa answer 500', async () => {
    const { app, errors } = createApp({}, (ctx) => {
      ctx.session.set('counter', 1000);
      throw new Error('handler failed');
    });
    const client = await serve(app);
    await client.get('/hit');
    const failed = await client.get('/boom');
    expect(failed.status).toBe(500);
    expect(failed.setCookies).toEqual([]);
    expect(String(errors[0])).toMatch(/handler failed/);
    expect((await client.get('/read')).text).toBe('1');
  });

  it('sets the cookie of a streamed body (ctx.body = Readable)', async () => {
    const { app } = createApp({}, (ctx) => {
      ctx.session.set('counter', 5);
      ctx.type = 'text/plain';
      ctx.body = Readable.from(['stre', 'amed']);
    });
    const client = await serve(app);
    const streamed = await client.get('/stream');
    expect(streamed.text).toBe('streamed');
    expect(streamed.setCookies).toHaveLength(1);
    expect((await client.get('/read')).text).toBe('5');
  });

  it('saves early with ctx.session.save(), and saves later changes at the end', async () => {
    const { store, calls } = countCalls(createMemoryStore());
    const { app } = createApp({ store }, async (ctx) => {
      ctx.session.set('counter', 1);
      await ctx.session.save();
      ctx.body = String(calls.create);
      ctx.session.set('counter', 2);
    });
    const client = await serve(app);
    const early = await client.get('/early');
    expect(early.text).toBe('1');
    expect(early.setCookies).toHaveLength(1);
    expect((await client.get('/read')).text).toBe('2');
  });

  it("answers 503 when the store fails to load, replacing the app's response", async () => {
    const phases: string[] = [];
    const store = createSwitchableStore(createMemoryStore());
    const { app } = createApp({ store, onError: (_error, { phase }) => phases.push(phase) });
    const client = await serve(app);
    await client.get('/hit');
    store.down = true;
    const down = await client.get('/hit');
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    expect(down.text).toMatch(/Session storage is unavailable/);
    expect(phases).toEqual(['load']);
  });

  it("answers 503 when the store fails to save, dropping the app's headers", async () => {
    const errors: unknown[] = [];
    const phases: string[] = [];
    const store = createSwitchableStore(createMemoryStore());
    const { app } = createApp(
      {
        store,
        onError: (error, { phase }) => {
          errors.push(error);
          phases.push(phase);
        },
      },
      (ctx) => {
        ctx.session.set('counter', 1);
        ctx.set('X-App', 'yes');
        ctx.append('Set-Cookie', 'theme=dark');
        ctx.redirect('/read');
      },
    );
    const client = await serve(app);
    store.down = true;
    const down = await client.get('/decorated'); // no cookie: no read, the create fails
    expect(down.status).toBe(503);
    expect(down.headers.get('x-app')).toBeNull();
    expect(down.headers.get('location')).toBeNull();
    expect(down.setCookies).toEqual([]);
    expect(down.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(phases).toEqual(['commit']);
    expect(String(errors[0])).toMatch(/ECONNREFUSED/);
  });

  it('still answers 503 when the onError hook throws', async () => {
    const store = createSwitchableStore(createMemoryStore());
    store.down = true;
    const onError = () => {
      throw new Error('hook failed');
    };
    const client = await serve(createApp({ store, onError }).app);
    expect((await client.get('/hit')).status).toBe(503);
  });

  it('refuses to share ctx.session with koa-session', async () => {
    const { app, errors } = createApp();
    // What koa-session does to the app's context prototype.
    Object.defineProperty(app.context, 'session', { get() {}, set() {}, configurable: true });
    const client = await serve(app);
    expect((await client.get('/hit')).status).toBe(500);
    expect(errors[0]).toBeInstanceOf(SessionConfigError);
    expect(String(errors[0])).toMatch(/koa-session\?\): remove the other session middleware/);
  });

  it('uses SQLite at .tessera/sessions.db when no store is given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-koa-'));
    const previous = process.cwd();
    process.chdir(dir);
    try {
      const middleware = createSessionMiddleware<CounterData>();
      const app = new Koa().use(middleware).use((ctx) => {
        ctx.session.set('counter', 1);
        ctx.body = 'saved';
      });
      const client = await serve(app);
      expect((await client.get('/')).setCookies).toHaveLength(1);
      await middleware.close();
      expect(existsSync(join(dir, '.tessera/sessions.db'))).toBe(true);
    } finally {
      process.chdir(previous);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('getSession() says to add the middleware when it is missing', async () => {
    const app = new Koa();
    app.silent = true;
    const errors: unknown[] = [];
    app.on('error', (error) => errors.push(error));
    app.use((ctx) => {
      ctx.body = String(getSession(ctx).get('counter', 0));
    });
    await (await serve(app)).get('/');
    expect(String(errors[0])).toMatch(/add app.use\(createSessionMiddleware\(\)\)/);
  });
});
