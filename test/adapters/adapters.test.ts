import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { digestSessionIdNode } from '../../src/adapters/node/digest.js';
import type { SessionOptions, SessionStore } from '../../src/core/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { createSqliteStore } from '../../src/stores/sqlite/index.js';
import { CookieJarClient } from '../helpers/cookie-jar-client.js';
import { listen, type RunningServer } from '../helpers/listen.js';
import { createSwitchableStore } from './switchable-store.js';
import { TINY_APPS } from './tiny-apps.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'tessera-adapters-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.each(TINY_APPS)('adapter: $name', (app) => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  async function start(
    options: SessionOptions = {},
  ): Promise<{ base: string; jar: () => CookieJarClient }> {
    server = await listen(app.create({ store: createMemoryStore(), ...options }));
    const base = server.baseUrl;
    return { base, jar: () => new CookieJarClient(base) };
  }
  const sid = (client: CookieJarClient): string | undefined => client.cookie('sessionid');

  it('counts visits per client', async () => {
    const { jar } = await start();
    const a = jar();
    const b = jar();
    expect((await a.get('/hit')).text).toBe('1');
    expect((await a.get('/hit')).text).toBe('2');
    expect((await b.get('/hit')).text).toBe('1');
  });

  it('sends no cookie for an untouched session', async () => {
    const { jar } = await start();
    const response = await jar().get('/plain');
    expect(response.setCookies).toEqual([]);
    expect(response.headers.get('vary')).toBeNull();
  });

  it("adds Vary: Cookie when the session was read, merged with the app's own", async () => {
    const { jar } = await start();
    const client = jar();
    expect((await client.get('/read')).headers.get('vary')).toBe('Cookie');
    const own = await client.get('/own-headers');
    expect(own.headers.get('vary')).toBe('Accept-Encoding, Cookie');
    expect(own.setCookies.map((c) => c.split('=')[0])).toEqual(['theme', 'sessionid']);
  });

  it('saves the session before the redirect goes out', async () => {
    const store = createSwitchableStore(createMemoryStore());
    store.delayMs = 30; // a slow store: the redirect must still wait for the write
    const { jar } = await start({ store });
    const client = jar();
    const redirect = await client.get('/set-and-redirect');
    expect(redirect.status).toBe(303);
    store.delayMs = 0;
    const followed = await client.get('/read');
    expect(followed.text).toBe('99');
  });

  it('adds the session cookie to headers given to an explicit res.writeHead()', async () => {
    const { jar } = await start();
    const client = jar();
    const redirect = await client.get('/write-head-redirect');
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/read');
    expect(redirect.setCookies.map((c) => c.split('=')[0])).toEqual(['theme', 'sessionid']);
    expect((await client.get('/read')).text).toBe('7');
  });

  it('sets the cookie of a streamed response when the handler saved first', async () => {
    const { jar } = await start();
    const client = jar();
    const streamed = await client.get('/stream-after-save');
    expect(streamed.text).toBe('streamed');
    expect(streamed.setCookies).toHaveLength(1);
    expect((await client.get('/read')).text).toBe('5');
  });

  it('reports, rather than hides, a new session whose cookie could not follow a streamed body', async () => {
    const errors: unknown[] = [];
    const { jar } = await start({ onError: (error) => errors.push(error) });
    const streamed = await jar().get('/stream-without-save');
    expect(streamed.text).toBe('streamed');
    expect(streamed.setCookies).toEqual([]);
    expect(String(errors[0])).toMatch(/call `await session.save\(\)` before streaming/);
  });

  it('still saves changes to an existing session behind a streamed body', async () => {
    const { jar } = await start();
    const client = jar();
    await client.get('/hit');
    await client.get('/stream-without-save');
    expect((await client.get('/read')).text).toBe('6');
  });

  it('flushes: deletes the cookie and the old cookie is dead', async () => {
    const { base, jar } = await start();
    const client = jar();
    await client.get('/hit');
    const old = sid(client)!;
    const flushed = await client.get('/flush');
    expect(flushed.setCookies[0]).toMatch(/^sessionid=; Max-Age=0/);
    const replay = await fetch(`${base}/read`, { headers: { cookie: `sessionid=${old}` } });
    expect(await replay.text()).toBe('0');
  });

  it('treats malformed cookies as no session', async () => {
    const { base } = await start();
    for (const cookie of [
      'sessionid=%zz',
      'sessionid="x',
      `sessionid=${'\\'.repeat(8000)}`,
      '=;;;sessionid',
    ]) {
      const response = await fetch(`${base}/read`, { headers: { cookie } });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('0');
    }
  });

  it('keeps all 20 keys set by 20 parallel requests on one session', async () => {
    const store = createSqliteStore({
      path: join(tmp, `${app.name.replace(/\W/g, '')}-parallel.db`),
    });
    const { jar } = await start({ store });
    const client = jar();
    await client.get('/hit');
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        client.get(`/slow-set?key=k${i}&ms=${Math.floor(Math.random() * 20)}`),
      ),
    );
    const keys = JSON.parse((await client.get('/keys')).text);
    expect(keys).toEqual(['counter', ...Array.from({ length: 20 }, (_, i) => `k${i}`)].sort());
    await store.close?.();
  });

  it('answers 400 when a concurrent logout destroyed the session, and does not bring it back', async () => {
    const store = createMemoryStore();
    const { jar } = await start({ store });
    const client = jar();
    await client.get('/hit');
    const key = digestSessionIdNode(sid(client)!);
    const slow = client.get('/slow-set?ms=150&key=late');
    await new Promise((resolve) => setTimeout(resolve, 30));
    await client.get('/flush');
    const late = await slow;
    expect(late.status).toBe(400);
    expect(late.text).toMatch(/session was deleted before the request completed/);
    expect(await store.read(key)).toBeNull();
  });

  it('answers 503 while the store is down and recovers without a restart', async () => {
    const errors: unknown[] = [];
    const store = createSwitchableStore(createMemoryStore());
    const { jar } = await start({ store, onError: (error) => errors.push(error) });
    const client = jar();
    expect((await client.get('/hit')).text).toBe('1');
    store.down = true;
    const down = await client.get('/hit');
    expect(down.status).toBe(503);
    expect(down.text).toMatch(/Session storage is unavailable/);
    expect(down.headers.get('retry-after')).toBe('5');
    const fresh = await jar().get('/hit'); // no cookie: the read is skipped, the create fails
    expect(fresh.status).toBe(503);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(String(errors[0])).toMatch(/switchable\(memory\).*ECONNREFUSED/);
    store.down = false;
    expect((await client.get('/hit')).text).toBe('2');
  });

  it('saves nothing when the handler fails (5xx), as Django', async () => {
    const store = createMemoryStore();
    const { jar } = await start({ store });
    const client = jar();
    await client.get('/hit');
    const failed = await client.get('/boom');
    expect(failed.status).toBe(500);
    expect((await client.get('/read')).text).toBe('1');
  });

  it('sets Secure from X-Forwarded-Proto only with trustProxy', async () => {
    const { base } = await start();
    const untrusted = await fetch(`${base}/hit`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(untrusted.headers.get('set-cookie')).not.toMatch(/Secure/);
    await server?.close();
    const trusted = await start({ trustProxy: true });
    const proxied = await fetch(`${trusted.base}/hit`, {
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(proxied.headers.get('set-cookie')).toMatch(/; Secure$/);
  });
});

describe('default store', () => {
  it('is SQLite at .tessera/sessions.db in the working directory', async () => {
    const previous = process.cwd();
    process.chdir(tmp);
    try {
      const app = TINY_APPS[0]!.create({});
      const server = await listen(app);
      const client = new CookieJarClient(server.baseUrl);
      await client.get('/hit');
      await server.close();
      const store: SessionStore = createSqliteStore({ path: join(tmp, '.tessera/sessions.db') });
      expect(await store.read(digestSessionIdNode(client.cookie('sessionid')!))).not.toBeNull();
      await store.close?.();
    } finally {
      process.chdir(previous);
    }
  });
});
