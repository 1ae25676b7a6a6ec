/**
 * The Nuxt 4 example (examples/nuxt: h3 v1 on Nitro v2) on its production
 * build (`nuxt build`, then `node .output/server/index.mjs`), with
 * `tessera-session/h3` from the packed package, driven over HTTP with a cookie
 * jar. Its routes end with `sendRedirect()`, which ends the Node response
 * itself: the session must be saved before it all the same.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJarClient, type JarResponse } from '../../src/testing/index.js';
import {
  type PreparedExample,
  prepareExample,
  type RunningExample,
  startExample,
} from './harness.js';

const COOKIE = 'sessionid';

let prepared: PreparedExample;
let app: RunningExample;

beforeAll(async () => {
  prepared = await prepareExample('nuxt');
  const database = path.join(prepared.dir, '.data', 'test-sessions.sqlite');
  rmSync(path.dirname(database), { recursive: true, force: true });
  app = await startExample(prepared, {
    command: ['node', '.output/server/index.mjs'],
    env: { SESSION_DB: database },
    readyPath: '/health',
  });
});

afterAll(async () => {
  await app?.stop();
});

function browser(): CookieJarClient {
  return new CookieJarClient(app.url);
}

function post(
  client: CookieJarClient,
  pathname: string,
  form: Record<string, string>,
): Promise<JarResponse> {
  return client.post(pathname, form, { follow: true });
}

/** The CSRF token in the page's forms. */
function csrfTokenOf(page: JarResponse): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  if (token === undefined) throw new Error(`no CSRF field in:\n${page.text}`);
  return token;
}

function visitsOf(page: JarResponse): string | undefined {
  return /id="visits">([^<]*)</.exec(page.text)?.[1];
}

function userOf(page: JarResponse): string | undefined {
  return /id="user">([^<]*)</.exec(page.text)?.[1];
}

function flashesOf(page: JarResponse): string[] {
  return [...page.text.matchAll(/class="flash">([^<]*)</g)].map((match) => match[1]!);
}

async function logIn(client: CookieJarClient, username: string): Promise<JarResponse> {
  const form = await client.get('/login');
  return post(client, '/login', { username, _csrf: csrfTokenOf(form) });
}

describe('the visit counter', () => {
  it("counts a visitor's visits in the session, sending the cookie and Vary: Cookie", async () => {
    const client = browser();
    const first = await client.get('/');
    expect(first.status).toBe(200);
    expect(visitsOf(first)).toBe('You have visited this page 1 time.');
    expect(first.setCookies.some((cookie) => cookie.startsWith(`${COOKIE}=`))).toBe(true);
    expect(first.headers.get('vary')).toMatch(/cookie/i);

    const second = await client.get('/');
    expect(visitsOf(second)).toBe('You have visited this page 2 times.');
  });

  it('keeps visitors apart', async () => {
    const ann = browser();
    const bob = browser();
    await ann.get('/');
    await ann.get('/');
    expect(visitsOf(await bob.get('/'))).toBe('You have visited this page 1 time.');
    expect(visitsOf(await ann.get('/'))).toBe('You have visited this page 3 times.');
  });

  it('treats a forged session cookie as no session', async () => {
    const client = browser();
    client.setCookie(COOKIE, 'not-a-session-id-of-this-server');
    const page = await client.get('/');
    expect(page.status).toBe(200);
    expect(visitsOf(page)).toBe('You have visited this page 1 time.');
    expect(client.cookie(COOKIE)).not.toBe('not-a-session-id-of-this-server');
  });

  it('creates no session for a request that does not touch it', async () => {
    const client = browser();
    const health = await client.get('/health');
    expect(health.text).toBe('ok');
    expect(health.setCookies).toEqual([]);
  });
});

describe('the cart', () => {
  it('adds an item, redirects with 303 (sendRedirect) and shows "Added …" once', async () => {
    const client = browser();
    const form = await client.get('/cart');
    expect(form.text).toContain('Your cart is empty.');

    const added = await post(client, '/cart', {
      item: 'pear',
      qty: '2',
      _csrf: csrfTokenOf(form),
    });
    expect(added.redirects.map((redirect) => redirect.status)).toEqual([303]);
    expect(added.status).toBe(200);
    expect(flashesOf(added)).toEqual(['Added 2 × pear']);
    expect(added.text).toContain('<li>2 × pear</li>');

    const again = await client.get('/cart');
    expect(flashesOf(again)).toEqual([]);
    expect(again.text).toContain('<li>2 × pear</li>');
  });

  it("saves the session before the redirect's response goes out", async () => {
    const client = browser();
    const form = await client.get('/cart');
    const redirect = await client.post('/cart', {
      item: 'fig',
      qty: '1',
      _csrf: csrfTokenOf(form),
    });
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get('location')).toBe('/cart');
    expect(redirect.headers.get('vary')).toMatch(/cookie/i);
    // The very next request sees the write: the save finished before the 303 was sent.
    expect((await client.get('/cart')).text).toContain('<li>1 × fig</li>');
  });

  it('keeps the items in order, one flash message per addition', async () => {
    const client = browser();
    const form = await client.get('/cart');
    await post(client, '/cart', { item: 'pear', qty: '1', _csrf: csrfTokenOf(form) });
    const second = await post(client, '/cart', { item: 'fig', qty: '3', _csrf: csrfTokenOf(form) });
    expect(flashesOf(second)).toEqual(['Added 3 × fig']);
    expect(second.text).toMatch(/<li>1 × pear<\/li><li>3 × fig<\/li>/);
  });

  it('refuses an invalid quantity with a flash message and adds nothing', async () => {
    const client = browser();
    const form = await client.get('/cart');
    const refused = await post(client, '/cart', {
      item: 'pear',
      qty: '0',
      _csrf: csrfTokenOf(form),
    });
    expect(flashesOf(refused)).toEqual(['Please name an item and a quantity from 1 to 1000.']);
    expect(refused.text).toContain('Your cart is empty.');
  });
});

