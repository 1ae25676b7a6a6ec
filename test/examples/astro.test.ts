/**
 * The Astro example (examples/astro) on Astro 7's production build, served by
 * the Node adapter's standalone server (`node ./dist/server/entry.mjs`), with
 * `tessera-session/astro` from the packed package, driven over HTTP with a
 * cookie jar.
 *
 * Every POST carries the `Origin` a browser sends: Astro's own
 * `security.checkOrigin` (on by default) refuses form posts without it before
 * any middleware of the app runs.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
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
/** The example's SQLite file (SESSION_DB). */
let database: string;

beforeAll(async () => {
  prepared = await prepareExample('astro');
  database = path.join(prepared.dir, '.data', 'test-sessions.sqlite');
  rmSync(path.dirname(database), { recursive: true, force: true });
  app = await startExample(prepared, {
    command: ['node', './dist/server/entry.mjs'],
    env: { SESSION_DB: database },
  });
});

afterAll(async () => {
  await app?.stop();
});

/** A browser: its own cookie jar, sending the `Origin` of the app with every form. */
function browser(jar?: CookieJarClient['jar']): CookieJarClient {
  return new CookieJarClient(app.url, jar === undefined ? {} : { jar });
}

function post(
  client: CookieJarClient,
  pathname: string,
  form: Record<string, string>,
): Promise<JarResponse> {
  return client.post(pathname, form, { follow: true, headers: { origin: app.url } });
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
  return [...page.text.matchAll(/class="flash"[^>]*>([^<]*)</g)].map((match) => match[1]!);
}

async function logIn(client: CookieJarClient, username: string): Promise<JarResponse> {
  const form = await client.get('/login');
  return post(client, '/login', { username, password: 'tessera', _csrf: csrfTokenOf(form) });
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
});

describe('the cart', () => {
  it('adds an item, redirects with 303 and shows "Added …" once', async () => {
    const client = browser();
    const form = await client.get('/cart');
    expect(form.text).toContain('Your cart is empty.');

    const added = await post(client, '/cart', { item: 'pear', _csrf: csrfTokenOf(form) });
    expect(added.redirects.map((redirect) => redirect.status)).toEqual([303]);
    expect(added.status).toBe(200);
    expect(flashesOf(added)).toEqual(['Added pear']);
    expect(added.text).toContain('<li>pear</li>');

    const again = await client.get('/cart');
    expect(flashesOf(again)).toEqual([]);
    expect(again.text).toContain('<li>pear</li>');
  });

  it('keeps the items in order, one flash message per addition', async () => {
    const client = browser();
    const form = await client.get('/cart');
    await post(client, '/cart', { item: 'pear', _csrf: csrfTokenOf(form) });
    const second = await post(client, '/cart', { item: 'fig', _csrf: csrfTokenOf(form) });
    expect(flashesOf(second)).toEqual(['Added fig']);
    expect(second.text).toMatch(/<li>pear<\/li><li>fig<\/li>/);
  });
});

describe('CSRF', () => {
  it('refuses a POST without the token with 403, and the cart does not change', async () => {
    const client = browser();
    await client.get('/cart');
    const refused = await post(client, '/cart', { item: 'fig' });
    expect(refused.status).toBe(403);
    expect(refused.text.trim()).toBe(
      'Invalid or missing CSRF token; reload the form and try again.',
    );
    expect((await client.get('/cart')).text).toContain('Your cart is empty.');
  });

  it("refuses another session's token", async () => {
    const mallory = browser();
    const stolen = csrfTokenOf(await mallory.get('/cart'));
    const victim = browser();
    await victim.get('/cart');
    expect((await post(victim, '/cart', { item: 'fig', _csrf: stolen })).status).toBe(403);
  });

  it('accepts the token in the X-CSRF-Token header', async () => {
    const client = browser();
    const token = csrfTokenOf(await client.get('/cart'));
    const added = await client.post(
      '/cart',
      { item: 'plum' },
      { follow: true, headers: { origin: app.url, 'x-csrf-token': token } },
    );
    expect(flashesOf(added)).toEqual(['Added plum']);
  });

  it("leaves cross-origin form posts to Astro's checkOrigin, which refuses them first", async () => {
    const client = browser();
    const token = csrfTokenOf(await client.get('/cart'));
    const refused = await client.post(
      '/cart',
      { item: 'fig', _csrf: token },
      { headers: { origin: 'https://evil.example' } },
    );
    expect(refused.status).toBe(403);
    expect(refused.text).toBe('Cross-site POST form submissions are forbidden');
  });
});

