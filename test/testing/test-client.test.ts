import { AssertionError } from 'node:assert';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestClient, type TestClient } from '../../src/testing/index.js';
import { createExpressShop, createNodeShop, type ShopApp, type ShopData } from './shop-app.js';

const SHOPS: readonly { name: string; create: () => ShopApp }[] = [
  { name: 'express', create: createExpressShop },
  { name: 'node:http', create: createNodeShop },
];

describe.each(SHOPS)('tessera-session/testing: createTestClient() on a $name app', ({ create }) => {
  let shop: ShopApp;
  const clients: TestClient<ShopData>[] = [];
  function client(): TestClient<ShopData> {
    shop = create();
    const created = createTestClient<ShopData>(shop.app, { manager: shop.manager });
    clients.push(created);
    return created;
  }
  afterEach(async () => {
    for (const created of clients.splice(0)) await created.close();
    await shop.manager.close();
  });

  it('keeps the session cookie across requests', async () => {
    const browser = client();
    expect((await browser.get('/count')).text).toBe('1');
    expect((await browser.get('/count')).text).toBe('2');
    expect(browser.cookie('sessionid')).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(browser.cookies.get('sessionid')).toBe(browser.cookie('sessionid'));
  });

  it('gives each client its own session', async () => {
    const ann = client();
    const bob = createTestClient<ShopData>(shop.app, { manager: shop.manager });
    clients.push(bob);
    await ann.get('/count');
    await ann.get('/count');
    expect((await bob.get('/count')).text).toBe('1');
  });

  it('seeds the session with setSession() before the first request', async () => {
    const browser = client();
    await browser.setSession({ user: 'ann', counter: 41 });
    expect(browser.cookie('sessionid')).toBeDefined();
    expect((await browser.get('/whoami')).text).toBe('ann');
    expect((await browser.get('/count')).text).toBe('42');
  });

  it('adds to an existing session with setSession() and keeps its cookie', async () => {
    const browser = client();
    await browser.get('/count');
    const cookie = browser.cookie('sessionid');
    await browser.setSession({ user: 'bob' });
    expect(browser.cookie('sessionid')).toBe(cookie);
    expect((await browser.get('/whoami')).text).toBe('bob');
    expect((await browser.get('/count')).text).toBe('2');
  });

  it("sees the server's changes with session() after a request", async () => {
    const browser = client();
    await browser.get('/count');
    await browser.get('/count');
    const session = await browser.session();
    expect(session.get('counter')).toBe(2);
    expect(session.isNew).toBe(false);
  });

  it('gives a fresh, unsaved session when the jar holds no session cookie', async () => {
    const browser = client();
    const session = await browser.session();
    expect(session.id).toBeUndefined();
    expect(session.keys()).toEqual([]);
    expect(await browser.getSessionData()).toEqual({});
  });

  it('saves a changed session with saveSession(), and the app sees the change', async () => {
    const browser = client();
    await browser.get('/count');
    const session = await browser.session();
    session.set('counter', 10);
    await browser.saveSession(session);
    expect((await browser.get('/count')).text).toBe('11');
  });

  it('puts the cookie of a new session saved with saveSession() into the jar', async () => {
    const browser = client();
    const session = await browser.session();
    session.set('user', 'cy');
    await browser.saveSession(session);
    expect(browser.cookie('sessionid')).toBe(session.id);
    expect((await browser.get('/whoami')).text).toBe('cy');
  });

  it('drops the cookie from the jar when saveSession() saves a flushed session', async () => {
    const browser = client();
    await browser.setSession({ user: 'ann' });
    const session = await browser.session();
    session.flush();
    await browser.saveSession(session);
    expect(browser.cookie('sessionid')).toBeUndefined();
    expect((await browser.get('/whoami')).text).toBe('anonymous');
  });

  it("returns the visible keys with getSessionData(), without Tessera's reserved ones", async () => {
    const browser = client();
    await browser.post('/login', { form: { user: 'ann' } });
    expect(await browser.getSessionData()).toEqual({ user: 'ann' });
  });

  describe('expectSession()', () => {
    it('passes when the given keys match, whatever else the session holds', async () => {
      const browser = client();
      await browser.setSession({ user: 'ann', cart: ['pear'] });
      await browser.get('/count');
      await browser.expectSession({ user: 'ann', counter: 1 });
      await browser.expectSession({ cart: ['pear'] });
    });

    it('treats an undefined value as "absent"', async () => {
      const browser = client();
      await browser.get('/count');
      await browser.expectSession({ user: undefined, counter: 1 });
    });

    it('fails with an AssertionError whose message shows the difference', async () => {
      const browser = client();
      await browser.setSession({ user: 'ann', counter: 3 });
      const error = await browser.expectSession({ user: 'bob', counter: 3 }).catch((e) => e);
      expect(error).toBeInstanceOf(AssertionError);
      expect(error.message).toMatch(/^The session does not hold the expected values\./);
      expect(error.message).toContain("user: 'ann'");
      expect(error.message).toContain("user: 'bob'");
      expect(error.actual).toEqual({ user: 'ann', counter: 3 });
      expect(error.expected).toEqual({ user: 'bob', counter: 3 });
    });

    it('says so when the client has no session cookie', async () => {
      const browser = client();
      await expect(browser.expectSession({ user: 'ann' })).rejects.toThrow(
        /the client has no "sessionid" cookie/,
      );
    });
  });

  describe('expectFlash()', () => {
    it('passes on the queued messages and does not consume them', async () => {
      const browser = client();
      await browser.post('/cart', { json: { item: 'pear' } });
      await browser.expectFlash(['Added pear']);
      await browser.expectFlash(['Added pear']);
      const page = await browser.get('/cart');
      expect(page.json()).toEqual({ cart: ['pear'], flash: ['Added pear'] });
      await browser.expectFlash([]);
    });

    it('looks at a named queue', async () => {
      const browser = client();
      await browser.post('/cart', { json: { item: 'fig' } });
      await browser.expectFlash(['fig'], { queue: 'added' });
    });

    it('fails with an AssertionError naming the queue and showing the difference', async () => {
      const browser = client();
      await browser.post('/cart', { json: { item: 'pear' } });
      const error = await browser.expectFlash(['Added apple']).catch((e) => e);
      expect(error).toBeInstanceOf(AssertionError);
      expect(error.message).toMatch(
        /^The default flash queue does not hold the expected messages\./,
      );
      expect(error.message).toContain("'Added pear'");
      expect(error.message).toContain("'Added apple'");
      const named = await browser.expectFlash([], { queue: 'added' }).catch((e) => e);
      expect(named.message).toMatch(/^Flash queue "added" does not hold the expected messages\./);
      await browser.expectFlash(['Added pear']);
    });
  });

  describe('requests', () => {
    it('follows redirects on request, keeping every Set-Cookie along the way', async () => {
      const browser = client();
      const landed = await browser.get('/hop/1', { follow: true });
      expect(landed.text).toBe('landed');
      expect(landed.redirects.map((hop) => hop.status)).toEqual([303, 303]);
      expect(browser.cookies.toObject()).toEqual({
        hop1: 'yes',
        hop2: 'yes',
        sessionid: expect.any(String),
      });
      await browser.expectSession({ theme: 'dark' });
    });

    it('does not follow redirects unless asked', async () => {
      const browser = client();
      const hop = await browser.get('/hop/1');
      expect(hop.status).toBe(303);
      expect(hop.headers.get('location')).toBe('/hop/2');
      expect(browser.cookies.toObject()).toEqual({ hop1: 'yes' });
    });

    it('posts a form and follows the redirect after a login, as a browser does', async () => {
      const browser = client();
      const home = await browser.post('/login', { form: { user: 'ann' }, follow: true });
      expect(home.url).toMatch(/\/home$/);
      expect(home.json()).toEqual({ user: 'ann', flash: ['Welcome, ann'] });
    });

    it('posts JSON, forms and raw bodies with their content types', async () => {
      const browser = client();
      expect((await browser.post('/echo', { json: { a: 1 } })).json()).toEqual({
        method: 'POST',
        contentType: 'application/json',
        body: '{"a":1}',
      });
      expect((await browser.post('/echo', { form: { a: '1', b: 'x y' } })).json()).toEqual({
        method: 'POST',
        contentType: 'application/x-www-form-urlencoded',
        body: 'a=1&b=x+y',
      });
      const put = await browser.request('PUT', '/echo', {
        body: 'raw',
        headers: { 'content-type': 'text/plain' },
      });
      expect(put.json()).toEqual({ method: 'PUT', contentType: 'text/plain', body: 'raw' });
    });

    it('refuses a request given both a form and JSON', async () => {
      const browser = client();
      await expect(browser.post('/echo', { form: { a: '1' }, json: {} })).rejects.toThrow(
        'A request takes one of "form", "json" and "body"; got form and json.',
      );
    });

    it('says which URL answered when a body is not JSON', async () => {
      const browser = client();
      const page = await browser.get('/count');
      expect(() => page.json()).not.toThrow();
      const missing = await browser.get('/nowhere');
      expect(() => missing.json()).toThrow(/\/nowhere is not JSON \(status 404\): not found/);
    });
  });

  describe('logging out and clearing cookies', () => {
    it('logout() deletes the stored session and empties the jar', async () => {
      const browser = client();
      await browser.setSession({ user: 'ann' });
      const id = browser.cookie('sessionid')!;
      await browser.logout();
      expect(browser.cookies.size).toBe(0);
      expect((await shop.manager.open(id)).get('user')).toBeUndefined();
      expect((await browser.get('/whoami')).text).toBe('anonymous');
    });

    it('clearCookies() empties the jar and leaves the stored session alone', async () => {
      const browser = client();
      await browser.setSession({ user: 'ann' });
      const id = browser.cookie('sessionid')!;
      browser.clearCookies();
      expect((await browser.get('/whoami')).text).toBe('anonymous');
      expect((await shop.manager.open(id)).get('user')).toBe('ann');
    });
  });

  it('stops the server it started when closed', async () => {
    const browser = client();
    const page = await browser.get('/count');
    await browser.close();
    await expect(fetch(page.url)).rejects.toThrow();
    await expect(browser.get('/count')).rejects.toThrow(
      'This test client is closed: create a new one with createTestClient().',
    );
  });

  it('starts one server for concurrent first requests', async () => {
    const browser = client();
    const [a, b] = await Promise.all([browser.get('/whoami'), browser.get('/whoami')]);
    expect(new URL(a.url).origin).toBe(new URL(b.url).origin);
  });
});
