import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { digestSessionIdNode } from '../../src/adapters/node/digest.js';
import type { SessionOptions, SessionStore } from '../../src/core/index.js';
import { createSignedCookieStore } from '../../src/stores/cookie/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { createSqliteStore } from '../../src/stores/sqlite/index.js';
import { CookieJarClient } from '../helpers/cookie-jar-client.js';
import { createSwitchableStore } from './switchable-store.js';
import { type RunningTinyApp, TINY_APPS } from './tiny-apps/index.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'tessera-adapters-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.each(TINY_APPS)('adapter: $name', (app) => {
  let server: RunningTinyApp | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  async function start(
    options: SessionOptions = {},
  ): Promise<{ base: string; jar: () => CookieJarClient }> {
    server = await app.start({ store: createMemoryStore(), ...options });
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

  describe.runIf(app.nodeResponse)('node:http responses', () => {
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

    it('sends the cookie of a new session with the first bytes of a streamed body, and saves it there', async () => {
      const errors: unknown[] = [];
      const store = createSwitchableStore(createMemoryStore());
      store.delayMs = 20; // the write happens after the headers went out
      const { jar } = await start({ store, onError: (error) => errors.push(error) });
      const client = jar();
      const streamed = await client.get('/stream-without-save');
      expect(streamed.text).toBe('streamed');
      expect(streamed.setCookies).toHaveLength(1);
      expect((await client.get('/read')).text).toBe('6');
      expect(errors).toEqual([]);
    });

    it('keeps the id it sent ahead of a streamed body when the session is cycled', async () => {
      const { jar } = await start();
      const client = jar();
      await client.get('/hit');
      const before = sid(client);
      const streamed = await client.get('/stream-after-cycle');
      expect(streamed.setCookies).toHaveLength(1);
      expect(sid(client)).not.toBe(before);
      expect((await client.get('/read')).text).toBe('8');
    });

    it('reports, rather than hides, a cookie-store session whose cookie could not follow a streamed body', async () => {
      const errors: unknown[] = [];
      const { jar } = await start({
        store: createSignedCookieStore({ secrets: ['x'.repeat(32)] }),
        onError: (error) => errors.push(error),
      });
      const streamed = await jar().get('/stream-without-save');
      expect(streamed.text).toBe('streamed');
      expect(streamed.setCookies).toEqual([]);
      expect(String(errors[0])).toMatch(/call `await session.save\(\)` before writing the body/);
    });

    it('ignores a second end() and headers set after end() while the session is saved, as plain Node does', async () => {
      const errors: unknown[] = [];
      const store = createSwitchableStore(createMemoryStore());
      store.delayMs = 30; // end() waits for the write: the second call lands meanwhile
      const { jar } = await start({ store, onError: (error) => errors.push(error) });
      const client = jar();
      const response = await client.get('/end-twice');
      expect(response.status).toBe(200);
      expect(response.text).toBe('first');
      expect(response.headers.get('x-late')).toBeNull();
      expect(response.setCookies).toHaveLength(1);
      expect((await client.get('/read')).text).toBe('9');
      expect(errors.map(String).join('\n')).toMatch(/after res\.end\(\)/);
    });

    it('still saves changes to an existing session behind a streamed body', async () => {
      const { jar } = await start();
      const client = jar();
      await client.get('/hit');
      await client.get('/stream-without-save');
      expect((await client.get('/read')).text).toBe('6');
    });
  });

  it('deletes one key and keeps the others', async () => {
    const { jar } = await start();
    const client = jar();
    await client.get('/set?key=a&value=1');
    await client.get('/set?key=b&value=2');
    expect((await client.get('/delete?key=a')).text).toBe('true');
    expect((await client.get('/delete?key=missing')).text).toBe('false');
    expect((await client.get('/keys')).text).toBe('["b"]');
  });

  it('controls the expiry: seconds, browser close, back to the default', async () => {
    const { jar } = await start({ cookieAge: 3600 });
    const client = jar();
    await client.get('/hit');
    const short = await client.get('/expiry?seconds=60');
    expect(short.text).toBe('60');
    expect(short.setCookies[0]).toMatch(/; Max-Age=60;/);
    const atClose = await client.get('/expiry?seconds=0');
    expect(atClose.setCookies[0]).not.toMatch(/Max-Age|Expires/);
    const back = await client.get('/expiry?seconds=default');
    expect(back.text).toBe('3600');
    expect(back.setCookies[0]).toMatch(/; Max-Age=3600;/);
    expect((await client.get('/read')).text).toBe('1');
  });

  it('keeps a cart changed in place and shows its flash once after the redirect', async () => {
    const { jar } = await start();
    const client = jar();
    const added = await client.get('/cart/add?item=apple', { follow: true });
    expect(added.redirects[0]?.status).toBe(303);
    expect(JSON.parse(added.text)).toEqual({ items: ['apple'], flash: ['Added apple'] });
    const again = await client.get('/cart/add?item=pear', { follow: true });
    expect(JSON.parse(again.text)).toEqual({ items: ['apple', 'pear'], flash: ['Added pear'] });
    expect(JSON.parse((await client.get('/cart')).text)).toEqual({
      items: ['apple', 'pear'],
      flash: [],
    });
  });

  it('logs in only after the test cookie worked, and cycles the key', async () => {
    const { base, jar } = await start();
    const client = jar();
    expect((await client.get('/login?user=ann')).status).toBe(400);
    await client.get('/login-form');
    const before = sid(client)!;
    const login = await client.get('/login?user=ann');
    expect(login.text).toBe('welcome ann');
    const after = sid(client)!;
    expect(after).not.toBe(before);
    expect((await client.get('/whoami')).text).toBe('ann');
    const replay = await fetch(`${base}/whoami`, { headers: { cookie: `sessionid=${before}` } });
    expect(await replay.text()).toBe('anonymous');
  });

  it('lets a visitor comment once', async () => {
    const { jar } = await start();
    const client = jar();
    expect((await client.get('/comment')).text).toBe('Thanks for your comment!');
    expect((await client.get('/comment')).text).toBe('You have already commented.');
    expect((await jar().get('/comment')).text).toBe('Thanks for your comment!');
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

  it('answers 400 when a slow request rotates the id after a concurrent logout, and writes no logged-in session (issue 10 §1)', async () => {
    const store = createMemoryStore();
    const { jar } = await start({ store });
    const client = jar();
    await client.get('/signin?user=alice');
    const loggedIn = sid(client)!;
    const slow = client.get('/slow-regenerate?ms=150');
    await new Promise((resolve) => setTimeout(resolve, 30));
    await client.get('/flush'); // the logout
    const late = await slow;
    expect(late.status).toBe(400);
    expect(late.setCookies).toEqual([]);
    expect(await store.read(digestSessionIdNode(loggedIn))).toBeNull();
    expect(store.listUserSessions('alice')).toEqual([]);
  });

  it("with storeOutage: 'throw-on-use', serves pages that never touch the session while the store is down", async () => {
    const errors: unknown[] = [];
    const store = createSwitchableStore(createMemoryStore());
    const { jar } = await start({
      store,
      storeOutage: 'throw-on-use',
      onError: (e) => errors.push(e),
    });
    const client = jar();
    expect((await client.get('/hit')).text).toBe('1');
    store.down = true;
    const plain = await client.get('/plain');
    expect(plain.status).toBe(200);
    expect(plain.setCookies).toEqual([]); // the cookie is kept for when the store is back
    const used = await client.get('/hit');
    expect(used.status).toBe(503);
    store.down = false;
    expect((await client.get('/hit')).text).toBe('2');
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
      const server = await TINY_APPS[0]!.start({});
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