describe('logging in and out', () => {
  it('refuses a login from a browser that did not keep the test cookie (400)', async () => {
    const client = browser();
    const form = await client.get('/login');
    const token = csrfTokenOf(form);
    client.clearCookies(); // a browser that refuses cookies
    const refused = await post(client, '/login', {
      username: 'ann',
      password: 'tessera',
      _csrf: token,
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Please enable cookies');
  });

  it('refuses a login post that never saw the login form (no test cookie)', async () => {
    const client = browser();
    const token = csrfTokenOf(await client.get('/cart'));
    const refused = await post(client, '/login', {
      username: 'ann',
      password: 'tessera',
      _csrf: token,
    });
    expect(refused.status).toBe(400);
  });

  it('refuses a login without the CSRF token (403)', async () => {
    const client = browser();
    await client.get('/login');
    const refused = await post(client, '/login', { username: 'ann', password: 'tessera' });
    expect(refused.status).toBe(403);
  });

  it('refuses a wrong password (401) and stays logged out', async () => {
    const client = browser();
    const form = await client.get('/login');
    const refused = await post(client, '/login', {
      username: 'ann',
      password: 'wrong',
      _csrf: csrfTokenOf(form),
    });
    expect(refused.status).toBe(401);
    expect(refused.text).toContain('Wrong user name or password.');
    expect(userOf(await client.get('/'))).toBeUndefined();
  });

  it('logs in with login(): a new session id, a new CSRF token, the data kept', async () => {
    const client = browser();
    await client.get('/'); // visits: 1
    const form = await client.get('/login');
    const idBefore = client.cookie(COOKIE);
    const tokenBefore = csrfTokenOf(form);

    const home = await post(client, '/login', {
      username: 'ann',
      password: 'tessera',
      _csrf: tokenBefore,
    });
    expect(home.redirects.map((redirect) => redirect.status)).toEqual([303]);
    expect(userOf(home)).toBe('ann');
    expect(visitsOf(home)).toBe('You have visited this page 2 times.');
    expect(client.cookie(COOKIE)).toBeDefined();
    expect(client.cookie(COOKIE)).not.toBe(idBefore);
    expect(csrfTokenOf(home)).not.toBe(tokenBefore);

    // The id from before the login is not the logged-in session (no fixation).
    const planted = browser();
    planted.setCookie(COOKIE, idBefore!);
    expect(userOf(await planted.get('/'))).toBeUndefined();
    // The token from before the login is refused.
    expect((await post(client, '/cart', { item: 'fig', _csrf: tokenBefore })).status).toBe(403);
  });

  it('logs out: the session is gone and its old cookie is useless', async () => {
    const client = browser();
    const home = await logIn(client, 'bob');
    expect(userOf(home)).toBe('bob');
    const loggedInCookie = client.cookie(COOKIE)!;

    const out = await post(client, '/logout', { _csrf: csrfTokenOf(home) });
    expect(out.redirects.map((redirect) => redirect.status)).toEqual([303]);
    expect(userOf(out)).toBeUndefined();
    expect(out.text).toContain('href="/login"');

    // A copy of the cookie, replayed after the logout, gets a fresh session.
    const replay = browser();
    replay.setCookie(COOKIE, loggedInCookie);
    const replayed = await replay.get('/');
    expect(userOf(replayed)).toBeUndefined();
    expect(visitsOf(replayed)).toBe('You have visited this page 1 time.');
  });

  it('refuses a logout without the CSRF token (403) and stays logged in', async () => {
    const client = browser();
    await logIn(client, 'carol');
    expect((await post(client, '/logout', {})).status).toBe(403);
    expect(userOf(await client.get('/'))).toBe('carol');
  });
});

describe('SQLite persistence', () => {
  it('keeps sessions across a restart of the same build', async () => {
    const client = browser();
    await client.get('/');
    const form = await client.get('/cart');
    await post(client, '/cart', { item: 'pear', _csrf: csrfTokenOf(form) });
    await logIn(client, 'dora');

    await app.restart();

    const after = browser(client.jar); // the same cookies, on the restarted server's URL
    const home = await after.get('/');
    expect(userOf(home)).toBe('dora');
    expect(visitsOf(home)).toBe('You have visited this page 3 times.');
    const cart = await after.get('/cart');
    expect(cart.text).toContain('<li>pear</li>');
    expect(flashesOf(cart)).toEqual([]);
  });
});

describe('a store outage', () => {
  /** Runs `sql` on the example's database from outside the server, as an operator would. */
  function alterDatabase(sql: string): void {
    const db = new Database(database);
    try {
      db.exec(sql);
    } finally {
      db.close();
    }
  }

  it('answers 503 with Retry-After while the store fails, and the session is back once it recovers', async () => {
    const client = browser();
    await client.get('/');
    alterDatabase('ALTER TABLE tessera_sessions RENAME TO tessera_sessions_away');
    try {
      const failed = await client.get('/');
      expect(failed.status).toBe(503);
      expect(failed.headers.get('retry-after')).toBe('5');
    } finally {
      alterDatabase('ALTER TABLE tessera_sessions_away RENAME TO tessera_sessions');
    }
    expect(visitsOf(await client.get('/'))).toBe('You have visited this page 2 times.');
  });
});
