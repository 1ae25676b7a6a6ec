/**
 * `/login`, `/account`, `/logout`: logging in the Django way. The login page
 * sets a test cookie; the post checks it came back, then cycles the session
 * key (against session fixation) before storing the user.
 *
 * @module
 */
import { type Request, type Response, Router } from 'express';
import { getSession } from '../../../src/adapters/express/index.js';
import { formField } from '../form.js';
import { html, type SafeHtml } from '../html.js';
import { sendPage } from '../layout.js';
import type { DemoSessionData } from '../session-data.js';

/** The one password the demo accepts, for any user name. */
export const DEMO_PASSWORD = 'tessera';
/** The longest user name accepted. */
export const MAX_USERNAME_LENGTH = 100;

function loginForm(username = ''): SafeHtml {
  return html`
<form method="post" action="/login" class="card" id="login-form">
  <label>User name <input name="username" required maxlength="${MAX_USERNAME_LENGTH}" value="${username}" autocomplete="username"></label>
  <label>Password <input name="password" type="password" required autocomplete="current-password"></label>
  <button type="submit">Log in</button>
</form>
<p class="muted">Any user name works with the password <code>${DEMO_PASSWORD}</code>.</p>`;
}

function sendLogin(res: Response, status: number, error?: string, username?: string): void {
  sendPage(res, {
    status,
    title: 'Log in',
    path: '/login',
    body: html`${error === undefined ? '' : html`<p class="error" id="error">${error}</p>`}${loginForm(username)}`,
  });
}

export function authRouter(): Router {
  const router = Router();

  router.get('/login', (req: Request, res: Response) => {
    getSession<DemoSessionData>(req).setTestCookie();
    sendLogin(res, 200);
  });

  router.post('/login', (req: Request, res: Response) => {
    const session = getSession<DemoSessionData>(req);
    if (!session.testCookieWorked()) {
      sendPage(res, {
        status: 403,
        title: 'Log in',
        path: '/login',
        body: html`
<p class="error" id="error">Please enable cookies and try again.</p>
<p><a href="/login">Back to the login page</a></p>`,
      });
      return;
    }
    const username = formField(req, 'username')?.trim() ?? '';
    const password = formField(req, 'password') ?? '';
    if (username === '' || username.length > MAX_USERNAME_LENGTH) {
      sendLogin(res, 400, 'Please enter a user name (at most 100 characters).', username);
      return;
    }
    if (password !== DEMO_PASSWORD) {
      sendLogin(res, 401, 'Wrong user name or password.', username);
      return;
    }
    session.deleteTestCookie();
    session.cycleKey();
    session.set('user', username);
    res.redirect(303, '/account');
  });

  router.get('/account', (req: Request, res: Response) => {
    const user = getSession<DemoSessionData>(req).get('user');
    if (user === undefined) {
      res.redirect(303, '/login');
      return;
    }
    sendPage(res, {
      title: 'Your account',
      path: '/account',
      body: html`
<div class="card">
  <p>You are logged in as <strong id="user">${user}</strong>.</p>
  <form method="post" action="/logout"><button type="submit" class="secondary" id="logout">Log out</button></form>
</div>`,
    });
  });

  router.post('/logout', (req: Request, res: Response) => {
    getSession<DemoSessionData>(req).flush();
    res.redirect(303, '/');
  });

  return router;
}
