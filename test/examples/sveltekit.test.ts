/**
 * The SvelteKit 3 example (examples/sveltekit/) on its production build:
 * `vite build` with adapter-node, served by `node build`, driven over HTTP
 * like a browser with a cookie jar. Sessions live in SQLite.
 *
 * adapter-node, without `paths.origin`, takes a request's origin to be
 * `https://<Host>`: it expects a TLS proxy in front. The browser here stands
 * behind such a proxy, so its form posts say `Origin: https://127.0.0.1:<port>`
 * (SvelteKit refuses a form post from another origin before any hook runs),
 * and the session cookie is `Secure`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar, CookieJarClient, type JarResponse } from '../../src/testing/index.js';
import {
  type PreparedExample,
  prepareExample,
  type RunningExample,
  startExample,
} from './harness.js';

const COOKIE = 'sessionid';
/** A browser's navigation: SvelteKit answers a form action with JSON unless HTML is preferred. */
const ACCEPT_HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const TESSERA_CSRF_REFUSAL = 'Invalid or missing CSRF token; reload the form and try again.';

let prepared: PreparedExample;
let server: RunningExample;
const dataDir = mkdtempSync(path.join(tmpdir(), 'tessera-sveltekit-'));

beforeAll(async () => {
  prepared = await prepareExample('sveltekit');
  server = await startExample(prepared, {
    command: ['node', 'build'],
    env: { SESSION_DB: path.join(dataDir, 'sessions.sqlite') },
  });
});

afterAll(async () => {
  await server?.stop();
});

/** One browser behind the TLS proxy: a cookie jar, HTML navigations, the Origin header on posts. */
class Browser {
  readonly jar: CookieJar;
  readonly #running: RunningExample;

  constructor(running: RunningExample, jar = new CookieJar()) {
    this.#running = running;
    this.jar = jar;
  }

  /** The client on the server's current URL (a restart may move it), sharing this jar. */
  get #client(): CookieJarClient {
    return new CookieJarClient(this.#running.url, { jar: this.jar });
  }

  get session(): string | undefined {
    return this.jar.get(COOKIE);
  }

  get(pathname: string): Promise<JarResponse> {
    return this.#client.get(pathname, { follow: true, headers: { accept: ACCEPT_HTML } });
  }

  post(
    pathname: string,
    form: Record<string, string>,
    options: { follow?: boolean; headers?: Record<string, string> } = {},
  ): Promise<JarResponse> {
    const origin = this.#running.url.replace(/^http:/, 'https:');
    return this.#client.post(pathname, form, {
      follow: options.follow ?? false,
      headers: { accept: ACCEPT_HTML, origin, ...options.headers },
    });
  }

  /** Visits the page and answers the CSRF token of its form. */
  async csrfToken(pathname: string): Promise<string> {
    return readCsrfToken((await this.get(pathname)).text);
  }

  /** Logs in as `username` through the login form (test cookie, CSRF token, login()). */
  async logIn(username: string): Promise<JarResponse> {
    const csrf = await this.csrfToken('/login');
    return this.post('/login', { username, _csrf: csrf }, { follow: true });
  }

  /** Adds an item to the cart through the form; answers the 303. */
  async addToCart(item: string): Promise<JarResponse> {
    const csrf = await this.csrfToken('/cart');
    return this.post('/cart', { item, _csrf: csrf });
  }
}

function readCsrfToken(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error(`no CSRF token in the page:\n${html.slice(0, 2000)}`);
  return match[1]!;
}

function cartItems(html: string): string[] {
  const list = /<ul id="cart">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  return [...list.matchAll(/<li>([^<]*)<\/li>/g)].map((match) => match[1]!);
}

function flashes(html: string): string[] {
  return [...html.matchAll(/<p class="flash">([^<]*)<\/p>/g)].map((match) => match[1]!);
}

