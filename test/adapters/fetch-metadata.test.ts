/**
 * Fetch Metadata protection over HTTP on every adapter (issue 10 §3): a
 * cross-site request to a state-changing GET (here the tiny app's `/flush`)
 * is refused with 403 and leaves the session intact; a same-origin one runs.
 * A browser's `Sec-Fetch-*` headers are sent by hand, as a browser sends them.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { createFetchMetadataMiddleware as createExpressFetchMetadata } from '../../src/adapters/express/index.js';
import {
  createFetchMetadataProtection,
  fetchMetadataProtection,
  tesseraSession,
} from '../../src/adapters/fastify/index.js';
import { createFetchMetadataMiddleware as createHonoFetchMetadata } from '../../src/adapters/hono/index.js';
import { createFetchMetadataMiddleware as createKoaFetchMetadata } from '../../src/adapters/koa/index.js';
import {
  checkFetchMetadataRequest,
  sendFetchMetadataFailure,
} from '../../src/adapters/node/index.js';
import { SessionConfigError } from '../../src/core/errors.js';
import type { FetchMetadataOptions } from '../../src/core/fetch-metadata.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { CookieJarClient } from '../helpers/cookie-jar-client.js';
import { listen } from '../helpers/listen.js';
import { type RunningTinyApp, TINY_APPS } from './tiny-apps/index.js';

const MESSAGE = 'Cross-site request refused.';

/** The headers a browser sends with a top-level navigation (a followed link) from `site`. */
function navigationFrom(site: string): Record<string, string> {
  return {
    'Sec-Fetch-Site': site,
    'Sec-Fetch-Mode': 'navigate',
    'Sec-Fetch-Dest': 'document',
    'Sec-Fetch-User': '?1',
  };
}

describe.each(TINY_APPS)('Fetch Metadata check: $name', (app) => {
  let server: RunningTinyApp | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  /** A visitor whose session holds counter 1. */
  async function startWithSession(): Promise<CookieJarClient> {
    server = await app.start({ store: createMemoryStore() }, { fetchMetadata: true });
    const client = new CookieJarClient(server.baseUrl);
    expect((await client.get('/hit')).text).toBe('1');
    return client;
  }

  it('refuses a cross-site GET that would flush the session: 403 plain text, the session intact', async () => {
    const client = await startWithSession();
    const cookie = client.cookie('sessionid');

    const refused = await client.request('/flush', { headers: navigationFrom('cross-site') });

    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(refused.headers.get('vary')).toMatch(/\bSec-Fetch-Site\b/i);
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect(refused.text.trim()).toBe(MESSAGE);
    expect(refused.setCookies).toEqual([]);
    expect(client.cookie('sessionid')).toBe(cookie);
    expect((await client.get('/read', { headers: navigationFrom('same-origin') })).text).toBe('1');
  });

  it('lets a same-origin GET flush the session', async () => {
    const client = await startWithSession();

    const flushed = await client.request('/flush', { headers: navigationFrom('same-origin') });

    expect(flushed.status).toBe(303);
    expect(client.cookie('sessionid')).toBeUndefined();
    expect((await client.get('/read')).text).toBe('0');
  });

  it('lets through a typed address or bookmark (none) and a client without the headers', async () => {
    const client = await startWithSession();
    expect((await client.get('/hit', { headers: navigationFrom('none') })).text).toBe('2');
    expect((await client.get('/hit')).text).toBe('3');
  });

  it('refuses same-site (a sibling subdomain) by default, and a cross-site POST, image or fetch', async () => {
    const client = await startWithSession();
    const attempts: Record<string, string>[] = [
      navigationFrom('same-site'),
      { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'no-cors', 'Sec-Fetch-Dest': 'image' },
      { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'cors', 'Sec-Fetch-Dest': 'empty' },
    ];
    for (const headers of attempts) {
      expect((await client.request('/set?key=evil', { headers })).status).toBe(403);
    }
    const post = await client.request('/set?key=evil', {
      method: 'POST',
      headers: navigationFrom('cross-site'),
    });
    expect(post.status).toBe(403);
    expect((await client.get('/keys')).text).toBe('["counter"]');
  });
});

