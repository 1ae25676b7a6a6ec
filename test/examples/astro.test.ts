/**
 * The Astro example (examples/astro) on Astro 7's production build, served by
 * the Node adapter's standalone server (`node ./dist/server/entry.mjs`), with
 * `tessera-session/astro` from the packed package, driven over HTTP with a
 * cookie jar.
 *
 * Every POST carries the `Origin` a browser sends: Astro's own
 * `security.checkOrigin` (on by default) refuses form posts without it before
 * any middleware of the app runs.
 *
 * Run: npx vitest run -c vitest.examples.config.ts test/examples/astro.test.ts
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textById } from '../helpers/html-query.js';
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
  type SeedApp,
  SeedBrowser,
  submitForm,
} from './seed-scenarios.js';

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

const astro: SeedApp = {
  server: () => app,
  /** A browser sends the app's `Origin` with every form. */
  headers: (url) => ({ origin: url }),
  persistent: true,
  pages: { counter: '/', account: '/' },
  forms: {
    cart: { page: '/cart', action: '/cart', landing: '/cart' },
    login: { page: '/login', action: '/login', landing: '/' },
    logout: { page: '/', action: '/logout', landing: '/' },
  },
  fields: {
    cart: (item) => ({ item }),
    login: (username) => ({ username, password: 'tessera' }),
  },
  read: {
    csrfToken: csrfFieldOf,
    visits: (page) => textById(page.text, 'visits'),
    user: (page) => textById(page.text, 'user'),
    cartItems: listedCartItems,
    message: (page) => page.text.trim(),
  },
  texts: {
    visits: (count) => `You have visited this page ${count} ${count === 1 ? 'time' : 'times'}.`,
    added: (item) => `Added ${item}`,
    cartLine: (item) => item,
    emptyCart: 'Your cart is empty.',
    csrfRefused: 'Invalid or missing CSRF token; reload the form and try again.',
    enableCookies: 'Please enable cookies',
    loggedOutMarker: 'href="/login"',
  },
};

describeSeedScenarios(astro);

describe("what is Astro's own", () => {
  it("leaves cross-origin form posts to Astro's checkOrigin, which refuses them first", async () => {
    const client = new SeedBrowser(astro);
    const token = csrfFieldOf(await client.get('/cart'));
    const refused = await client.post(
      '/cart',
      { item: 'fig', _csrf: token },
      { headers: { origin: 'https://evil.example' } },
    );
    expect(refused.status).toBe(403);
    expect(refused.text).toBe('Cross-site POST form submissions are forbidden');
  });

  it('refuses a login post that never saw the login form (no test cookie)', async () => {
    const client = new SeedBrowser(astro);
    const token = csrfFieldOf(await client.get('/cart'));
    const refused = await submitForm(
      astro,
      client,
      astro.forms.login,
      astro.fields.login('ann'),
      token,
    );
    expect(refused.status).toBe(400);
  });

  it('refuses a wrong password (401) and stays logged out', async () => {
    const client = new SeedBrowser(astro);
    const refused = await submitForm(astro, client, astro.forms.login, {
      username: 'ann',
      password: 'wrong',
    });
    expect(refused.status).toBe(401);
    expect(refused.text).toContain('Wrong user name or password.');
    expect(textById((await client.get('/')).text, 'user')).toBeUndefined();
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
    const client = new SeedBrowser(astro);
    await client.get('/');
    alterDatabase('ALTER TABLE tessera_sessions RENAME TO tessera_sessions_away');
    try {
      const failed = await client.get('/');
      expect(failed.status).toBe(503);
      expect(failed.headers.get('retry-after')).toBe('5');
    } finally {
      alterDatabase('ALTER TABLE tessera_sessions_away RENAME TO tessera_sessions');
    }
    expect(textById((await client.get('/')).text, 'visits')).toBe(
      'You have visited this page 2 times.',
    );
  });
});
