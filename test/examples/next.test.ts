/**
 * The Next.js example (examples/next) on its production build (`next build`,
 * then `next start`), driven over HTTP with a cookie jar: a Route Handler
 * counts visits, Server Components read the session (and cannot write it),
 * Server Actions write it (posted as a browser without JavaScript posts
 * them), proxy.ts reads it to guard a page and prepares it for the pages,
 * and sessions outlive a restart on SQLite.
 *
 * Run: npx vitest run -c vitest.examples.config.ts test/examples/next.test.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNextSessions, SessionConfigError } from '../../src/integrations/next/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { CookieJarClient, type JarResponse } from '../../src/testing/index.js';
import { decodeEntities, textById, textsByClass } from '../helpers/html-query.js';
import { prepareExample, type RunningExample, startExample } from './harness.js';

const COOKIE = 'sessionid';
let app: RunningExample;
let dataDir: string;

function browser(): CookieJarClient {
  return new CookieJarClient(app.url);
}

/** A form's hidden fields as the page rendered them (`_csrf`, a Server Action's `$ACTION_ID_…`). */
function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [input] of html.matchAll(/<input\b[^>]*type="hidden"[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(input)?.[1];
    if (name !== undefined)
      fields[decodeEntities(name)] = decodeEntities(/\bvalue="([^"]*)"/.exec(input)?.[1] ?? '');
  }
  return fields;
}

/**
 * Submits a page's Server Action form as a browser without JavaScript does:
 * a multipart POST to the page, with the form's hidden fields (the action id,
 * the CSRF token unless `csrf` is given) and `fields`.
 */
async function submitAction(
  client: CookieJarClient,
  page: string,
  fields: Record<string, string>,
  options: { csrf?: string } = {},
): Promise<JarResponse> {
  const form = hiddenFields((await client.get(page)).text);
  expect(Object.keys(form).some((name) => name.startsWith('$ACTION_ID_'))).toBe(true);
  if (options.csrf !== undefined) form._csrf = options.csrf;
  const boundary = `----tessera${Math.random().toString(16).slice(2)}`;
  const body = Object.entries({ ...form, ...fields })
    .map(
      ([name, value]) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
    )
    .join('');
  return client.request(page, {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, origin: app.url },
    body: `${body}--${boundary}--\r\n`,
  });
}

/** Logs in through the login form (proxy.ts sets the test cookie and the token, a Route Handler checks them). */
async function logIn(client: CookieJarClient, username = 'ann'): Promise<JarResponse> {
  const { _csrf } = hiddenFields((await client.get('/login')).text);
  return client.post('/auth/login', { _csrf: _csrf ?? '', username, password: 'tessera' });
}

describe('createNextSessions()', () => {
  it('rejects an unknown option, naming it', () => {
    expect(() =>
      createNextSessions({
        store: createMemoryStore(),
        cookie: {},
        cookeis: () => undefined,
      } as never),
    ).toThrow(/createNextSessions\(\): unknown option "cookeis"/);
  });

  it('rejects the result of cookies() where the function is wanted', () => {
    expect(() => createNextSessions({ store: createMemoryStore(), cookies: {} as never })).toThrow(
      SessionConfigError,
    );
  });

  it('says to pass cookies from next/headers when a Server Component or Action needs it', async () => {
    const sessions = createNextSessions({ store: createMemoryStore() });
    await expect(sessions.read()).rejects.toThrow(/pass cookies from 'next\/headers'/);
    await expect(sessions.withSession(() => undefined)).rejects.toThrow(SessionConfigError);
    await sessions.close();
  });
});

