/**
 * `/account/sessions`: where the user is logged in (one row per session of
 * the user, from `manager.listUserSessions()`), and "sign out everywhere
 * else" (`manager.destroyUserSessions()`), as after a lost phone or a
 * password change.
 *
 * @module
 */
import { type Request, type Response, Router } from 'express';
import { getSession } from '../../../src/adapters/express/index.js';
import type { SessionManager, UserSessionSummary } from '../../../src/core/index.js';
import { csrfField } from '../csrf-field.js';
import { html, type SafeHtml } from '../html.js';
import { sendPage } from '../layout.js';
import { describeRelativeTime, formatUtc } from '../relative-time.js';

/** The flash shown after signing the other sessions out. */
export function signedOutMessage(count: number): string {
  return `Signed out ${count} other ${count === 1 ? 'session' : 'sessions'}`;
}

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

/**
 * A moment as `5 minutes ago` / `in 2 weeks`: short, and right in every time
 * zone. The exact moment is in `datetime` (for machines) and `title` (on hover).
 */
function time(date: Date, now: number, className: string): SafeHtml {
  return html`<time class="${className}" datetime="${date.toISOString()}" title="${formatUtc(date)}">${describeRelativeTime(date, now)}</time>`;
}

/**
 * One session: a table row on wide screens, a card on phones (see style.ts),
 * where each date cell shows its `data-label`.
 */
function sessionRow(summary: UserSessionSummary, now: number): SafeHtml {
  return html`<tr class="session-row${summary.current ? ' current' : ''}" data-key="${summary.key}">
  <td class="device"><span class="device-name">${text(summary.data.device, 'Unknown device')}</span>${summary.current ? html`<span class="this-session">this session</span>` : ''}
    <span class="user-agent">${text(summary.data.userAgent, 'No user agent sent')}</span></td>
  <td data-label="Signed in">${time(summary.createdAt, now, 'created')}</td>
  <td data-label="Last seen">${time(summary.lastSeen, now, 'last-seen')}</td>
  <td data-label="Expires">${time(summary.expiresAt, now, 'expires')}</td>
</tr>`;
}

/** The routes of `/account/sessions`; they need the manager to list and destroy sessions. */
export function accountSessionsRouter(manager: SessionManager): Router {
  const router = Router();

  router.get('/account/sessions', async (req: Request, res: Response) => {
    const session = getSession(req);
    const user = session.userId;
    if (user === null) {
      res.redirect(303, '/login');
      return;
    }
    const sessions = await manager.listUserSessions(user, { current: session });
    const now = Date.now();
    const others = sessions.filter((summary) => !summary.current).length;
    sendPage(res, {
      title: "Where you're logged in",
      path: '/account',
      flashes: session.popFlash().map(String),
      body: html`
<div class="card">
  <p>Sessions of <strong id="user">${user}</strong>, most recently used first.</p>
  <table id="sessions" class="sessions">
    <thead><tr><th scope="col">Device</th><th scope="col">Signed in</th><th scope="col">Last seen</th><th scope="col">Expires</th></tr></thead>
    <tbody>
${sessions.map((summary) => sessionRow(summary, now))}
    </tbody>
  </table>
</div>
<form method="post" action="/account/sessions/sign-out-others" class="card wide">
  ${csrfField(session)}
  <p class="muted">Lost a device or changed your password? Signing out ends every session but this one at once.</p>
  <button type="submit" id="sign-out-others"${others === 0 ? html` disabled` : ''}>Sign out all other sessions</button>
</form>
<p><a href="/account">Back to your account</a></p>`,
    });
  });

  router.post('/account/sessions/sign-out-others', async (req: Request, res: Response) => {
    const session = getSession(req);
    const user = session.userId;
    if (user === null) {
      res.redirect(303, '/login');
      return;
    }
    // Destroyed on the server, not just forgotten: their cookies stop working
    // at once (OWASP: logout invalidates the session on the server; CVE-2024-31999).
    const count = await manager.destroyUserSessions(user, { except: session });
    session.flash(signedOutMessage(count));
    res.redirect(303, '/account/sessions');
  });

  return router;
}
