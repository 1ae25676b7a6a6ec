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
 *
 * Run: npx vitest run -c vitest.examples.config.ts test/examples/sveltekit.test.ts
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textById, textsByClass } from '../helpers/html-query.js';
import {
  type PreparedExample,
  prepareExample,
  type RunningExample,
  startExample,
} from './harness.js';
import {
  csrfFieldOf,
  describeSeedScenarios,
  listedCartItems,
  locationOf,
  type SeedApp,
  SeedBrowser,
  submitForm,
  userShownAs,
} from './seed-scenarios.js';

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

/** The example, seen by a browser behind the TLS proxy: HTML navigations, the proxy's `Origin`. */
function describeApp(running: () => RunningExample): SeedApp {
  return {
    server: running,
    headers: (url) => ({ accept: ACCEPT_HTML, origin: url.replace(/^http:/, 'https:') }),
    persistent: true,
    pages: { counter: '/', account: '/' },
    forms: {
      cart: { page: '/cart', action: '/cart', landing: '/cart' },
      // The refused login re-renders the login page, whose form needs a session for its token.
      login: { page: '/login', action: '/login', landing: '/', refusalStartsSession: true },
      logout: { page: '/', action: '/logout', landing: '/' },
    },
    fields: {
      cart: (item) => ({ item }),
      login: (username) => ({ username }),
    },
    read: {
      csrfToken: csrfFieldOf,
      visits: (page) => textById(page.text, 'visits'),
      user: userShownAs('Logged in as '),
      cartItems: listedCartItems,
    },
    texts: {
      visits: (count) => `You have visited this page ${count} times.`,
      added: (item) => `Added ${item}`,
      cartLine: (item) => item,
      enableCookies: 'Please enable cookies',
      loggedOutMarker: 'href="/login"',
    },
  };
}

const sveltekit = describeApp(() => server);

describe('SvelteKit example', () => {
  describeSeedScenarios(sveltekit);
});

describe('SvelteKit example: what is its own', () => {
  it('sets a Secure, HttpOnly, SameSite=Lax cookie (behind the TLS proxy)', async () => {
    const first = await new SeedBrowser(sveltekit).get('/');
    const [setCookie] = first.setCookies;
    expect(setCookie).toMatch(/^sessionid=[\w-]+;/);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Lax/);
    expect(setCookie).toMatch(/; Secure/);
    expect(first.headers.get('vary')).toMatch(/Cookie/);
  });

  it('gives a visitor who only reads the session no cookie', async () => {
    const page = await new SeedBrowser(sveltekit).get('/streamed');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Hello, anonymous');
    expect(page.setCookies).toEqual([]);
  });

  it('leaves cross-origin form posts to SvelteKit’s own origin check, which refuses them first', async () => {
    const browser = new SeedBrowser(sveltekit);
    const token = csrfFieldOf(await browser.get('/cart'));
    const refused = await browser.post(
      '/cart',
      { item: 'forged', _csrf: token },
      { headers: { origin: 'https://evil.example' } },
    );
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Cross-site POST form submissions are forbidden');
    expect(listedCartItems(await browser.get('/cart'))).toEqual([]);
  });

  it('reads the session in a load that streams, and in its streamed promise', async () => {
    const browser = new SeedBrowser(sveltekit);
    const { forms, fields } = sveltekit;
    const loggedIn = await submitForm(sveltekit, browser, forms.login, fields.login('cid'));
    await browser.get(locationOf(loggedIn)!); // the home page: 1 visit
    await submitForm(sveltekit, browser, forms.cart, fields.cart('kiwi', 1));
    await submitForm(sveltekit, browser, forms.cart, fields.cart('lime', 1));
    const page = await browser.get('/streamed');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Hello, cid');
    // The promise resolves after the first bytes; its value comes in the same response.
    expect(page.text).toContain('Streamed: 2 items, 1 visits');
  });
});

describe('SvelteKit example: the CSRF check in the hook (createSessionHandle({ csrf: true }))', () => {
  let hooked: RunningExample;
  const app = describeApp(() => hooked);

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
    const browser = new SeedBrowser(app);
    await browser.get('/cart');
    const refused = await submitForm(app, browser, app.forms.cart, { item: 'forged' }, null);
    expect(refused.status).toBe(403);
    expect(refused.text.trim()).toBe(TESSERA_CSRF_REFUSAL);
    expect(listedCartItems(await browser.get('/cart'))).toEqual([]);
  });

  it('lets the form action read the body after the hook read the token from a clone', async () => {
    const browser = new SeedBrowser(app);
    const added = await submitForm(app, browser, app.forms.cart, { item: 'pear' });
    expect(added.status).toBe(303);
    expect(textsByClass((await browser.get('/cart')).text, 'flash')).toEqual(['Added pear']);
  });

  it('answers a browser without cookies with the CSRF refusal, before the login page can ask for cookies', async () => {
    const browser = new SeedBrowser(app);
    const csrf = csrfFieldOf(await browser.get('/login'));
    browser.jar.clear();
    const refused = await submitForm(app, browser, app.forms.login, { username: 'ann' }, csrf);
    expect(refused.status).toBe(403);
    expect(refused.text.trim()).toBe(TESSERA_CSRF_REFUSAL);
  });
});