describe('SvelteKit example: the visit counter', () => {
  it('counts visits in the session and sets a Secure, HttpOnly, SameSite=Lax cookie', async () => {
    const browser = new Browser(server);
    const first = await browser.get('/');
    expect(first.status).toBe(200);
    expect(first.text).toContain('You have visited this page 1 times.');
    const [setCookie] = first.setCookies;
    expect(setCookie).toMatch(/^sessionid=[\w-]+;/);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Lax/);
    expect(setCookie).toMatch(/; Secure/);
    expect(first.headers.get('vary')).toMatch(/Cookie/);

    const second = await browser.get('/');
    expect(second.text).toContain('You have visited this page 2 times.');
  });

  it('gives a visitor who only reads the session no cookie', async () => {
    const browser = new Browser(server);
    const page = await browser.get('/streamed');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Hello, anonymous');
    expect(page.setCookies).toEqual([]);
  });
});

describe('SvelteKit example: the cart and its flash message', () => {
  it('adds the item in a form action, redirects with 303 and shows "Added …" once', async () => {
    const browser = new Browser(server);
    const added = await browser.addToCart('pear');
    expect(added.status).toBe(303);
    expect(added.headers.get('location')).toBe('/cart');

    const shown = await browser.get('/cart');
    expect(flashes(shown.text)).toEqual(['Added pear']);
    expect(cartItems(shown.text)).toEqual(['pear']);

    const again = await browser.get('/cart');
    expect(flashes(again.text)).toEqual([]);
    expect(cartItems(again.text)).toEqual(['pear']);
  });
});

describe('SvelteKit example: CSRF', () => {
  it('refuses a form post without the token (403) and changes nothing', async () => {
    const browser = new Browser(server);
    await browser.addToCart('fig');
    const refused = await browser.post('/cart', { item: 'forged' });
    expect(refused.status).toBe(403);
    expect(cartItems((await browser.get('/cart')).text)).toEqual(['fig']);
  });

  it('refuses a form post with another session’s token', async () => {
    const victim = new Browser(server);
    const attacker = new Browser(server);
    await victim.get('/cart');
    const attackerToken = await attacker.csrfToken('/cart');
    const refused = await victim.post('/cart', { item: 'forged', _csrf: attackerToken });
    expect(refused.status).toBe(403);
    expect(cartItems((await victim.get('/cart')).text)).toEqual([]);
  });

  it('accepts the token in the X-CSRF-Token header instead of the form field', async () => {
    const browser = new Browser(server);
    const token = await browser.csrfToken('/cart');
    const accepted = await browser.post(
      '/cart',
      { item: 'plum' },
      { headers: { 'x-csrf-token': token } },
    );
    expect(accepted.status).toBe(303);
    expect(cartItems((await browser.get('/cart')).text)).toEqual(['plum']);
  });

  it('leaves cross-origin form posts to SvelteKit’s own origin check, which refuses them first', async () => {
    const browser = new Browser(server);
    const token = await browser.csrfToken('/cart');
    const refused = await browser.post(
      '/cart',
      { item: 'forged', _csrf: token },
      { headers: { origin: 'https://evil.example' } },
    );
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Cross-site POST form submissions are forbidden');
    expect(cartItems((await browser.get('/cart')).text)).toEqual([]);
  });
});

