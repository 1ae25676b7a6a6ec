/**
 * The React Router 8 example (examples/react-router, framework mode) as its
 * users run it: `react-router build`, then `react-router-serve
 * ./build/server/index.js`, with `tessera-session/react-router` from the
 * packed package, driven over HTTP with a cookie jar. Its loaders and actions
 * call getSession / commitSession as React Router's own storages are called;
 * refusals are thrown responses rendered by the root ErrorBoundary.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJarClient, type JarResponse } from '../../src/testing/index.js';
import {
  type PreparedExample,
  prepareExample,
  type RunningExample,
  run,
  startExample,
} from './harness.js';

const COOKIE = 'sessionid';

let prepared: PreparedExample;
let app: RunningExample;

beforeAll(async () => {
  prepared = await prepareExample('react-router');
  const database = path.join(prepared.dir, '.data', 'test-sessions.sqlite');
  rmSync(path.dirname(database), { recursive: true, force: true });
  app = await startExample(prepared, {
    command: ['npm', 'run', 'start'],
    env: { SESSION_DB: database },
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

/** The text of the element with this id, or `undefined` when the page has none. */
function textOf(page: JarResponse, id: string): string | undefined {
  return new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(page.text)?.[1]?.trim();
}

async function logIn(client: CookieJarClient, username: string): Promise<JarResponse> {
  const form = await client.get('/login');
  return post(client, '/login', { username, _csrf: csrfTokenOf(form) });
}

async function addToCart(client: CookieJarClient, item: string): Promise<JarResponse> {
  const cart = await client.get('/cart');
  return post(client, '/cart', { item, _csrf: csrfTokenOf(cart) });
}

describe("React Router's own view of the storage", () => {
  it("takes its sessions for React Router sessions (react-router's isSession)", async () => {
    const script = [
      "import { isSession } from 'react-router';",
      "import { createTesseraSessionStorage } from 'tessera-session/react-router';",
      "import { createMemoryStore } from 'tessera-session/stores/memory';",
      'const { getSession } = createTesseraSessionStorage({ store: createMemoryStore() });',
      'console.log(isSession(await getSession(null)));',
    ].join('\n');
    expect((await run(prepared, ['node', '--input-type=module', '-e', script])).trim()).toBe(
      'true',
    );
    // The build ran `tsc`, and app/sessions.server.ts has `storage satisfies SessionStorage<…>`.
  });
});

describe('the visit counter (a loader that sets a value and commits)', () => {
  it("counts each visitor's visits in a session of their own", async () => {
    const ann = browser();
    const first = await ann.get('/');
    expect(first.status).toBe(200);
    expect(textOf(first, 'visits')).toBe('You have visited this page 1 times.');
    expect(first.setCookies.join()).toMatch(new RegExp(`^${COOKIE}=`));
    expect(textOf(await ann.get('/'), 'visits')).toBe('You have visited this page 2 times.');
    expect(textOf(await ann.get('/'), 'visits')).toBe('You have visited this page 3 times.');

    const bob = browser();
    expect(textOf(await bob.get('/'), 'visits')).toBe('You have visited this page 1 times.');
    expect(bob.cookie(COOKIE)).not.toBe(ann.cookie(COOKIE));
  });

  it('sends no new cookie when the session is unchanged since the browser got its cookie', async () => {
    const client = browser();
    await client.get('/cart'); // creates the session (its CSRF token)
    const again = await client.get('/cart');
    expect(again.status).toBe(200);
    expect(again.setCookies).toEqual([]); // commitSession() answered '' and React Router sent nothing
  });
});

describe('the cart (an action that flashes a message and redirects)', () => {
  it('adds the item, redirects with 303, and shows "Added …" once', async () => {
    const client = browser();
    const added = await addToCart(client, 'pear');
    expect(added.redirects.map((response) => response.status)).toEqual([303]);
    expect(added.url).toMatch(/\/cart$/);
    expect(textOf(added, 'flash')).toBe('Added pear to your cart.');
    expect(textOf(added, 'cart')).toBe('In your cart: pear.');

    const reload = await client.get('/cart');
    expect(textOf(reload, 'flash')).toBeUndefined();
    expect(textOf(reload, 'cart')).toBe('In your cart: pear.');

    const more = await addToCart(client, 'plum');
    expect(textOf(more, 'flash')).toBe('Added plum to your cart.');
    expect(textOf(more, 'cart')).toBe('In your cart: pear, plum.');
  });
});

