/**
 * `GET /`: the visit counter, the "hello world" of sessions.
 *
 * @module
 */
import { type Request, type Response, Router } from 'express';
import { getSession } from '../../../src/adapters/express/index.js';
import { html } from '../html.js';
import { sendPage } from '../layout.js';
import type { DemoSessionData } from '../session-data.js';

export function visitsRouter(): Router {
  const router = Router();

  router.get('/', (req: Request, res: Response) => {
    const session = getSession<DemoSessionData>(req);
    const visits = (session.get('visits') ?? 0) + 1;
    session.set('visits', visits);
    sendPage(res, {
      title: 'Visit counter',
      path: '/',
      body: html`
<div class="card">
  <p>You have visited this page <span id="visits">${visits}</span> ${visits === 1 ? 'time' : 'times'}.</p>
  <p class="muted">The count lives in your session; delete the cookie and it starts again at 1.</p>
</div>
<div class="card">
  <p>Other demos:</p>
  <ul>
    <li><a href="/counter">A counter</a>, with <a href="/counter/delete-key">delete key</a>, <a href="/counter/flush">flush</a> and <a href="/counter/other">session age</a></li>
    <li><a href="/cart">A cart</a> with flash messages</li>
    <li><a href="/login">Log in</a> with a test cookie, then see <a href="/account">your account</a> and <a href="/account/sessions">where you're logged in</a></li>
    <li><a href="/comment">Comment once</a></li>
  </ul>
</div>`,
    });
  });

  return router;
}
