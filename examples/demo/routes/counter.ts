/**
 * `GET /counter…`: the classic session tutorial pages: increment a key, pop
 * it, flush the whole session, and show the cookie's age and expiry.
 *
 * @module
 */
import { type Request, type Response, Router } from 'express';
import { createFetchMetadataMiddleware, getSession } from '../../../src/adapters/express/index.js';
import { describeDuration } from '../duration.js';
import { html } from '../html.js';
import { sendPage } from '../layout.js';
import type { DemoSessionData } from '../session-data.js';

const COUNTER_LINKS = html`
<p>
  <a href="/counter">Increment</a> ·
  <a href="/counter/delete-key">Delete the key</a> ·
  <a href="/counter/flush">Flush the session</a> ·
  <a href="/counter/other">Session age</a>
</p>`;

export function counterRouter(): Router {
  const router = Router();
  // These GETs change the session, and SameSite=Lax sends its cookie on a link
  // from another site: refuse what the browser marks Sec-Fetch-Site: cross-site,
  // so a link elsewhere cannot log a visitor out (issue 10 §3). The CSRF check
  // leaves GET alone. /counter only counts, as a visit from a link may.
  const sameOriginOnly = createFetchMetadataMiddleware();

  router.get('/counter', (req: Request, res: Response) => {
    const session = getSession<DemoSessionData>(req);
    const counter = (session.get('counter') ?? 0) + 1;
    session.set('counter', counter);
    sendPage(res, {
      title: 'Counter',
      path: '/counter',
      body: html`
<div class="card"><p>The counter is at <span id="counter">${counter}</span>.</p></div>
${COUNTER_LINKS}`,
    });
  });

  router.get('/counter/delete-key', sameOriginOnly, (req: Request, res: Response) => {
    const session = getSession<DemoSessionData>(req);
    const popped = session.pop('counter', 0);
    sendPage(res, {
      title: 'Counter deleted',
      path: '/counter',
      body: html`
<div class="card"><p>Deleted the key <code>counter</code>; it held <span id="counter">${popped}</span>.</p></div>
${COUNTER_LINKS}`,
    });
  });

  router.get('/counter/flush', sameOriginOnly, (req: Request, res: Response) => {
    const session = getSession<DemoSessionData>(req);
    session.flush();
    sendPage(res, {
      title: 'Session flushed',
      path: '/counter',
      body: html`
<div class="card"><p>Your session was deleted, and its cookie with it.</p></div>
${COUNTER_LINKS}`,
    });
  });

  router.get('/counter/other', (req: Request, res: Response) => {
    const session = getSession<DemoSessionData>(req);
    const age = session.getExpiryAge();
    const expiry = session.getExpiryDate().toISOString();
    sendPage(res, {
      title: 'Session age',
      path: '/counter',
      body: html`
<div class="card">
  <p>Your session cookie lasts <span id="session-age">${age}</span> seconds, that is <strong id="session-age-words">${describeDuration(age)}</strong>.</p>
  <p>It expires at <time id="expiry-date" datetime="${expiry}">${expiry}</time>.</p>
</div>
${COUNTER_LINKS}`,
    });
  });

  return router;
}
