/**
 * The example app, free of any runtime: Web `Request` in, `Response` out, so
 * the same `app.fetch` serves on Node, Bun, Deno and Workers (see server.ts and
 * worker.ts). A visit counter, a cart with a flash message after a redirect,
 * and a login with a test cookie, CSRF tokens and `session.login()`.
 *
 * ```ts
 * const { app } = createApp({ store: createMemoryStore(), runtime: 'Bun 1.4.5' });
 * Bun.serve({ fetch: app.fetch });
 * ```
 *
 * @module
 */
import { Hono } from 'hono';
import type { SessionStore } from 'tessera-session';
import {
  createCsrfMiddleware,
  createSessionMiddleware,
  type SessionEnv,
} from 'tessera-session/hono';
import {
  type CartLine,
  renderAccount,
  renderCart,
  renderCounter,
  renderLogin,
  renderPage,
} from './pages.ts';

/** What the example keeps in a session. */
export interface ExampleSessionData {
  visits: number;
  cart: CartLine[];
}

/** Options of {@link createApp}. */
export interface ExampleAppOptions {
  /** Where sessions live. */
  store: SessionStore;
  /** Which runtime serves the app, shown by `GET /health`, e.g. `Deno 2.9.6`. */
  runtime: string;
}

const MAX_TEXT = 100;
const MAX_QTY = 1000;

/** The app and what ends it. */
export interface ExampleApp {
  /** The Hono app: serve `app.fetch`. */
  app: Hono<SessionEnv<ExampleSessionData>>;
  /** Closes the session store (a Redis store's connection). */
  close(): Promise<void>;
}

/** Builds the app; it does not listen (see server.ts). */
export function createApp(options: ExampleAppOptions): ExampleApp {
  const app = new Hono<SessionEnv<ExampleSessionData>>();
  const sessions = createSessionMiddleware<ExampleSessionData>({ store: options.store });

  // Before the session middleware: readiness probes create no session.
  app.get('/health', (c) => c.text(`ok ${options.runtime}`));

  app.use(sessions);
  // A browser that refuses cookies has no session, so no CSRF token can match:
  // it gets "Please enable cookies" rather than the CSRF middleware's bare 403.
  // This check only ever refuses, so running before the CSRF check lets no
  // forged request through.
  app.post('/login', async (c, next) => {
    if (c.get('session').testCookieWorked()) return next();
    return c.html(renderPage('Log in', 'Please enable cookies and try again.'), 400);
  });
  // Every POST must carry the session's token (form field _csrf or X-CSRF-Token).
  app.use(createCsrfMiddleware());

  app.get('/', (c) => {
    const session = c.get('session');
    const visits = session.get('visits', 0) + 1;
    session.set('visits', visits);
    return c.html(renderPage('Counter', renderCounter(visits)));
  });

  app.get('/cart', (c) => {
    const session = c.get('session');
    const flashes = session.popFlash<string>();
    return c.html(renderPage('Cart', renderCart(session, flashes, session.get('cart', []))));
  });

  app.post('/cart', async (c) => {
    const session = c.get('session');
    const form = await c.req.parseBody();
    const item = typeof form.item === 'string' ? form.item.trim() : '';
    const qty = typeof form.qty === 'string' ? Number(form.qty) : Number.NaN;
    if (
      item === '' ||
      item.length > MAX_TEXT ||
      !Number.isInteger(qty) ||
      qty < 1 ||
      qty > MAX_QTY
    ) {
      session.flash(`Please name an item and a quantity from 1 to ${MAX_QTY}.`);
      return c.redirect('/cart', 303);
    }
    // A new array: the session saves what set() is given, never a mutated copy.
    session.set('cart', [...session.get('cart', []), { item, qty }]);
    session.flash(`Added ${qty} × ${item}`);
    return c.redirect('/cart', 303);
  });

  app.get('/login', (c) => {
    const session = c.get('session');
    session.setTestCookie();
    return c.html(renderPage('Log in', renderLogin(session)));
  });

  app.post('/login', async (c) => {
    const session = c.get('session');
    const form = await c.req.parseBody();
    const username = typeof form.username === 'string' ? form.username.trim() : '';
    if (username === '' || username.length > MAX_TEXT) {
      return c.html(renderPage('Log in', renderLogin(session, 'Please enter a user name.')), 400);
    }
    session.deleteTestCookie();
    // A new session id (no fixation) and a new CSRF token, owned by the user.
    session.login(username);
    return c.redirect('/account', 303);
  });

  app.get('/account', (c) => {
    const session = c.get('session');
    const user = session.userId;
    if (user === null) return c.redirect('/login', 303);
    return c.html(renderPage('Your account', renderAccount(session, user)));
  });

  app.post('/logout', (c) => {
    // Data, record and cookie are gone: the old cookie, replayed, opens nothing.
    c.get('session').logout();
    return c.redirect('/', 303);
  });

  return { app, close: () => sessions.close() };
}
