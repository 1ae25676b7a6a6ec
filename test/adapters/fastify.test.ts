import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { getSession, tesseraSession } from '../../src/adapters/fastify/index.js';
import { digestSessionIdNode } from '../../src/adapters/node/digest.js';
import type { Session, SessionOptions, SessionStore } from '../../src/core/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { CookieJarClient } from '../helpers/cookie-jar-client.js';
import { createSwitchableStore } from './switchable-store.js';

// What an application declares once to type `request.session` in every route.
declare module '../../src/adapters/fastify/index.js' {
  interface TesseraSessionData {
    visits: number;
    user?: string;
  }
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** A Fastify app on a free loopback port; `setUp` registers plugins and routes. */
async function start(
  setUp: (app: FastifyInstance) => unknown,
  options: { fastify?: FastifyServerOptions } = {},
): Promise<{ app: FastifyInstance; base: string; jar: () => CookieJarClient }> {
  const instance = Fastify(options.fastify);
  app = instance;
  await setUp(instance);
  await instance.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(instance.server.address() as AddressInfo).port}`;
  return { app: instance, base, jar: () => new CookieJarClient(base) };
}

/** Tessera with a memory store and a visit counter at `/visit`. */
async function withCounter(instance: FastifyInstance, options: SessionOptions = {}): Promise<void> {
  await instance.register(tesseraSession, { store: createMemoryStore(), ...options });
  instance.get('/visit', (request) => {
    const visits = request.session.get('visits', 0) + 1;
    request.session.set('visits', visits);
    return String(visits);
  });
}

describe('tessera-session/fastify', () => {
  it('loads the session on request.session and saves it before the response goes out', async () => {
    const { jar } = await start(withCounter);
    const client = jar();
    const first = await client.get('/visit');
    expect(first.text).toBe('1');
    expect(first.setCookies).toHaveLength(1);
    expect(first.headers.get('vary')).toBe('Cookie');
    expect((await client.get('/visit')).text).toBe('2');
  });

  it('types request.session from TesseraSessionData, and getSession<Data>() as asked', async () => {
    const { jar } = await start(async (instance) => {
      await instance.register(tesseraSession, { store: createMemoryStore() });
      instance.get('/typed', (request) => {
        const visits = request.session.get('visits', 0);
        expectTypeOf(visits).toEqualTypeOf<number>();
        expectTypeOf(request.session.get('user')).toEqualTypeOf<string | undefined>();
        // @ts-expect-error: once TesseraSessionData declares keys, others are refused
        request.session.get('visitz');
        const cart = getSession<{ cart: string[] }>(request);
        expectTypeOf(cart).toEqualTypeOf<Session<{ cart: string[] }>>();
        cart.set('cart', ['apple']);
        return `${visits} ${cart.get('cart', []).length}`;
      });
    });
    expect((await jar().get('/typed')).text).toBe('0 1');
  });

  for (const order of ['before', 'after'] as const) {
    it(`coexists with @fastify/cookie registered ${order} it`, async () => {
      const { jar } = await start(async (instance) => {
        if (order === 'before') await instance.register(fastifyCookie);
        await instance.register(tesseraSession, { store: createMemoryStore() });
        if (order === 'after') await instance.register(fastifyCookie);
        instance.get('/theme', (request, reply) => {
          request.session.set('visits', 1);
          reply.setCookie('theme', 'dark', { path: '/' });
          return `cookies: ${Object.keys(request.cookies).sort().join(',')}`;
        });
      });
      const client = jar();
      const first = await client.get('/theme');
      expect(first.setCookies.map((c) => c.split('=')[0]).sort()).toEqual(['sessionid', 'theme']);
      expect(first.text).toBe('cookies: ');
      expect((await client.get('/theme')).text).toBe('cookies: sessionid,theme');
    });
  }

  it('exposes its manager as app.sessionManager', async () => {
    const { app: instance, jar } = await start(withCounter);
    const client = jar();
    await client.get('/visit');
    const session = await instance.sessionManager.open(client.cookie('sessionid'));
    expect(session.get('visits')).toBe(1);
    session.set('visits', 41);
    await session.save();
    expect((await client.get('/visit')).text).toBe('42');
    expect(await instance.sessionManager.clearExpired()).toBe(0);
  });

  it('closes the store when the app closes', async () => {
    const closed: string[] = [];
    const store: SessionStore = {
      ...createMemoryStore(),
      name: 'observed',
      close: () => {
        closed.push('store');
      },
    };
    const instance = Fastify();
    await instance.register(tesseraSession, { store });
    await instance.ready();
    expect(closed).toEqual([]);
    await instance.close();
    expect(closed).toEqual(['store']);
  });

  it('reaches routes in encapsulated child plugins', async () => {
    const { jar } = await start(async (instance) => {
      await instance.register(tesseraSession, { store: createMemoryStore() });
      await instance.register(
        async (child) => {
          child.get('/visit', (request) => {
            request.session.set('visits', request.session.get('visits', 0) + 1);
            return String(request.session.get('visits'));
          });
        },
        { prefix: '/child' },
      );
    });
    const client = jar();
    expect((await client.get('/child/visit')).text).toBe('1');
    expect((await client.get('/child/visit')).text).toBe('2');
  });

  it('answers 503 and reports the load phase when the store fails on load', async () => {
    const errors: { error: unknown; phase: string }[] = [];
    const store = createSwitchableStore(createMemoryStore());
    const { jar } = await start((instance) =>
      withCounter(instance, {
        store,
        onError: (error, { phase }) => errors.push({ error, phase }),
      }),
    );
    const client = jar();
    await client.get('/visit');
    store.down = true;
    const down = await client.get('/visit');
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    expect(down.text).toMatch(/Session storage is unavailable/);
    expect(errors.map((e) => e.phase)).toEqual(['load']);
    expect(String(errors[0]?.error)).toMatch(/ECONNREFUSED/);
    store.down = false;
    expect((await client.get('/visit')).text).toBe('2');
  });

  it("answers 503 in place of the app's response when the store fails on save", async () => {
    const phases: string[] = [];
    const store = createSwitchableStore(createMemoryStore());
    const { jar } = await start(async (instance) => {
      await instance.register(tesseraSession, {
        store,
        onError: (_error, { phase }) => phases.push(phase),
      });
      instance.get('/save', (request, reply) => {
        store.down = true; // loaded fine; the write fails
        request.session.set('visits', 1);
        reply.header('x-app', 'mine').header('set-cookie', 'theme=dark');
        return 'the app answer';
      });
    });
    const response = await jar().get('/save');
    expect(response.status).toBe(503);
    expect(response.text).toMatch(/Session storage is unavailable/);
    expect(response.headers.get('x-app')).toBeNull();
    expect(response.setCookies).toEqual([]);
    expect(phases).toEqual(['commit']);
  });

  it('releases a streamed payload it replaces with the 503', async () => {
    const store = createSwitchableStore(createMemoryStore());
    let stream: Readable | undefined;
    const { jar } = await start(async (instance) => {
      await instance.register(tesseraSession, { store });
      instance.get('/stream', (request, reply) => {
        store.down = true;
        request.session.set('visits', 1);
        stream = Readable.from(['streamed']);
        return reply.type('text/plain').send(stream);
      });
    });
    const response = await jar().get('/stream');
    expect(response.status).toBe(503);
    expect(stream?.destroyed).toBe(true);
  });

  it('keeps answering when the onError hook itself throws', async () => {
    const store = createSwitchableStore(createMemoryStore());
    store.down = true;
    const { jar } = await start((instance) =>
      withCounter(instance, {
        store,
        onError: () => {
          throw new Error('broken hook');
        },
      }),
    );
    expect((await jar().get('/visit')).status).toBe(503);
  });

  it('answers 400 when a concurrent logout destroyed the session', async () => {
    const store = createMemoryStore();
    let started: () => void = () => {};
    const slowStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { jar } = await start(async (instance) => {
      await withCounter(instance, { store });
      instance.get('/slow', async (request) => {
        started(); // the session is loaded
        await released;
        request.session.set('user', 'late');
        return 'late';
      });
      instance.get('/logout', (request) => {
        request.session.flush();
        return 'bye';
      });
    });
    const client = jar();
    await client.get('/visit');
    const key = digestSessionIdNode(client.cookie('sessionid')!);
    const slow = client.get('/slow');
    await slowStarted;
    await client.get('/logout');
    release();
    const late = await slow;
    expect(late.status).toBe(400);
    expect(late.text).toMatch(/session was deleted before the request completed/);
    expect(await store.read(key)).toBeNull();
  });

  it("answers a handler's error with Fastify's 500 and saves nothing", async () => {
    const { jar } = await start(async (instance) => {
      await withCounter(instance);
      instance.get('/boom', (request) => {
        request.session.set('visits', 1000);
        throw new Error('handler failed');
      });
      instance.get('/web-500', (request) => {
        request.session.set('visits', 2000);
        return new Response('failed', { status: 500 });
      });
    });
    const client = jar();
    await client.get('/visit');
    const failed = await client.get('/boom');
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.text)).toMatchObject({ statusCode: 500, message: 'handler failed' });
    expect((await client.get('/web-500')).status).toBe(500);
    expect((await client.get('/visit')).text).toBe('2');
  });

  it('saves early with session.save(), and saves later changes at the end too', async () => {
    const { jar } = await start(async (instance) => {
      await withCounter(instance);
      instance.get('/save-early', async (request) => {
        request.session.set('visits', 10);
        await request.session.save();
        request.session.set('user', 'ann');
        return 'saved';
      });
      instance.get('/user', (request) => String(request.session.get('user')));
    });
    const client = jar();
    const saved = await client.get('/save-early');
    // The early save and the final one each set the cookie, with the same id.
    expect(new Set(saved.setCookies.map((cookie) => cookie.split(';')[0])).size).toBe(1);
    expect((await client.get('/visit')).text).toBe('11');
    expect((await client.get('/user')).text).toBe('ann');
  });

  it('sets the cookie of a hijacked reply saved after hijack()', async () => {
    const { jar } = await start(async (instance) => {
      await withCounter(instance);
      instance.get('/raw', async (request, reply) => {
        reply.hijack();
        request.session.set('visits', 5);
        await request.session.save();
        reply.raw.end('raw');
      });
    });
    const client = jar();
    const raw = await client.get('/raw');
    expect(raw.text).toBe('raw');
    expect(raw.setCookies).toHaveLength(1);
    expect((await client.get('/visit')).text).toBe('6');
  });

  it('sets Secure behind a proxy Fastify trusts (its own trustProxy), through request.protocol', async () => {
    const { base } = await start(withCounter, { fastify: { trustProxy: true } });
    const proxied = await fetch(`${base}/visit`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(proxied.headers.get('set-cookie')).toMatch(/; Secure$/);
    const direct = await fetch(`${base}/visit`);
    expect(direct.headers.get('set-cookie')).not.toMatch(/Secure/);
  });

  it('refuses bad options when the app starts, naming the option', async () => {
    const instance = Fastify();
    app = instance;
    instance.register(tesseraSession, { store: createMemoryStore(), cookieAge: -1 });
    await expect(instance.ready()).rejects.toThrow(/Option "cookieAge"/);
  });

  it('refuses a second session plugin on the same app', async () => {
    const instance = Fastify();
    app = instance;
    instance.register(tesseraSession, { store: createMemoryStore() });
    instance.register(tesseraSession, { store: createMemoryStore() });
    await expect(instance.ready()).rejects.toThrow(/register tesseraSession once/);
  });

  it('throws a clear error from getSession() where the plugin does not reach', async () => {
    const { base } = await start(async (instance) => {
      instance.register(async (sibling) => {
        sibling.get('/outside', (request) => getSession(request).get('visits'));
      });
      await instance.register(async (scoped) => {
        await scoped.register(tesseraSession, { store: createMemoryStore() });
      });
    });
    const response = await fetch(`${base}/outside`);
    expect(response.status).toBe(500);
    expect((await response.json()).message).toMatch(/No Tessera session on this request/);
  });
});
