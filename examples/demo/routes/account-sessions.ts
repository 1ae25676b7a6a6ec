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

/** The flash shown after signing the other sessions out. */
export function signedOutMessage(count: number): string {
  return `Signed out ${count} other ${count === 1 ? 'session' : 'sessions'}`;
}

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

function time(date: Date, className: string): SafeHtml {
  const iso = date.toISOString();
  return html`<time class="${className}" datetime="${iso}">${iso.slice(0, 19).replace('T', ' ')} UTC</time>`;
}

function sessionRow(summary: UserSessionSummary): SafeHtml {
  return html`<tr class="session-row${summary.current ? ' current' : ''}" data-key="${summary.key}">
  <td class="device">${text(summary.data.device, 'Unknown device')}${summary.current ? html` <strong class="this-session">(this session)</strong>` : ''}</td>
  <td class="user-agent"><code>${text(summary.data.userAgent, 'none sent')}</code></td>
  <td>${time(summary.createdAt, 'created')}</td>
  <td>${time(summary.lastSeen, 'last-seen')}</td>
  <td>${time(summary.expiresAt, 'expires')}</td>
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
    const others = sessions.filter((summary) => !summary.current).length;
    sendPage(res, {
      title: "Where you're logged in",
      path: '/account',
      flashes: session.popFlash().map(String),
      body: html`
<div class="card">
  <p>Sessions of <strong id="user">${user}</strong>, most recently used first.</p>
  <table id="sessions">
    <thead><tr><th>Device</th><th>User agent</th><th>Created</th><th>Last seen</th><th>Expires</th></tr></thead>
    <tbody>
${sessions.map(sessionRow)}
    </tbody>
  </table>
</div>
<form method="post" action="/account/sessions/sign-out-others" class="card">
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
