/**
 * The seeds' scenarios, written once for every example app: the visit
 * counter, the cart with its flash message after a 303, CSRF refusal and
 * acceptance, the test cookie, login (a new session id and token) and logout
 * (the old cookie useless), and sessions that outlive a restart.
 *
 * A spec describes its app in a {@link SeedApp} (where each page and form is,
 * how to read the page, the texts it shows) and calls
 * {@link describeSeedScenarios}; it keeps only what is its framework's own.
 *
 * ```ts
 * describeSeedScenarios({ name: 'h3', server: () => app, … });
 * ```
 * @module
 */
import { describe, expect, it } from 'vitest';
import { CookieJar, CookieJarClient, type JarResponse } from '../../src/testing/index.js';
import { textById, textsByClass } from '../helpers/html-query.js';
import type { RunningExample } from './harness.js';

/** The session cookie of every example. */
export const SESSION_COOKIE = 'sessionid';

/**
 * The CSRF token a form post carries: `undefined`, the token of the form's
 * own page, in the `_csrf` field; `null`, none; a string, that token in the
 * field; `{ header }`, that token in `X-CSRF-Token` and none in the field.
 */
export type CsrfChoice = string | null | undefined | { readonly header: string };

/** A form of the app: the page that renders it, where it posts, where its 303 goes. */
export interface SeedForm {
  /** The page that shows the form (its CSRF token is read there). */
  readonly page: string;
  /** The path it posts to. */
  readonly action: string;
  /** The path its 303 leads to after success. */
  readonly landing: string;
  /** The status of a post refused for its CSRF token. @default 403 */
  readonly csrfRefusalStatus?: number;
  /**
   * Whether the form's 303 says `Vary: Cookie`. Not a React Router action's (as its loaders), nor
   * a Next.js Server Action's: Next.js makes that response's headers. @default true
   */
  readonly varyOnCookie?: boolean;
  /** Whether a refused post's page starts a session (it renders the form again, with a token). @default false */
  readonly refusalStartsSession?: boolean;
}

/** How the seeds' scenarios reach and read one example app. */
export interface SeedApp {
  /** The running server (the spec's `beforeAll` starts it; a restart may move its URL). */
  server(): RunningExample;
  /** Headers every request of a browser sends (Astro's and SvelteKit's origin checks want `Origin`). */
  headers?(url: string): Record<string, string>;
  /** Whether sessions outlive a restart of the server (SQLite, Redis). */
  readonly persistent: boolean;
  /**
   * Whether a page that may set the session cookie says `Vary: Cookie`. A React Router loader
   * sends what `commitSession()` answers, a `Set-Cookie` value only, and the example adds no
   * `Vary`. @default true
   */
  readonly varyOnCookie?: boolean;
  /** Whether the app reads the token from `X-CSRF-Token` too (a Next.js Server Action reads its form only). @default true */
  readonly csrfHeader?: boolean;
  readonly pages: {
    /** The visit counter. */
    readonly counter: string;
    /** The page that shows the user when logged in. */
    readonly account: string;
    /** When logged out, `account` redirects (303) to this login page. */
    readonly accountGuard?: string;
  };
  readonly forms: {
    readonly cart: SeedForm;
    readonly login: SeedForm;
    readonly logout: SeedForm;
  };
  /** The fields of the forms, besides the CSRF token. */
  readonly fields: {
    cart(item: string, qty: number): Record<string, string>;
    login(username: string): Record<string, string>;
  };
  /** Submits a form as the app's page does; by default an urlencoded POST to `form.action`. */
  submit?(
    browser: SeedBrowser,
    form: SeedForm,
    fields: Record<string, string>,
    csrf: CsrfChoice,
  ): Promise<JarResponse>;
  readonly read: {
    csrfToken(page: JarResponse): string;
    /** The visit counter's text. */
    visits(page: JarResponse): string | undefined;
    /** The logged-in user's name, `undefined` when nobody is. */
    user(page: JarResponse): string | undefined;
    /** The cart's lines, in order (`[]` when empty). */
    cartItems(page: JarResponse): string[];
    /** The flash messages shown. @default the texts of class `flash` */
    flashes?(page: JarResponse): string[];
    /** The message of a refusal (a CSRF or test-cookie refusal). @default the body */
    message?(page: JarResponse): string | undefined;
  };
  readonly texts: {
    visits(count: number): string;
    /** The flash message after adding to the cart. */
    added(item: string, qty: number): string;
    /** A line of the cart. */
    cartLine(item: string, qty: number): string;
    /** What an empty cart says, if it says anything. */
    readonly emptyCart?: string;
    /** The CSRF refusal's message, where the app shows Tessera's. */
    readonly csrfRefused?: string;
    /** What the login answers when the test cookie did not come back. */
    readonly enableCookies: string;
    /** The flash messages of a login and a logout, where the app has them. */
    loggedIn?(username: string): string;
    readonly loggedOut?: string;
    /** What a page shows to nobody logged in, where it shows something (a link to the login page). */
    readonly loggedOutMarker?: string;
  };
}

