import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { createCsrfMiddleware as createExpressCsrf } from '../../src/adapters/express/index.js';
import { csrfProtection, tesseraSession } from '../../src/adapters/fastify/index.js';
import {
  createCsrfMiddleware as createHonoCsrf,
  createSessionMiddleware as createHonoSession,
  type SessionEnv,
} from '../../src/adapters/hono/index.js';
import {
  createCsrfMiddleware as createKoaCsrf,
  createSessionMiddleware as createKoaSession,
} from '../../src/adapters/koa/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { CookieJarClient } from '../helpers/cookie-jar-client.js';
import { listen } from '../helpers/listen.js';
import { type RunningTinyApp, TINY_APPS } from './tiny-apps/index.js';

const MESSAGE = 'Invalid or missing CSRF token; reload the form and try again.';
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

describe.each(TINY_APPS)('CSRF check: $name', (app) => {
  let server: RunningTinyApp | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  async function start(): Promise<CookieJarClient> {
    server = await app.start({ store: createMemoryStore() }, { csrf: true });
    return new CookieJarClient(server.baseUrl);
  }
  /** The client's session token, from the page that renders forms. */
  async function tokenOf(client: CookieJarClient): Promise<string> {
    const response = await client.get('/csrf');
    expect(response.status).toBe(200);
    return response.text;
  }

  it('refuses a POST without a token with 403 plain text, and saves nothing', async () => {
    const client = await start();
    await tokenOf(client); // a session with a token exists: only the request lacks it
    const refused = await client.request('/set?key=evil&value=1', { method: 'POST' });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(refused.text.trim()).toBe(MESSAGE);
    expect((await client.get('/keys')).text).toBe('[]');
  });

  it('refuses a POST from a visitor without a session, creating none', async () => {
    const client = await start();
    const refused = await client.request('/set?key=evil', {
      method: 'POST',
      headers: { ...FORM, 'X-CSRF-Token': 'guessed' },
      body: '_csrf=guessed',
    });
    expect(refused.status).toBe(403);
    expect(refused.setCookies).toEqual([]);
  });

  it('refuses a wrong token, and every unsafe method is checked', async () => {
    const client = await start();
    const token = await tokenOf(client);
    const wrong = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const refused = await client.request('/set?key=evil', {
        method,
        headers: { 'X-CSRF-Token': wrong },
      });
      expect(refused.status, method).toBe(403);
    }
    expect((await client.get('/keys')).text).toBe('[]');
  });

  it('accepts the token in the X-CSRF-Token header', async () => {
    const client = await start();
    const token = await tokenOf(client);
    const accepted = await client.request('/set?key=a', {
      method: 'POST',
      headers: { 'X-CSRF-Token': token },
    });
    expect(accepted.status).toBe(200);
    expect((await client.get('/keys')).text).toBe('["a"]');
  });

  it('accepts the token in the urlencoded form field _csrf', async () => {
    const client = await start();
    const token = await tokenOf(client);
    const accepted = await client.request('/set?key=b', {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({ comment: 'hi', _csrf: token }).toString(),
    });
    expect(accepted.status).toBe(200);
    expect((await client.get('/keys')).text).toBe('["b"]');
  });

  it('exempts safe methods: GET needs no token', async () => {
    const client = await start();
    expect((await client.get('/set?key=g')).status).toBe(200);
    expect((await client.get('/keys')).text).toBe('["g"]');
  });

  it('refuses the token from before login afterwards, and accepts the new one', async () => {
    const client = await start();
    const before = await tokenOf(client);
    const login = await client.request('/signin?user=ann', {
      method: 'POST',
      headers: { 'X-CSRF-Token': before },
    });
    expect(login.status).toBe(200);
    const after = login.text;
    expect(after).not.toBe(before);
    const stale = await client.request('/set?key=evil', {
      method: 'POST',
      headers: { 'X-CSRF-Token': before },
    });
    expect(stale.status).toBe(403);
    const fresh = await client.request('/set?key=ok', {
      method: 'POST',
      headers: { 'X-CSRF-Token': after },
    });
    expect(fresh.status).toBe(200);
    expect((await client.get('/keys')).text).toBe('["ok"]');
  });
});