describe('Next.js example (production build)', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'tessera-next-'));
    const prepared = await prepareExample('next');
    app = await startExample(prepared, {
      command: ['npm', 'run', 'start'],
      env: { SESSION_DB: path.join(dataDir, 'sessions.sqlite') },
    });
  });

  afterAll(async () => {
    await app?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('counts visits in a Route Handler, and a Server Component reads the count', async () => {
    const client = browser();
    expect((await client.get('/visits')).text).toBe('Visits: 1\n');
    const second = await client.get('/visits');
    expect(second.text).toBe('Visits: 2\n');
    expect(second.headers.get('vary')).toMatch(/cookie/i);
    const home = await client.get('/');
    expect(home.status).toBe(200);
    expect(textById(home.text, 'visits')).toBe('Visits: 2');
  });

  it('gives a first visit to a page with a form a session and a CSRF token (made in proxy.ts)', async () => {
    const client = browser();
    const cart = await client.get('/cart');
    expect(cart.status).toBe(200);
    expect(client.cookie(COOKIE)).toBeDefined();
    expect(hiddenFields(cart.text)._csrf).toMatch(/^[\w-]{43}$/);
  });

  it('makes a write from a Server Component throw a message that says where to write instead', async () => {
    const client = browser();
    await client.get('/visits');
    const page = await client.get('/read-only');
    expect(page.status).toBe(200);
    const outcome = textById(page.text, 'write') ?? '';
    expect(outcome).toMatch(/^SessionConfigError: /);
    expect(outcome).toContain('Server Component');
    expect(outcome).toContain('sessions.withSession()');
    expect(outcome).toContain('proxy.ts');
    expect(textById((await client.get('/')).text, 'visits')).toBe('Visits: 1');
  });

  it('adds to the cart in a Server Action and shows its flash once after the 303', async () => {
    const client = browser();
    const added = await submitAction(client, '/cart', { item: 'pear' });
    expect(added.status).toBe(303);
    expect(added.headers.get('location')).toBe('/cart');
    const shown = await client.get('/cart');
    expect(textsByClass(shown.text, 'flash')).toEqual(['Added pear']);
    expect(textById(shown.text, 'cart')).toBe('pear');
    const again = await client.get('/cart');
    expect(textsByClass(again.text, 'flash')).toEqual([]);
    expect(textById(again.text, 'cart')).toBe('pear');
  });

  it('refuses a Server Action without the CSRF token (forbidden()) and changes nothing', async () => {
    const client = browser();
    const refused = await submitAction(client, '/cart', { item: 'plum' }, { csrf: 'forged' });
    // forbidden() is a 403 for a Server Action called by JavaScript; for a form
    // posted without it, Next.js 16 renders its not-found page with a 404
    // (app-render: an action's access-fallback error becomes 'not-found').
    expect(refused.status).toBe(404);
    expect(refused.headers.get('location')).toBeNull();
    const cart = await client.get('/cart');
    expect(textById(cart.text, 'cart')).toBe('');
    expect(textsByClass(cart.text, 'flash')).toEqual([]);
  });

  it('refuses to log in a browser that does not send cookies back (test cookie: 400)', async () => {
    const client = browser();
    const { _csrf } = hiddenFields((await client.get('/login')).text);
    client.clearCookies();
    const refused = await client.post('/auth/login', {
      _csrf: _csrf ?? '',
      username: 'ann',
      password: 'tessera',
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Please enable cookies');
  });

  it('refuses a login form without the CSRF token (403)', async () => {
    const client = browser();
    await client.get('/login');
    const refused = await client.post('/auth/login', { username: 'ann', password: 'tessera' });
    expect(refused.status).toBe(403);
  });

  it('keeps anonymous visitors out of /account in proxy.ts, which reads the session', async () => {
    const client = browser();
    const kept = await client.get('/account');
    expect(kept.status).toBe(303);
    expect(new URL(kept.headers.get('location') ?? '', app.url).pathname).toBe('/login');
  });

  it('logs in with a new session id; a cookie the app sets afterwards does not drop the session cookie', async () => {
    const client = browser();
    await client.get('/login');
    const before = client.cookie(COOKIE);
    const loggedIn = await logIn(client);
    expect(loggedIn.status).toBe(303);
    expect(new URL(loggedIn.headers.get('location') ?? '', app.url).pathname).toBe('/account');
    const names = loggedIn.setCookies.map((cookie) => cookie.split('=')[0]);
    expect(names).toEqual(expect.arrayContaining([COOKIE, 'last-login']));
    expect(client.cookie(COOKIE)).toBeDefined();
    expect(client.cookie(COOKIE)).not.toBe(before);
    const account = await client.get('/account');
    expect(account.status).toBe(200);
    expect(textById(account.text, 'user')).toBe('Signed in as ann');
  });

  it('logs out in a Server Action: the old cookie no longer opens the account', async () => {
    const client = browser();
    await logIn(client, 'bob');
    const oldCookie = client.cookie(COOKIE)!;
    const loggedOut = await submitAction(client, '/account', {});
    expect(loggedOut.status).toBe(303);
    expect(loggedOut.headers.get('location')).toBe('/');
    expect(textById((await client.get('/')).text, 'user')).toBe('Not signed in');
    const replay = browser();
    replay.setCookie(COOKIE, oldCookie);
    expect((await replay.get('/account')).status).toBe(303);
  });

  it('keeps sessions across a restart of the server on SQLite', async () => {
    const client = browser();
    await logIn(client, 'carol');
    await submitAction(client, '/cart', { item: 'fig' });
    const url = await app.restart();
    const after = new CookieJarClient(url, { jar: client.jar });
    const account = await after.get('/account');
    expect(account.status).toBe(200);
    expect(textById(account.text, 'user')).toBe('Signed in as carol');
    expect(textById((await after.get('/cart')).text, 'cart')).toBe('fig');
  });
});