describe('Fetch Metadata wiring, per adapter', () => {
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });
  const crossSite = navigationFrom('cross-site');

  it('fastify: fetchMetadataProtection guards a single route, as onRequest or preHandler', async () => {
    const app = Fastify();
    closers.push(() => app.close());
    await app.register(tesseraSession, { store: createMemoryStore() });
    app.get('/guarded', { onRequest: fetchMetadataProtection }, () => 'done');
    app.get('/pre', { preHandler: fetchMetadataProtection }, () => 'done');
    app.get('/open', () => 'open');
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

    const refused = await fetch(`${base}/guarded`, { headers: crossSite });
    expect([refused.status, await refused.text()]).toEqual([403, `${MESSAGE}\n`]);
    expect(refused.headers.get('vary')).toBe('Sec-Fetch-Site');
    expect((await fetch(`${base}/pre`, { headers: crossSite })).status).toBe(403);
    expect((await fetch(`${base}/open`, { headers: crossSite })).status).toBe(200);
    const sameOrigin = await fetch(`${base}/guarded`, { headers: navigationFrom('same-origin') });
    expect([sameOrigin.status, await sameOrigin.text()]).toEqual([200, 'done']);
  });

  it('express: guards one route and keeps a Vary set earlier', async () => {
    const app = express();
    app.use((_req, res, next) => {
      res.setHeader('Vary', 'Accept-Encoding');
      next();
    });
    app.get('/guarded', createExpressFetchMetadata(), (_req, res) => void res.send('done'));
    app.get('/open', (_req, res) => void res.send('open'));
    const server = await listen(app as unknown as Parameters<typeof listen>[0]);
    closers.push(() => server.close());

    const refused = await fetch(`${server.baseUrl}/guarded`, { headers: crossSite });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('vary')).toBe('Accept-Encoding, Sec-Fetch-Site');
    expect((await fetch(`${server.baseUrl}/open`, { headers: crossSite })).status).toBe(200);
  });

  it('allowSameSite lets a sibling subdomain through, on every factory', async () => {
    const options = { allowSameSite: true };
    const sameSite = navigationFrom('same-site');

    const hono = new Hono();
    hono.get('/', createHonoFetchMetadata(options), (c) => c.text('done'));
    expect((await hono.request('/', { headers: sameSite })).status).toBe(200);
    expect((await hono.request('/', { headers: crossSite })).status).toBe(403);

    const koa = new Koa();
    koa.use(createKoaFetchMetadata(options));
    koa.use((ctx) => {
      ctx.body = 'done';
    });
    const koaServer = await listen(koa.callback());
    closers.push(() => koaServer.close());
    expect((await fetch(koaServer.baseUrl, { headers: sameSite })).status).toBe(200);
    const koaRefused = await fetch(koaServer.baseUrl, { headers: crossSite });
    expect([koaRefused.status, koaRefused.headers.get('vary')]).toEqual([403, 'Sec-Fetch-Site']);

    const node = await listen((req, res) => {
      if (!checkFetchMetadataRequest(req, options)) return sendFetchMetadataFailure(res);
      res.end('done');
    });
    closers.push(() => node.close());
    expect((await fetch(node.baseUrl, { headers: sameSite })).status).toBe(200);
    expect((await fetch(node.baseUrl, { headers: crossSite })).status).toBe(403);

    const fastify = Fastify();
    closers.push(() => fastify.close());
    fastify.get('/', { onRequest: createFetchMetadataProtection(options) }, () => 'done');
    expect((await fastify.inject({ url: '/', headers: sameSite })).statusCode).toBe(200);
    expect((await fastify.inject({ url: '/', headers: crossSite })).statusCode).toBe(403);
  });

  it('refuses an unknown option when the middleware is created, naming it', () => {
    const typo = { allowSubdomains: true } as unknown as FetchMetadataOptions;
    for (const create of [
      createExpressFetchMetadata,
      createHonoFetchMetadata,
      createKoaFetchMetadata,
      createFetchMetadataProtection,
    ]) {
      expect(() => create(typo)).toThrow(SessionConfigError);
      expect(() => create(typo)).toThrow(/unknown option "allowSubdomains"/);
    }
  });
});
