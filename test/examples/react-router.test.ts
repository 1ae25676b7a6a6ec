/**
 * The React Router 8 example (examples/react-router, framework mode) as its
 * users run it: `react-router build`, then `react-router-serve
 * ./build/server/index.js`, with `tessera-session/react-router` from the
 * packed package, driven over HTTP with a cookie jar. Its loaders and actions
 * call getSession / commitSession as React Router's own storages are called;
 * refusals are thrown responses rendered by the root ErrorBoundary.
 *
 * Run: npx vitest run -c vitest.examples.config.ts test/examples/react-router.test.ts
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JarResponse } from '../../src/testing/index.js';
import { textById } from '../helpers/html-query.js';
import {
  type PreparedExample,
  prepareExample,
  type RunningExample,
  run,
  startExample,
} from './harness.js';
import {
  csrfFieldOf,
  describeSeedScenarios,
  type SeedApp,
  SeedBrowser,
  userShownAs,
} from './seed-scenarios.js';

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

/** The cart's items, from its one line of text (`In your cart: pear, plum.`). */
function cartItemsOf(page: JarResponse): string[] {
  const text = textById(page.text, 'cart');
  if (text === 'Your cart is empty.') return [];
  const items = /^In your cart: (.*)\.$/.exec(text ?? '')?.[1];
  return items === undefined ? [String(text)] : items.split(', ');
}

const reactRouter: SeedApp = {
  server: () => app,
  persistent: true,
  varyOnCookie: false,
  pages: { counter: '/', account: '/' },
  forms: {
    cart: { page: '/cart', action: '/cart', landing: '/cart', varyOnCookie: false },
    login: { page: '/login', action: '/login', landing: '/' },
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
    cartItems: cartItemsOf,
    flashes: (page) => {
      const flash = textById(page.text, 'flash');
      return flash === undefined ? [] : [flash];
    },
    /** A refusal is a thrown response, rendered by the root ErrorBoundary. */
    message: (page) => textById(page.text, 'error'),
  },
  texts: {
    visits: (count) => `You have visited this page ${count} times.`,
    added: (item) => `Added ${item} to your cart.`,
    cartLine: (item) => item,
    emptyCart: 'Your cart is empty.',
    csrfRefused: 'Invalid or missing CSRF token; reload the form and try again.',
    enableCookies: 'Please enable cookies in your browser to log in.',
    loggedIn: (username) => `Welcome, ${username}!`,
    loggedOut: 'You are logged out.',
  },
};

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

  it('sends no new cookie when the session is unchanged since the browser got its cookie (commitSession answers "")', async () => {
    const client = new SeedBrowser(reactRouter);
    await client.get('/cart'); // creates the session (its CSRF token)
    const again = await client.get('/cart');
    expect(again.status).toBe(200);
    expect(again.setCookies).toEqual([]); // commitSession() answered '' and React Router sent nothing
  });
});

describeSeedScenarios(reactRouter);
