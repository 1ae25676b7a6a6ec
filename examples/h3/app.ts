/**
 * The example app on h3 v2: a visit counter, a cart with a flash message after
 * a redirect, and a login with a test cookie, CSRF tokens and
 * `session.login()`. Sessions come from `tessera-session/h3`'s middleware, in
 * `event.context.session`.
 *
 * @module
 */
import { H3, HTTPResponse, redirect } from 'h3';
import type { Session, SessionStore } from 'tessera-session';
import { checkCsrfEvent, createH3Sessions, csrfFailureResponse } from 'tessera-session/h3';
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

// Types event.context.session in every handler of this app.
declare module 'h3' {
  interface H3EventContext {
    session: Session<ExampleSessionData>;
  }
}

const MAX_TEXT = 100;
const MAX_QTY = 1000;

/** The app and what ends it. */
export interface ExampleApp {
  /** The h3 app: serve it with `serve(app)` or `app.fetch`. */
  app: H3;
  /** Closes the session store. */
  close(): Promise<void>;
}

/** An HTML page as h3's response value. */
function page(title: string, body: string, status = 200): HTTPResponse {
  return new HTTPResponse(renderPage(title, body), {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8' },
  });
}

/** A text field of a parsed form, trimmed ('' when absent). */
function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

/** Builds the app; it does not listen (see server.ts). */
export function createApp(store: SessionStore): ExampleApp {
  const sessions = createH3Sessions<ExampleSessionData>({ store });
  const app = new H3();

  // Readiness probe: it never touches the session, so it creates none (no cookie, no store I/O).
  app.get('/health', () => 'ok');

  app.use(sessions.middleware);
  // A browser that refuses cookies has no session, so no CSRF token can match:
  // it gets "Please enable cookies" rather than a bare 403. This check only
  // ever refuses, so running before the CSRF check lets no forged request through.
  app.use(
    '/login',
    (event) => {
      if (event.context.session.testCookieWorked()) return;
      return page('Log in', '<p id="error">Please enable cookies and try again.</p>', 400);
    },
    { method: 'POST' },
  );
  // Every POST must carry the session's token (form field _csrf or X-CSRF-Token).
  app.use(async (event) => {
    if (!(await checkCsrfEvent(event))) return csrfFailureResponse();
  });

  app.get('/', (event) => {
    const session = event.context.session;
    const visits = session.get('visits', 0) + 1;
    session.set('visits', visits);
    return page('Counter', renderCounter(visits));
  });

  app.get('/cart', (event) => {
    const session = event.context.session;
    const flashes = session.popFlash<string>();
    return page('Cart', renderCart(session, flashes, session.get('cart', [])));
  });

  app.post('/cart', async (event) => {
    const session = event.context.session;
    const form = await event.req.formData();
    const item = field(form, 'item');
    const qty = Number(field(form, 'qty'));
    if (
      item === '' ||
      item.length > MAX_TEXT ||
      !Number.isInteger(qty) ||
      qty < 1 ||
      qty > MAX_QTY
    ) {
      session.flash(`Please name an item and a quantity from 1 to ${MAX_QTY}.`);
      return redirect('/cart', 303);
    }
    // A new array: the session saves what set() is given, never a mutated copy.
    session.set('cart', [...session.get('cart', []), { item, qty }]);
    session.flash(`Added ${qty} × ${item}`);
    return redirect('/cart', 303);
  });

  app.get('/login', (event) => {
    const session = event.context.session;
    session.setTestCookie();
    return page('Log in', renderLogin(session));
  });

  app.post('/login', async (event) => {
    const session = event.context.session;
    const username = field(await event.req.formData(), 'username');
    if (username === '' || username.length > MAX_TEXT) {
      return page('Log in', renderLogin(session, 'Please enter a user name.'), 400);
    }
    session.deleteTestCookie();
    // A new session id (no fixation) and a new CSRF token, owned by the user.
    session.login(username);
    return redirect('/account', 303);
  });

  app.get('/account', (event) => {
    const session = event.context.session;
    const user = session.userId;
    if (user === null) return redirect('/login', 303);
    return page('Your account', renderAccount(session, user));
  });

  app.post('/logout', (event) => {
    // Data, record and cookie are gone: the old cookie, replayed, opens nothing.
    event.context.session.logout();
    return redirect('/', 303);
  });

  return { app, close: () => sessions.close() };
}