describe('CSRF', () => {
  it('refuses a POST without the token with 403, and the cart does not change', async () => {
    const client = browser();
    await client.get('/cart');
    const refused = await post(client, '/cart', { item: 'fig', qty: '1' });
    expect(refused.status).toBe(403);
    expect(refused.text).toBe('Invalid or missing CSRF token; reload the form and try again.\n');
    expect((await client.get('/cart')).text).toContain('Your cart is empty.');
  });

  it("refuses another session's token", async () => {
    const mallory = browser();
    const stolen = csrfTokenOf(await mallory.get('/cart'));
    const victim = browser();
    await victim.get('/cart');
    const refused = await post(victim, '/cart', { item: 'fig', qty: '1', _csrf: stolen });
    expect(refused.status).toBe(403);
  });

  it('accepts the token in the X-CSRF-Token header', async () => {
    const client = browser();
    const token = csrfTokenOf(await client.get('/cart'));
    const added = await client.post(
      '/cart',
      { item: 'plum', qty: '1' },
      { follow: true, headers: { 'x-csrf-token': token } },
    );
    expect(added.status).toBe(200);
    expect(flashesOf(added)).toEqual(['Added 1 × plum']);
  });
});

describe('log in and log out', () => {
  it('refuses a login from a browser that did not keep the test cookie', async () => {
    const client = browser();
    const form = await client.get('/login');
    const token = csrfTokenOf(form);
    client.clearCookies(); // the browser refuses cookies
    const refused = await post(client, '/login', { username: 'ann', _csrf: token });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Please enable cookies and try again.');
  });

  it('logs in with a new session id, keeping the data, and shows the user', async () => {
    const client = browser();
    await client.get('/');
    const before = client.cookie(COOKIE);
    const account = await logIn(client, 'ann');
    expect(account.redirects.map((redirect) => redirect.status)).toEqual([303]);
    expect(userOf(account)).toBe('ann');
    expect(client.cookie(COOKIE)).toBeDefined();
    expect(client.cookie(COOKIE)).not.toBe(before);
    expect(visitsOf(await client.get('/'))).toBe('You have visited this page 2 times.');
  });

  it('gives a new CSRF token on login: the old one is refused', async () => {
    const client = browser();
    const oldToken = csrfTokenOf(await client.get('/login'));
    await post(client, '/login', { username: 'ann', _csrf: oldToken });
    const refused = await post(client, '/cart', { item: 'fig', qty: '1', _csrf: oldToken });
    expect(refused.status).toBe(403);
  });

  it('logs out: the session is gone and its old cookie opens nothing', async () => {
    const client = browser();
    const account = await logIn(client, 'bob');
    const loggedIn = client.cookie(COOKIE)!;
    const home = await post(client, '/logout', { _csrf: csrfTokenOf(account) });
    expect(home.redirects.map((redirect) => redirect.status)).toEqual([303]);
    expect(visitsOf(home)).toBe('You have visited this page 1 time.');

    const replay = browser();
    replay.setCookie(COOKIE, loggedIn);
    const page = await replay.get('/account', { follow: true });
    expect(page.text).toContain('name="username"'); // the login form: nobody is logged in
  });
});

describe('restart', () => {
  it('keeps sessions in SQLite across a restart of the same build', async () => {
    const client = browser();
    const account = await logIn(client, 'carol');
    const form = await client.get('/cart');
    await post(client, '/cart', { item: 'kiwi', qty: '4', _csrf: csrfTokenOf(form) });
    expect(userOf(account)).toBe('carol');

    const url = await app.restart();
    const after = new CookieJarClient(url, { jar: client.jar });
    expect(userOf(await after.get('/account'))).toBe('carol');
    expect((await after.get('/cart')).text).toContain('<li>4 × kiwi</li>');
  });
});
