/**
 * `/login`, `/account`, `/logout`: logging in the Django way. The login page
 * sets a test cookie; the post checks it came back, then `session.login()`
 * cycles the session key (against session fixation), rotates the CSRF token
 * and records the user as the session's owner.
 *
 * @module
 */
import { type NextFunction, type Request, type Response, Router } from 'express';
import { getSession } from '../../../src/adapters/express/index.js';
import { type CsrfSession, csrfField } from '../csrf-field.js';
import { deviceLabel, normalizeUserAgent } from '../device-label.js';
import { formField } from '../form.js';
import { html, type SafeHtml } from '../html.js';
import { sendPage } from '../layout.js';
import type { DemoSessionData } from '../session-data.js';

/** The one password the demo accepts, for any user name. */
export const DEMO_PASSWORD = 'tessera';
/** The longest user name accepted. */
export const MAX_USERNAME_LENGTH = 100;

function loginForm(session: CsrfSession, username = ''): SafeHtml {
  return html`
<form method="post" action="/login" class="card" id="login-form">
  ${csrfField(session)}
  <label>User name <input name="username" required maxlength="${MAX_USERNAME_LENGTH}" value="${username}" autocomplete="username"></label>
  <label>Password <input name="password" type="password" required autocomplete="current-password"></label>
  <button type="submit">Log in</button>
</form>
<p class="muted">Any user name works with the password <code>${DEMO_PASSWORD}</code>.</p>`;
}

function sendLogin(
  res: Response,
  session: CsrfSession,
  status: number,
  error?: string,
  username?: string,
): void {
  sendPage(res, {
    status,
    title: 'Log in',
    path: '/login',
    body: html`${error === undefined ? '' : html`<p class="error" id="error">${error}</p>`}${loginForm(session, username)}`,
  });
}

/**
 * The test-cookie check of `POST /login`, mounted before the CSRF middleware.
 * A browser that refuses cookies has no session, so no CSRF token can match:
 * without this it would only see the CSRF middleware's bare 403, while it
 * deserves "Please enable cookies". It only ever refuses, so running before
 * the CSRF check lets no forged request through.
 */
export function requireTestCookie(req: Request, res: Response, next: NextFunction): void {
  if (getSession<DemoSessionData>(req).testCookieWorked()) {
    next();
    return;
  }
  sendPage(res, {
    status: 403,
    title: 'Log in',
    path: '/login',
    body: html`
<p class="error" id="error">Please enable cookies and try again.</p>
<p><a href="/login">Back to the login page</a></p>`,
  });
}

/** The routes of logging in and out, and the account page. */
export function authRouter(): Router {
  const router = Router();

  router.get('/login', (req: Request, res: Response) => {
    const session = getSession<DemoSessionData>(req);
    session.setTestCookie();
    sendLogin(res, session, 200);
  });

  // Runs after requireTestCookie and the CSRF middleware (see app.ts).
  router.post('/login', (req: Request, res: Response) => {
    const session = getSession<DemoSessionData>(req);
    const username = formField(req, 'username')?.trim() ?? '';
    const password = formField(req, 'password') ?? '';
    if (username === '' || username.length > MAX_USERNAME_LENGTH) {
      sendLogin(res, session, 400, 'Please enter a user name (at most 100 characters).', username);
      return;
    }
    if (password !== DEMO_PASSWORD) {
      sendLogin(res, session, 401, 'Wrong user name or password.', username);
      return;
    }
    session.deleteTestCookie();
    // A new id, so an id planted before the login never becomes the logged-in
    // session (passport CVE-2022-25896, PHP CVE-2011-4718), and a new CSRF token.
    session.login(username);
    const userAgent = normalizeUserAgent(req.get('user-agent'));
    session.set('userAgent', userAgent);
    session.set('device', deviceLabel(userAgent));
    res.redirect(303, '/account');
  });

  router.get('/account', (req: Request, res: Response) => {
    const session = getSession<DemoSessionData>(req);
    const user = session.userId;
    if (user === null) {
      res.redirect(303, '/login');
      return;
    }
    sendPage(res, {
      title: 'Your account',
      path: '/account',
      body: html`
<div class="card">
  <p>You are logged in as <strong id="user">${user}</strong>.</p>
  <p><a href="/account/sessions" id="sessions-link">Where you're logged in</a></p>
  <form method="post" action="/logout">${csrfField(session)}<button type="submit" class="secondary" id="logout">Log out</button></form>
</div>`,
    });
  });

  router.post('/logout', (req: Request, res: Response) => {
    // Data, record and cookie are gone and the old id is dead, so a copied
    // cookie replayed afterwards gets a fresh, empty session (CVE-2024-31999).
    getSession<DemoSessionData>(req).logout();
    res.redirect(303, '/');
  });

  return router;
}