describe('CSRF (every form carries the token; every POST is checked)', () => {
  it('refuses a POST without the token with 403, and changes nothing', async () => {
    const client = browser();
    await client.get('/cart');
    const refused = await post(client, '/cart', { item: 'pear' });
    expect(refused.status).toBe(403);
    expect(textOf(refused, 'error')).toBe(
      'Invalid or missing CSRF token; reload the form and try again.',
    );
    expect(textOf(await client.get('/cart'), 'cart')).toBe('Your cart is empty.');
  });

  it("refuses another session's token", async () => {
    const attacker = browser();
    const attackerToken = csrfTokenOf(await attacker.get('/cart'));
    const victim = browser();
    await victim.get('/cart');
    const refused = await post(victim, '/cart', { item: 'pear', _csrf: attackerToken });
    expect(refused.status).toBe(403);
  });

  it('accepts the session’s own token', async () => {
    const client = browser();
    const accepted = await addToCart(client, 'apple');
    expect(accepted.status).toBe(200);
    expect(textOf(accepted, 'cart')).toBe('In your cart: apple.');
  });
});

describe('login (the test cookie, the CSRF token, session.tessera.login())', () => {
  it('answers 400 "Please enable cookies" to a browser that did not keep the form’s cookie', async () => {
    const client = browser();
    const form = await client.get('/login');
    const token = csrfTokenOf(form);
    client.clearCookies(); // a browser that refuses cookies
    const refused = await post(client, '/login', { username: 'ann', _csrf: token });
    expect(refused.status).toBe(400);
    expect(textOf(refused, 'error')).toBe('Please enable cookies in your browser to log in.');
  });

  it('refuses a login form without the CSRF token with 403', async () => {
    const client = browser();
    await client.get('/login');
    const refused = await post(client, '/login', { username: 'ann' });
    expect(refused.status).toBe(403);
    expect(textOf(await client.get('/'), 'user')).toBeUndefined();
  });

  it('logs in under a new session id, keeping the data, and flashes a welcome once', async () => {
    const client = browser();
    await addToCart(client, 'pear');
    const before = client.cookie(COOKIE)!;
    const home = await logIn(client, 'ann');
    expect(home.redirects.map((response) => response.status)).toEqual([303]);
    expect(textOf(home, 'flash')).toBe('Welcome, ann!');
    expect(textOf(home, 'user')).toBe('Logged in as ann');
    const after = client.cookie(COOKIE)!;
    expect(after).not.toBe(before);
    expect(textOf(await client.get('/cart'), 'cart')).toBe('In your cart: pear.');
    expect(textOf(await client.get('/'), 'flash')).toBeUndefined();

    // The pre-login id died with login(): a planted or copied cookie is not logged in.
    const planted = browser();
    planted.setCookie(COOKIE, before);
    const page = await planted.get('/');
    expect(textOf(page, 'user')).toBeUndefined();
    expect(textOf(page, 'visits')).toBe('You have visited this page 1 times.');
  });
});

describe('logout (session.tessera.logout())', () => {
  it('ends the session: the flash says so, and the old cookie is worth nothing afterwards', async () => {
    const client = browser();
    await logIn(client, 'bob');
    await addToCart(client, 'plum');
    const loggedIn = client.cookie(COOKIE)!;
    const home = await client.get('/');
    const out = await post(client, '/logout', { _csrf: csrfTokenOf(home) });
    expect(out.redirects.map((response) => response.status)).toEqual([303]);
    expect(textOf(out, 'flash')).toBe('You are logged out.');
    expect(textOf(out, 'user')).toBeUndefined();
    expect(client.cookie(COOKIE)).not.toBe(loggedIn);

    const replay = browser();
    replay.setCookie(COOKIE, loggedIn);
    expect(textOf(await replay.get('/'), 'user')).toBeUndefined();
    expect(textOf(await replay.get('/cart'), 'cart')).toBe('Your cart is empty.');
  });

  it('refuses a logout without the CSRF token (a cross-site form cannot log you out)', async () => {
    const client = browser();
    await logIn(client, 'carol');
    const refused = await post(client, '/logout', {});
    expect(refused.status).toBe(403);
    expect(textOf(await client.get('/'), 'user')).toBe('Logged in as carol');
  });
});

describe('persistence on SQLite', () => {
  it('keeps sessions across a restart of the production server', async () => {
    const client = browser();
    await logIn(client, 'dora');
    await addToCart(client, 'apple');
    const cookie = client.cookie(COOKIE)!;

    const url = await app.restart();
    const after = new CookieJarClient(url, { jar: client.jar });
    const home = await after.get('/');
    expect(textOf(home, 'user')).toBe('Logged in as dora');
    expect(textOf(await after.get('/cart'), 'cart')).toBe('In your cart: apple.');
    expect(after.cookie(COOKIE)).toBe(cookie);
  });
});
