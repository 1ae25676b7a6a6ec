import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CookieJarClient } from '../helpers/cookie-jar-client.js';
import { attributesByClass, textById, textsByClass } from '../helpers/html-query.js';
import { type RunningDemo, startDemoApp } from '../helpers/start-demo-app.js';
import { csrfTokenIn, csrfTokenOf, postForm, submitLogin } from './forms.js';

const CSRF_MESSAGE = 'Invalid or missing CSRF token; reload the form and try again.';
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';
const CHROME =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';

let demo: RunningDemo;
beforeAll(async () => {
  // SQLite: the per-user index must really live in the store.
  demo = await startDemoApp({ store: 'sqlite' });
});
afterAll(() => demo.close());

let users = 0;
/** A user name no other test uses, so each test sees only its own sessions. */
function newUser(): string {
  users += 1;
  return `user-${users}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A new browser (empty cookie jar) sending `userAgent` on every request. */
function browser(userAgent: string): CookieJarClient {
  const client = demo.client();
  const request = client.request.bind(client);
  client.request = (path, options = {}) =>
    request(path, { ...options, headers: { 'user-agent': userAgent, ...options.headers } });
  return client;
}

/** Opens the login page and submits its form, hidden fields included. */
async function logIn(client: CookieJarClient, username: string) {
  const response = await submitLogin(client, username);
  expect(response.status).toBe(303);
  return response;
}

describe('GET /account/sessions', () => {
  it('redirects with 303 to /login when nobody is logged in', async () => {
    const response = await demo.client().get('/account/sessions');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/login');
  });

  it('is linked from /account', async () => {
    const client = demo.client();
    await logIn(client, newUser());
    expect((await client.get('/account')).text).toContain('href="/account/sessions"');
  });

  it("lists one row per browser the user logged in with, this one marked '.current'", async () => {
    const user = newUser();
    const a = browser(FIREFOX);
    const b = browser(CHROME);
    await logIn(a, user);
    await logIn(b, user);

    const page = await a.get('/account/sessions');
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="sessions"');
    const rows = attributesByClass(page.text, 'session-row');
    expect(rows).toHaveLength(2);
    expect(rows.filter((row) => row.class?.split(' ').includes('current'))).toHaveLength(1);
    expect(textsByClass(page.text, 'current')).toEqual([
      expect.stringContaining('Firefox on Windows'),
    ]);
    expect(textsByClass(page.text, 'current')[0]).toContain('this session');
    expect(textsByClass(page.text, 'user-agent').sort()).toEqual([CHROME, FIREFOX].sort());
    expect(textsByClass(page.text, 'device').join('\n')).toContain('Chrome on Linux');

    // B sees the same two sessions, with its own one current.
    const fromB = await b.get('/account/sessions');
    expect(attributesByClass(fromB.text, 'session-row')).toHaveLength(2);
    expect(textsByClass(fromB.text, 'current')[0]).toContain('Chrome on Linux');
  });

  it('shows when each session was created, last seen and expires', async () => {
    const client = demo.client();
    const before = Date.now() - 1000;
    await logIn(client, newUser());
    const { text } = await client.get('/account/sessions');
    const times = (className: string) =>
      attributesByClass(text, className).map((time) => Date.parse(time.datetime ?? ''));
    const [created] = times('created');
    const [lastSeen] = times('last-seen');
    const [expires] = times('expires');
    expect(created).toBeGreaterThanOrEqual(before);
    expect(lastSeen).toBeGreaterThanOrEqual(created!);
    expect(expires).toBeGreaterThan(Date.now() + 13 * 24 * 3600 * 1000);
  });

  it("lists neither other users' sessions nor anonymous ones", async () => {
    const user = newUser();
    const mine = demo.client();
    await logIn(mine, user);
    await logIn(demo.client(), newUser());
    await demo.client().get('/'); // anonymous visitor
    const { text } = await mine.get('/account/sessions');
    expect(attributesByClass(text, 'session-row')).toHaveLength(1);
  });

  it('escapes the user agent', async () => {
    const client = browser('<script>alert(1)</script>');
    await logIn(client, newUser());
    const { text } = await client.get('/account/sessions');
    expect(text).not.toContain('<script>alert');
    expect(textsByClass(text, 'user-agent')).toEqual(['<script>alert(1)</script>']);
  });
});

describe('POST /account/sessions/sign-out-others', () => {
  it('logs the other browsers out at once and keeps this one logged in', async () => {
    const user = newUser();
    const a = browser(FIREFOX);
    const b = browser(CHROME);
    await logIn(a, user);
    await logIn(b, user);
    expect((await b.get('/account')).status).toBe(200);

    const page = await postForm(a, '/account/sessions/sign-out-others', {}, { follow: true });
    expect(page.redirects.map((r) => [r.status, r.headers.get('location')])).toEqual([
      [303, '/account/sessions'],
    ]);
    expect(textsByClass(page.text, 'flash')).toEqual(['Signed out 1 other session']);
    expect(attributesByClass(page.text, 'session-row')).toHaveLength(1);
    expect(textsByClass(page.text, 'current')).toHaveLength(1);

    const fromB = await b.get('/account');
    expect(fromB.status).toBe(303);
    expect(fromB.headers.get('location')).toBe('/login');
    expect(textById((await a.get('/account')).text, 'user')).toBe(user);
  });

  it('counts every session it signed out, and only once', async () => {
    const user = newUser();
    const a = demo.client();
    await logIn(a, user);
    for (let i = 0; i < 3; i++) await logIn(demo.client(), user);
    const first = await postForm(a, '/account/sessions/sign-out-others', {}, { follow: true });
    expect(textsByClass(first.text, 'flash')).toEqual(['Signed out 3 other sessions']);
    const again = await postForm(a, '/account/sessions/sign-out-others', {}, { follow: true });
    expect(textsByClass(again.text, 'flash')).toEqual(['Signed out 0 other sessions']);
  });

  it("leaves other users' sessions alone", async () => {
    const a = demo.client();
    const other = demo.client();
    await logIn(a, newUser());
    const otherUser = newUser();
    await logIn(other, otherUser);
    await postForm(a, '/account/sessions/sign-out-others');
    expect(textById((await other.get('/account')).text, 'user')).toBe(otherUser);
  });

  it('redirects to /login when nobody is logged in', async () => {
    const response = await postForm(demo.client(), '/account/sessions/sign-out-others');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/login');
  });
});

describe('login and logout', () => {
  it('kills the pre-login cookie: replayed, it is a fresh anonymous session', async () => {
    const client = demo.client();
    await client.get('/');
    await client.get('/');
    const page = await client.get('/login');
    const preLogin = client.cookie('sessionid')!;
    await client.post('/login', {
      _csrf: csrfTokenIn(page.text) ?? '',
      username: newUser(),
      password: 'tessera',
    });
    expect(client.cookie('sessionid')).not.toBe(preLogin);

    const replay = demo.client();
    replay.setCookie('sessionid', preLogin);
    expect(textById((await replay.get('/')).text, 'visits')).toBe('1');
    expect(replay.cookie('sessionid')).not.toBe(preLogin);
  });

  it('rotates the CSRF token: the token of the login form no longer works', async () => {
    const client = demo.client();
    const page = await client.get('/login');
    const before = csrfTokenIn(page.text)!;
    await client.post('/login', { _csrf: before, username: newUser(), password: 'tessera' });
    expect(await csrfTokenOf(client)).not.toBe(before);
    const stale = await client.post('/logout', { _csrf: before });
    expect(stale.status).toBe(403);
    expect((await client.get('/account')).status).toBe(200);
  });

  it('removes the session from the list on logout', async () => {
    const user = newUser();
    const a = demo.client();
    const b = demo.client();
    await logIn(a, user);
    await logIn(b, user);
    await postForm(b, '/logout');
    const { text } = await a.get('/account/sessions');
    expect(attributesByClass(text, 'session-row')).toHaveLength(1);
  });
});

describe('CSRF protection', () => {
  const forms: [path: string, page: string, fields: Record<string, string>][] = [
    ['/cart', '/cart', { item: 'apple', qty: '1' }],
    ['/cart/checkout', '/cart', {}],
    ['/comment', '/comment', { comment: 'hi' }],
    ['/login', '/login', { username: 'ada', password: 'tessera' }],
    ['/logout', '/account', {}],
    ['/account/sessions/sign-out-others', '/account/sessions', {}],
  ];

  /** A client that has seen `page` (logged in first, for the account pages). */
  async function clientOn(page: string): Promise<{ client: CookieJarClient; token: string }> {
    const client = demo.client();
    if (page.startsWith('/account')) await logIn(client, newUser());
    else if (page !== '/login') await client.get('/login'); // the test cookie, for /login
    const response = await client.get(page);
    expect(response.status).toBe(200);
    const token = csrfTokenIn(response.text);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    return { client, token: token! };
  }

  it.each(forms)('the form posting to %s carries the hidden _csrf field', async (path, page) => {
    const { client } = await clientOn(page);
    const { text } = await client.get(page);
    const form = new RegExp(`<form[^>]*action="${path}"[^>]*>[\\s\\S]*?</form>`).exec(text)?.[0];
    expect(form).toMatch(/<input type="hidden" name="_csrf" value="[A-Za-z0-9_-]{43}">/);
  });

  it.each(forms)(
    'POST %s without _csrf answers 403 and changes nothing',
    async (path, page, fields) => {
      const { client } = await clientOn(page);
      const response = await client.post(path, fields);
      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(response.text.trim()).toBe(CSRF_MESSAGE);
    },
  );

  it.each(forms)('POST %s with a wrong _csrf answers 403', async (path, page, fields) => {
    const { client, token } = await clientOn(page);
    const wrong = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const response = await client.post(path, { ...fields, _csrf: wrong });
    expect(response.status).toBe(403);
    expect(response.text.trim()).toBe(CSRF_MESSAGE);
  });

  it.each(forms)('POST %s with the form token is handled', async (path, page, fields) => {
    const { client, token } = await clientOn(page);
    const response = await client.post(path, { ...fields, _csrf: token });
    expect(response.status).not.toBe(403);
    expect(response.status).toBeLessThan(400);
  });

  it("refuses another visitor's token", async () => {
    const victim = demo.client();
    const { token: attackersToken } = await clientOn('/comment');
    await victim.get('/comment');
    const response = await victim.post('/comment', { comment: 'forged', _csrf: attackersToken });
    expect(response.status).toBe(403);
  });

  it('a refused post changes nothing: the cart stays empty, the comment can still be posted', async () => {
    const { client } = await clientOn('/cart');
    await client.post('/cart', { item: 'apple', qty: '1' });
    await client.post('/comment', { comment: 'forged' });
    expect(textsByClass((await client.get('/cart')).text, 'cart-item')).toEqual([]);
    const real = await postForm(client, '/comment', { comment: 'mine' });
    expect(textById(real.text, 'result')).toBe('Thanks for your comment!');
  });

  it('accepts the token in the X-CSRF-Token header instead of the form', async () => {
    const { client, token } = await clientOn('/cart');
    const response = await client.post(
      '/cart',
      { item: 'pear', qty: '2' },
      { headers: { 'x-csrf-token': token } },
    );
    expect(response.status).toBe(303);
  });

  it('still says "Please enable cookies" to a browser without cookies, before any CSRF check', async () => {
    const response = await demo.client().post('/login', { username: 'ada', password: 'tessera' });
    expect(response.status).toBe(403);
    expect(textById(response.text, 'error')).toBe('Please enable cookies and try again.');
  });

  it('keeps the same token across pages until login', async () => {
    const client = demo.client();
    const first = await csrfTokenOf(client, '/comment');
    expect(await csrfTokenOf(client, '/cart')).toBe(first);
    expect(await csrfTokenOf(client, '/login')).toBe(first);
  });
});