/** One browser of a {@link SeedApp}: a cookie jar that follows the server across restarts. */
export class SeedBrowser {
  readonly jar: CookieJar;
  readonly #app: SeedApp;

  constructor(app: SeedApp, jar = new CookieJar()) {
    this.#app = app;
    this.jar = jar;
  }

  /** The session cookie in the jar. */
  get session(): string | undefined {
    return this.jar.get(SESSION_COOKIE);
  }

  /** The server's current URL. */
  get url(): string {
    return this.#app.server().url;
  }

  /** Sends a request with the app's headers (and `options.headers` on top). */
  request(
    pathname: string,
    options: { method?: string; body?: string; follow?: boolean; headers?: Record<string, string> },
  ): Promise<JarResponse> {
    const client = new CookieJarClient(this.url, { jar: this.jar });
    return client.request(pathname, {
      ...options,
      headers: { ...this.#app.headers?.(this.url), ...options.headers },
    });
  }

  /** A GET, following redirects unless told not to. */
  get(pathname: string, options: { follow?: boolean } = {}): Promise<JarResponse> {
    return this.request(pathname, { follow: options.follow ?? true });
  }

  /** An urlencoded form post; does not follow redirects unless told to. */
  post(
    pathname: string,
    form: Record<string, string>,
    options: { follow?: boolean; headers?: Record<string, string> } = {},
  ): Promise<JarResponse> {
    return this.request(pathname, {
      method: 'POST',
      body: new URLSearchParams(form).toString(),
      follow: options.follow ?? false,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
    });
  }
}

/** The path (and query) a redirect leads to. */
export function locationOf(response: JarResponse): string | undefined {
  const location = response.headers.get('location');
  if (location === null) return undefined;
  const url = new URL(location, response.url);
  return `${url.pathname}${url.search}`;
}

/** Submits a form the way {@link SeedApp.submit} says, by default with {@link postForm}. */
export function submitForm(
  app: SeedApp,
  browser: SeedBrowser,
  form: SeedForm,
  fields: Record<string, string>,
  csrf: CsrfChoice = undefined,
): Promise<JarResponse> {
  return app.submit
    ? app.submit(browser, form, fields, csrf)
    : postForm(app, browser, form, fields, csrf);
}

/** Posts a form as a browser does: urlencoded, to `form.action`, with the CSRF token `csrf` says. */
export async function postForm(
  app: SeedApp,
  browser: SeedBrowser,
  form: SeedForm,
  fields: Record<string, string>,
  csrf: CsrfChoice = undefined,
): Promise<JarResponse> {
  if (csrf === undefined) {
    const token = app.read.csrfToken(await browser.get(form.page));
    return browser.post(form.action, { ...fields, _csrf: token });
  }
  if (csrf === null) return browser.post(form.action, fields);
  if (typeof csrf === 'string') return browser.post(form.action, { ...fields, _csrf: csrf });
  return browser.post(form.action, fields, { headers: { 'x-csrf-token': csrf.header } });
}

/**
 * Registers the seeds' scenarios for one app, as `describe` blocks in the
 * caller's block: the same specification for every example.
 */
export function describeSeedScenarios(app: SeedApp): void {
  const { pages, forms, fields, read, texts } = app;
  const refusal = (form: SeedForm): number => form.csrfRefusalStatus ?? 403;
  const flashesOf = (page: JarResponse): string[] =>
    read.flashes ? read.flashes(page) : textsByClass(page.text, 'flash');
  const messageOf = (page: JarResponse): string | undefined =>
    read.message ? read.message(page) : page.text;
  const browser = (jar?: CookieJar): SeedBrowser => new SeedBrowser(app, jar);

  /** Follows a 303 as a browser does: a GET of its location, answered 200 without further redirects. */
  async function follow303(client: SeedBrowser, response: JarResponse): Promise<JarResponse> {
    expect(response.status).toBe(303);
    const landing = await client.get(locationOf(response)!);
    expect(landing.redirects).toEqual([]);
    expect(landing.status).toBe(200);
    return landing;
  }

  function addToCart(client: SeedBrowser, item: string, qty: number, csrf?: CsrfChoice) {
    return submitForm(app, client, forms.cart, fields.cart(item, qty), csrf);
  }

  async function expectEmptyCart(page: JarResponse): Promise<void> {
    expect(read.cartItems(page)).toEqual([]);
    if (texts.emptyCart !== undefined) expect(page.text).toContain(texts.emptyCart);
  }

  /** Logs in through the login form; answers the page the 303 leads to. */
  async function logIn(client: SeedBrowser, username: string): Promise<JarResponse> {
    return follow303(client, await submitForm(app, client, forms.login, fields.login(username)));
  }

  /** Expects `page` (the account page, redirects followed) to show nobody logged in. */
  function expectLoggedOut(page: JarResponse): void {
    expect(read.user(page)).toBeUndefined();
    if (pages.accountGuard !== undefined) {
      expect(page.redirects.map((response) => response.status)).toEqual([303]);
      expect(new URL(page.url).pathname).toBe(pages.accountGuard);
      expect(page.text).toContain('name="username"'); // the login form
    }
  }

  describe('the visit counter', () => {
    it("counts a visitor's visits in the session, sending the cookie and Vary: Cookie", async () => {
      const client = browser();
      const first = await client.get(pages.counter);
      expect(first.status).toBe(200);
      expect(read.visits(first)).toBe(texts.visits(1));
      expect(first.setCookies.some((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`))).toBe(true);
      if (app.varyOnCookie !== false) expect(first.headers.get('vary')).toMatch(/cookie/i);

      const second = await client.get(pages.counter);
      expect(read.visits(second)).toBe(texts.visits(2));
      if (app.varyOnCookie !== false) expect(second.headers.get('vary')).toMatch(/cookie/i);
    });

    it('keeps visitors apart, each in a session of their own', async () => {
      const ann = browser();
      const bob = browser();
      await ann.get(pages.counter);
      await ann.get(pages.counter);
      expect(read.visits(await bob.get(pages.counter))).toBe(texts.visits(1));
      expect(read.visits(await ann.get(pages.counter))).toBe(texts.visits(3));
      expect(bob.session).toBeDefined();
      expect(bob.session).not.toBe(ann.session);
    });

    it('treats a forged session cookie as no session', async () => {
      const client = browser();
      client.jar.set(SESSION_COOKIE, 'not-a-session-id-of-this-server');
      const page = await client.get(pages.counter);
      expect(page.status).toBe(200);
      expect(read.visits(page)).toBe(texts.visits(1));
      expect(client.session).not.toBe('not-a-session-id-of-this-server');
    });
  });

  describe('the cart and its flash message', () => {
    it('adds an item, saves the session before its 303 goes out, and shows "Added …" once', async () => {
      const client = browser();
      await expectEmptyCart(await client.get(forms.cart.page));

      const redirect = await addToCart(client, 'pear', 2);
      expect(redirect.status).toBe(303);
      expect(locationOf(redirect)).toBe(forms.cart.landing);
      if (forms.cart.varyOnCookie !== false)
        expect(redirect.headers.get('vary')).toMatch(/cookie/i);
      // The very next request sees the write: the session was saved before the 303 was sent.
      const shown = await follow303(client, redirect);
      expect(flashesOf(shown)).toEqual([texts.added('pear', 2)]);
      expect(read.cartItems(shown)).toEqual([texts.cartLine('pear', 2)]);

      const again = await client.get(forms.cart.landing);
      expect(flashesOf(again)).toEqual([]);
      expect(read.cartItems(again)).toEqual([texts.cartLine('pear', 2)]);
    });

    it('keeps the items in order, one flash message per addition', async () => {
      const client = browser();
      await follow303(client, await addToCart(client, 'pear', 1));
      const second = await follow303(client, await addToCart(client, 'plum', 3));
      expect(flashesOf(second)).toEqual([texts.added('plum', 3)]);
      expect(read.cartItems(second)).toEqual([
        texts.cartLine('pear', 1),
        texts.cartLine('plum', 3),
      ]);
    });
  });

  describe('CSRF', () => {
    it(`refuses a POST without the token with ${refusal(forms.cart)}, and the cart does not change`, async () => {
      const client = browser();
      await client.get(forms.cart.page);
      const refused = await addToCart(client, 'apple', 1, null);
      expect(refused.status).toBe(refusal(forms.cart));
      expect(refused.headers.get('location')).toBeNull();
      if (texts.csrfRefused !== undefined) expect(messageOf(refused)).toBe(texts.csrfRefused);
      const cart = await client.get(forms.cart.page);
      await expectEmptyCart(cart);
      expect(flashesOf(cart)).toEqual([]);

      await follow303(client, await addToCart(client, 'pear', 1));
      expect((await addToCart(client, 'apple', 1, null)).status).toBe(refusal(forms.cart));
      expect(read.cartItems(await client.get(forms.cart.page))).toEqual([
        texts.cartLine('pear', 1),
      ]);
    });

    it("refuses another session's token, and a tampered one", async () => {
      const mallory = browser();
      const stolen = read.csrfToken(await mallory.get(forms.cart.page));
      const victim = browser();
      const own = read.csrfToken(await victim.get(forms.cart.page));
      expect((await addToCart(victim, 'apple', 1, stolen)).status).toBe(refusal(forms.cart));
      expect((await addToCart(victim, 'apple', 1, `${own}x`)).status).toBe(refusal(forms.cart));
      await expectEmptyCart(await victim.get(forms.cart.page));
    });

    if (app.csrfHeader !== false) {
      it('accepts the token in the X-CSRF-Token header instead of the form field', async () => {
        const client = browser();
        const token = read.csrfToken(await client.get(forms.cart.page));
        const added = await follow303(
          client,
          await addToCart(client, 'plum', 1, { header: token }),
        );
        expect(flashesOf(added)).toEqual([texts.added('plum', 1)]);
        expect(read.cartItems(added)).toEqual([texts.cartLine('plum', 1)]);
      });
    }
  });

  describe('logging in and out', () => {
    it('answers 400 "Please enable cookies" to a browser that did not keep the test cookie', async () => {
      const client = browser();
      const token = read.csrfToken(await client.get(forms.login.page));
      client.jar.clear(); // a browser that refuses cookies
      const refused = await submitForm(app, client, forms.login, fields.login('ann'), token);
      expect(refused.status).toBe(400);
      expect(messageOf(refused)).toContain(texts.enableCookies);
      expect(read.user(refused)).toBeUndefined();
      if (!forms.login.refusalStartsSession) expect(client.session).toBeUndefined();
    });

    it(`refuses a login without the CSRF token (${refusal(forms.login)}) and stays logged out`, async () => {
      const client = browser();
      await client.get(forms.login.page);
      const refused = await submitForm(app, client, forms.login, fields.login('ann'), null);
      expect(refused.status).toBe(refusal(forms.login));
      expectLoggedOut(await client.get(pages.account));
    });

    it('logs in with login(): a new session id, a new CSRF token, the data kept', async () => {
      const client = browser();
      await client.get(pages.counter); // visits: 1
      await follow303(client, await addToCart(client, 'pear', 1));
      const idBefore = client.session;
      const tokenBefore = read.csrfToken(await client.get(forms.login.page));
      expect(idBefore).toBeDefined();

      const redirect = await submitForm(app, client, forms.login, fields.login('ann'));
      expect(locationOf(redirect)).toBe(forms.login.landing);
      const landing = await follow303(client, redirect);
      expect(read.user(landing)).toBe('ann');
      if (texts.loggedIn) expect(flashesOf(landing)).toEqual([texts.loggedIn('ann')]);
      expect(client.session).toBeDefined();
      expect(client.session).not.toBe(idBefore);

      const landingCounts = forms.login.landing === pages.counter;
      const home = await client.get(pages.counter);
      expect(read.visits(home)).toBe(texts.visits(landingCounts ? 3 : 2));
      expect(flashesOf(home)).toEqual([]);
      const cart = await client.get(forms.cart.page);
      expect(read.cartItems(cart)).toEqual([texts.cartLine('pear', 1)]);
      expect(read.csrfToken(cart)).not.toBe(tokenBefore);

      // The token from before the login is refused.
      expect((await addToCart(client, 'apple', 1, tokenBefore)).status).toBe(refusal(forms.cart));
      const logout = await submitForm(app, client, forms.logout, {}, tokenBefore);
      expect(logout.status).toBe(refusal(forms.logout));
      expect(read.user(await client.get(pages.account))).toBe('ann');
      // The id from before the login is not the logged-in session (no fixation).
      const planted = browser();
      planted.jar.set(SESSION_COOKIE, idBefore!);
      expect(read.visits(await planted.get(pages.counter))).toBe(texts.visits(1));
      expectLoggedOut(await planted.get(pages.account));
    });

    it('logs out with logout(): the session is gone and its old cookie is useless', async () => {
      const client = browser();
      expect(read.user(await logIn(client, 'bob'))).toBe('bob');
      await follow303(client, await addToCart(client, 'plum', 1));
      const loggedIn = client.session!;

      const redirect = await submitForm(app, client, forms.logout, {});
      expect(locationOf(redirect)).toBe(forms.logout.landing);
      const out = await follow303(client, redirect);
      expect(read.user(out)).toBeUndefined();
      if (texts.loggedOut !== undefined) expect(flashesOf(out)).toEqual([texts.loggedOut]);
      if (texts.loggedOutMarker !== undefined) expect(out.text).toContain(texts.loggedOutMarker);
      expect(client.session).not.toBe(loggedIn);
      const home = forms.logout.landing === pages.counter ? out : await client.get(pages.counter);
      expect(read.visits(home)).toBe(texts.visits(1)); // a new session
      expectLoggedOut(await client.get(pages.account));

      // A copy of the logged-in cookie, replayed after the logout, opens a fresh session.
      const replay = browser();
      replay.jar.set(SESSION_COOKIE, loggedIn);
      expect(read.visits(await replay.get(pages.counter))).toBe(texts.visits(1));
      expectLoggedOut(await replay.get(pages.account));
      await expectEmptyCart(await replay.get(forms.cart.page));
    });

    it(`refuses a logout without the CSRF token (${refusal(forms.logout)}) and stays logged in`, async () => {
      const client = browser();
      await logIn(client, 'carol');
      const refused = await submitForm(app, client, forms.logout, {}, null);
      expect(refused.status).toBe(refusal(forms.logout));
      expect(read.user(await client.get(pages.account))).toBe('carol');
    });
  });

  if (app.persistent) {
    describe('restart', () => {
      it('keeps sessions across a restart of the same build', async () => {
        const client = browser();
        await client.get(pages.counter);
        await follow303(client, await addToCart(client, 'apple', 4));
        expect(read.user(await logIn(client, 'dora'))).toBe('dora');
        const cookie = client.session;

        await app.server().restart();

        const after = browser(client.jar); // the same cookies, on the restarted server's URL
        const landingCounts = forms.login.landing === pages.counter;
        expect(read.visits(await after.get(pages.counter))).toBe(
          texts.visits(landingCounts ? 3 : 2),
        );
        expect(read.user(await after.get(pages.account))).toBe('dora');
        const cart = await after.get(forms.cart.page);
        expect(read.cartItems(cart)).toEqual([texts.cartLine('apple', 4)]);
        expect(flashesOf(cart)).toEqual([]);
        expect(after.session).toBe(cookie);
      });
    });
  }
}

/** What differs between the pages of {@link describePlainPages}' apps. */
export interface PlainPagesOptions {
  server(): RunningExample;
  readonly persistent: boolean;
  visits(count: number): string;
  readonly enableCookies: string;
  readonly csrfRefused?: string;
}

/**
 * The pages of the examples written without a page layer (h3, Nuxt's server
 * routes, Hono): the counter at `/`, a cart with a quantity, a login form that
 * leads to `/account`, which sends nobody back to `/login`.
 */
export function describePlainPages(options: PlainPagesOptions): SeedApp {
  const { server, persistent, visits, enableCookies, csrfRefused } = options;
  return {
    server,
    persistent,
    pages: { counter: '/', account: '/account', accountGuard: '/login' },
    forms: {
      cart: { page: '/cart', action: '/cart', landing: '/cart' },
      login: { page: '/login', action: '/login', landing: '/account' },
      logout: { page: '/account', action: '/logout', landing: '/' },
    },
    fields: {
      cart: (item, qty) => ({ item, qty: String(qty) }),
      login: (username) => ({ username }),
    },
    read: {
      csrfToken: csrfFieldOf,
      visits: (page) => textById(page.text, 'visits'),
      user: (page) => textById(page.text, 'user'),
      cartItems: listedCartItems,
    },
    texts: {
      visits,
      added: (item, qty) => `Added ${qty} × ${item}`,
      cartLine: (item, qty) => `${qty} × ${item}`,
      emptyCart: 'Your cart is empty.',
      enableCookies,
      ...(csrfRefused === undefined ? {} : { csrfRefused }),
    },
  };
}

/** The lines of `<ul id="cart">`, in order (`[]` when there is no list). */
export function listedCartItems(page: JarResponse): string[] {
  const list = /<ul id="cart"[^>]*>([\s\S]*?)<\/ul>/.exec(page.text)?.[1] ?? '';
  return [...list.matchAll(/<li[^>]*>([^<]*)<\/li>/g)].map((match) => match[1]!);
}

/** The value of the first `_csrf` field of the page; throws when there is none. */
export function csrfFieldOf(page: JarResponse): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  if (token === undefined) throw new Error(`no _csrf field in ${page.url}:\n${page.text}`);
  return token;
}

/**
 * The name in the element `#user` whose text is `${prefix}<name>`, or
 * `undefined` when the page shows no user or exactly `nobody`; any other text
 * is answered as it is, so that an expectation of a name or of nobody fails.
 */
export function userShownAs(
  prefix: string,
  nobody?: string,
): (page: JarResponse) => string | undefined {
  return (page) => {
    const text = textById(page.text, 'user');
    if (text === undefined || text === nobody) return undefined;
    return text.startsWith(prefix) ? text.slice(prefix.length) : text;
  };
}