describe('CSRF wiring, per adapter', () => {
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it('fastify: csrfProtection guards a single route as a preHandler', async () => {
    const app = Fastify();
    closers.push(() => app.close());
    await app.register(tesseraSession, { store: createMemoryStore() });
    app.get('/csrf', (request) => request.session.csrfToken());
    app.post('/guarded', { preHandler: csrfProtection }, () => 'done');
    app.post('/open', () => 'open');
    await app.listen({ port: 0, host: '127.0.0.1' });
    const client = new CookieJarClient(
      `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    );
    const token = (await client.get('/csrf')).text;
    expect((await client.request('/guarded', { method: 'POST' })).status).toBe(403);
    expect((await client.request('/open', { method: 'POST' })).status).toBe(200);
    const accepted = await client.request('/guarded', {
      method: 'POST',
      headers: { 'X-CSRF-Token': token },
    });
    expect([accepted.status, accepted.text]).toEqual([200, 'done']);
  });

  it('fastify: a csrf option that is not a boolean fails registration, naming it', async () => {
    const app = Fastify();
    closers.push(() => app.close());
    const options = { store: createMemoryStore(), csrf: 'yes' as unknown as boolean };
    await expect(app.register(tesseraSession, options)).rejects.toThrow(
      /"csrf" must be true or false/,
    );
  });

  it('express: the middleware without the session middleware is a setup error saying what to add', async () => {
    const app = express();
    app.use(createExpressCsrf());
    let failure: unknown;
    app.use(
      (
        error: unknown,
        _req: express.Request,
        res: express.Response,
        _next: express.NextFunction,
      ) => {
        failure = error;
        res.status(500).end();
      },
    );
    const server = await listen(app as unknown as Parameters<typeof listen>[0]);
    closers.push(() => server.close());
    expect((await fetch(`${server.baseUrl}/`, { method: 'POST' })).status).toBe(500);
    expect(String(failure)).toMatch(
      /createSessionMiddleware\(\)\) before createCsrfMiddleware\(\)/,
    );
  });

  it('hono: reads the token from a multipart form too, and refuses a File in its place', async () => {
    const app = new Hono<SessionEnv>();
    app.use(createHonoSession({ store: createMemoryStore() }));
    app.use(createHonoCsrf());
    app.get('/csrf', (c) => c.text(c.get('session').csrfToken()));
    app.post('/guarded', (c) => c.text('done'));
    const first = await app.request('/csrf');
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    const token = await first.text();
    const valid = new FormData();
    valid.set('_csrf', token);
    const accepted = await app.request('/guarded', {
      method: 'POST',
      body: valid,
      headers: { cookie },
    });
    expect(accepted.status).toBe(200);
    const file = new FormData();
    file.set('_csrf', new File([token], 'token.txt'));
    const refused = await app.request('/guarded', {
      method: 'POST',
      body: file,
      headers: { cookie },
    });
    expect(refused.status).toBe(403);
  });

  it('koa: an inherited _csrf on the parsed body (a polluted prototype) is never read as the field', async () => {
    const app = new Koa();
    app.use(createKoaSession({ store: createMemoryStore() }));
    app.use(async (ctx, next) => {
      (ctx.request as { body?: unknown }).body = Object.create({ _csrf: 'inherited' });
      await next();
    });
    app.use(createKoaCsrf());
    app.use((ctx) => {
      ctx.body = ctx.method === 'GET' ? ctx.session.csrfToken() : 'done';
    });
    const server = await listen(app.callback());
    closers.push(() => server.close());
    const client = new CookieJarClient(server.baseUrl);
    await client.get('/');
    expect((await client.request('/', { method: 'POST' })).status).toBe(403);
  });
});