describe('SvelteKit example: login and logout', () => {
  it('answers 400 "Please enable cookies" when the login page’s test cookie did not come back', async () => {
    const browser = new Browser(server);
    const csrf = await browser.csrfToken('/login');
    browser.jar.clear(); // a browser that refuses cookies
    const refused = await browser.post('/login', { username: 'ann', _csrf: csrf });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Please enable cookies');
    expect(refused.text).not.toContain('Logged in as');
  });

  it('refuses a login post without the CSRF token', async () => {
    const browser = new Browser(server);
    await browser.get('/login');
    const refused = await browser.post('/login', { username: 'ann' });
    expect(refused.status).toBe(403);
    expect((await browser.get('/')).text).not.toContain('Logged in as');
  });

  it('logs in with session.login(): a new session id, the data kept, the old id and token useless', async () => {
    const browser = new Browser(server);
    await browser.get('/');
    await browser.get('/');
    const cartToken = await browser.csrfToken('/cart');
    const before = browser.session;
    expect(before).toBeDefined();

    const home = await browser.logIn('ann');
    expect(home.redirects.map((response) => response.status)).toEqual([303]);
    expect(home.text).toContain('Logged in as ann');
    expect(browser.session).toBeDefined();
    expect(browser.session).not.toBe(before);
    expect(home.text).toContain('You have visited this page 3 times.');

    const planted = new Browser(server);
    planted.jar.set(COOKIE, before!);
    const withOldId = await planted.get('/');
    expect(withOldId.text).not.toContain('Logged in as');
    expect(withOldId.text).toContain('You have visited this page 1 times.');

    const staleToken = await browser.post('/cart', { item: 'forged', _csrf: cartToken });
    expect(staleToken.status).toBe(403);
  });

  it('logs out with session.logout(): the cookie is deleted and the old cookie no longer logs in', async () => {
    const browser = new Browser(server);
    await browser.logIn('bob');
    const loggedIn = browser.session!;
    const page = await browser.get('/');
    const logoutToken = readCsrfToken(page.text);

    expect((await browser.post('/logout', {})).status).toBe(403);
    expect((await browser.get('/')).text).toContain('Logged in as bob');

    const out = await browser.post('/logout', { _csrf: logoutToken }, { follow: true });
    expect(out.redirects.map((response) => response.status)).toEqual([303]);
    expect(out.text).not.toContain('Logged in as');
    expect(out.text).toContain('href="/login"');
    expect(browser.session).not.toBe(loggedIn);

    const replay = new Browser(server);
    replay.jar.set(COOKIE, loggedIn);
    expect((await replay.get('/')).text).not.toContain('Logged in as');
  });
});

describe('SvelteKit example: a load that streams', () => {
  it('reads the session in the load and in its streamed promise', async () => {
    const browser = new Browser(server);
    await browser.logIn('cid');
    await browser.addToCart('kiwi');
    await browser.addToCart('lime');
    const page = await browser.get('/streamed');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Hello, cid');
    // The promise resolves after the first bytes; its value comes in the same response.
    expect(page.text).toContain('Streamed: 2 items, 1 visits');
  });
});

describe('SvelteKit example: restart on SQLite', () => {
  it('keeps the login and the cart across a restart of the same build', async () => {
    const browser = new Browser(server);
    await browser.logIn('dee');
    await browser.addToCart('quince');
    const cookie = browser.session;

    await server.restart();

    const home = await browser.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Logged in as dee');
    expect(cartItems((await browser.get('/cart')).text)).toEqual(['quince']);
    expect(browser.session).toBe(cookie);
  });
});

describe('SvelteKit example: the CSRF check in the hook (createSessionHandle({ csrf: true }))', () => {
  let hooked: RunningExample;

  beforeAll(async () => {
    hooked = await startExample(prepared, {
      command: ['node', 'build'],
      env: { SESSION_DB: path.join(dataDir, 'hooked.sqlite'), CSRF_IN_HOOK: 'true' },
    });
  });

  afterAll(async () => {
    await hooked?.stop();
  });

  it('refuses an unsafe request without the token before the form action runs', async () => {
    const browser = new Browser(hooked);
    await browser.get('/cart');
    const refused = await browser.post('/cart', { item: 'forged' });
    expect(refused.status).toBe(403);
    expect(refused.text.trim()).toBe(TESSERA_CSRF_REFUSAL);
    expect(cartItems((await browser.get('/cart')).text)).toEqual([]);
  });

  it('lets the form action read the body after the hook read the token from a clone', async () => {
    const browser = new Browser(hooked);
    const added = await browser.addToCart('pear');
    expect(added.status).toBe(303);
    expect(flashes((await browser.get('/cart')).text)).toEqual(['Added pear']);
  });

  it('answers a browser without cookies with the CSRF refusal, before the login page can ask for cookies', async () => {
    const browser = new Browser(hooked);
    const csrf = await browser.csrfToken('/login');
    browser.jar.clear();
    const refused = await browser.post('/login', { username: 'ann', _csrf: csrf });
    expect(refused.status).toBe(403);
    expect(refused.text.trim()).toBe(TESSERA_CSRF_REFUSAL);
  });
});
