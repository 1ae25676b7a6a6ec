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
import type { JarResponse } from '../../src/testing/index.js';
import { decodeEntities, textById, textsByClass } from '../helpers/html-query.js';
import { prepareExample, type RunningExample, startExample } from './harness.js';
import {
  type CsrfChoice,
  describeSeedScenarios,
  listedCartItems,
  postForm,
  SESSION_COOKIE,
  type SeedApp,
  SeedBrowser,
  submitForm,
  userShownAs,
} from './seed-scenarios.js';

let app: RunningExample;
let dataDir: string;

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
 * the CSRF token as `csrf` says) and `fields`.
 */
async function submitAction(
  browser: SeedBrowser,
  page: string,
  fields: Record<string, string>,
  csrf: CsrfChoice,
): Promise<JarResponse> {
  const form = hiddenFields((await browser.get(page)).text);
  expect(Object.keys(form).some((name) => name.startsWith('$ACTION_ID_'))).toBe(true);
  if (csrf === null) delete form._csrf;
  else if (typeof csrf === 'string') form._csrf = csrf;
  else if (csrf !== undefined) throw new Error('a Server Action reads its token from the form');
  const boundary = `----tessera${Math.random().toString(16).slice(2)}`;
  const body = Object.entries({ ...form, ...fields })
    .map(
      ([name, value]) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
    )
    .join('');
  return browser.request(page, {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: `${body}--${boundary}--\r\n`,
  });
}

const next: SeedApp = {
  server: () => app,
  /** A browser sends the app's `Origin` with its posts (Next.js checks a Server Action's). */
  headers: (url) => ({ origin: url }),
  persistent: true,
  // forbidden() in a Server Action is a 403 when JavaScript calls the action; for a form
  // posted without it, Next.js 16 renders its not-found page with a 404 (app-render: an
  // action's access-fallback error becomes 'not-found'). A Server Action reads its form only.
  csrfHeader: false,
  pages: { counter: '/visits', account: '/account', accountGuard: '/login' },
  forms: {
    cart: {
      page: '/cart',
      action: '/cart',
      landing: '/cart',
      csrfRefusalStatus: 404,
      varyOnCookie: false,
    },
    // proxy.ts sets the test cookie and the token on /login; a Route Handler checks them.
    login: { page: '/login', action: '/auth/login', landing: '/account' },
    logout: { page: '/account', action: '/account', landing: '/', csrfRefusalStatus: 404 },
  },
  fields: {
    cart: (item) => ({ item }),
    login: (username) => ({ username, password: 'tessera' }),
  },
  submit: (browser, form, fields, csrf) =>
    form.action === form.page
      ? submitAction(browser, form.page, fields, csrf)
      : postForm(next, browser, form, fields, csrf),
  read: {
    csrfToken: (page) => {
      const token = hiddenFields(page.text)._csrf;
      if (token === undefined) throw new Error(`no _csrf field in ${page.url}:\n${page.text}`);
      return token;
    },
    /** The Route Handler's answer. */
    visits: (page) => page.text,
    user: userShownAs('Signed in as ', 'Not signed in'),
    cartItems: listedCartItems,
  },
  texts: {
    visits: (count) => `Visits: ${count}\n`,
    added: (item) => `Added ${item}`,
    cartLine: (item) => item,
    enableCookies: 'Please enable cookies',
    loggedOutMarker: '<p id="user">Not signed in</p>',
  },
};

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

  describeSeedScenarios(next);

  describe('what is Next.js’s own', () => {
    it('shows the count in a Server Component, which reads the session', async () => {
      const client = new SeedBrowser(next);
      await client.get('/visits');
      await client.get('/visits');
      const home = await client.get('/');
      expect(home.status).toBe(200);
      expect(textById(home.text, 'visits')).toBe('Visits: 2');
    });

    it('gives a first visit to a page with a form a session and a CSRF token (made in proxy.ts)', async () => {
      const client = new SeedBrowser(next);
      const cart = await client.get('/cart');
      expect(cart.status).toBe(200);
      expect(client.session).toBeDefined();
      expect(hiddenFields(cart.text)._csrf).toMatch(/^[\w-]{43}$/);
    });

    it('makes a write from a Server Component throw a message that says where to write instead', async () => {
      const client = new SeedBrowser(next);
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

    it('refuses a Server Action with a forged CSRF token (forbidden(): 404) and changes nothing', async () => {
      const client = new SeedBrowser(next);
      const refused = await submitAction(client, '/cart', { item: 'plum' }, 'forged');
      expect(refused.status).toBe(404);
      expect(refused.headers.get('location')).toBeNull();
      const cart = await client.get('/cart');
      expect(textById(cart.text, 'cart')).toBe('');
      expect(textsByClass(cart.text, 'flash')).toEqual([]);
    });

    it('keeps anonymous visitors out of /account in proxy.ts, which reads the session', async () => {
      const kept = await new SeedBrowser(next).get('/account', { follow: false });
      expect(kept.status).toBe(303);
      expect(new URL(kept.headers.get('location') ?? '', app.url).pathname).toBe('/login');
    });

    it('keeps the session cookie when the app sets a cookie of its own after the login', async () => {
      const client = new SeedBrowser(next);
      await client.get('/login');
      const before = client.session;
      const loggedIn = await submitForm(next, client, next.forms.login, next.fields.login('ann'));
      expect(loggedIn.status).toBe(303);
      const names = loggedIn.setCookies.map((cookie) => cookie.split('=')[0]);
      expect(names).toEqual(expect.arrayContaining([SESSION_COOKIE, 'last-login']));
      expect(client.session).toBeDefined();
      expect(client.session).not.toBe(before);
    });
  });
});
