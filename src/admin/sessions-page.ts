/**
 * The list of sessions: one `pageSessions()` page (by creation or last use,
 * optionally of one user) with a link to the next, and for one user their
 * count and a button that revokes them all.
 * @module
 */

import type { SessionListOrder, SessionPage } from '../core/index.js';
import { formatBytes, formatCount, formatTime, jsonBytes } from './format.js';
import { renderPostForm } from './forms.js';
import { type Html, html } from './html.js';
import { adminUrl } from './links.js';

/** What the list shows. */
export interface SessionsView {
  readonly page: SessionPage;
  readonly order: SessionListOrder;
  /** The user filtered on, if any. */
  readonly userId: string | undefined;
  /** Live sessions matching the filter. */
  readonly count: number;
  /** Whether this is a later page (reached through a cursor). */
  readonly paged: boolean;
}

/** The sessions page's content. */
export function renderSessions(view: SessionsView, basePath: string, csrf: string): Html {
  const { page, order, userId } = view;
  const link = (query: Record<string, string | undefined>) =>
    adminUrl(basePath, '/sessions', { user: userId, ...query });
  const orderLink = (value: SessionListOrder, label: string) =>
    value === order
      ? html`<strong>${label}</strong>`
      : html`<a href="${link({ order: value === 'created' ? undefined : value })}">${label}</a>`;
  const heading =
    userId === undefined
      ? html`<h1>Sessions</h1><p><span id="count">${formatCount(view.count)}</span> live sessions.</p>`
      : html`<h1>Sessions of <code id="user-id">${userId}</code></h1>
<section class="row"><span><span id="count">${formatCount(view.count)}</span> live session${view.count === 1 ? '' : 's'}.</span>
${renderPostForm(`${basePath}/user/revoke`, csrf, { user: userId }, 'Revoke all sessions of this user', { danger: true, id: 'revoke-user' })}
<a href="${adminUrl(basePath, '/sessions')}">All sessions</a></section>`;
  const rows = page.sessions.map(
    (session) =>
      html`<tr><td><a href="${adminUrl(basePath, '/session', { key: session.key })}"><code title="${session.key}">${session.key.slice(0, 12)}…</code></a></td><td class="user">${session.userId === null ? html`<span class="muted">anonymous</span>` : html`<a href="${adminUrl(basePath, '/sessions', { user: session.userId })}">${session.userId}</a>`}</td><td>${formatTime(session.createdAt)}</td><td class="hide-narrow">${formatTime(session.expiresAt)}</td><td class="num hide-narrow">${Object.keys(session.data).length}</td><td class="num">${formatBytes(jsonBytes(session.data))}</td></tr>`,
  );
  const table =
    page.sessions.length === 0
      ? html`<p class="muted">No live session${view.paged ? ' on this page' : ''}.</p>`
      : html`<div class="table"><table id="sessions"><thead><tr><th>Key</th><th>User</th><th>Created</th><th class="hide-narrow">Expires</th><th class="num hide-narrow">Keys</th><th class="num">Size</th></tr></thead><tbody>${rows}</tbody></table></div>`;
  const next =
    page.nextCursor === null
      ? ''
      : html`<a id="next-page" href="${link({ order: order === 'created' ? undefined : order, cursor: page.nextCursor })}">Next page</a>`;
  return html`${heading}
<section>
<p class="row"><span>Order: ${orderLink('created', 'newest created')} · ${orderLink('lastUsed', 'last used')}</span>${view.paged ? html`<a href="${link({ order: order === 'created' ? undefined : order })}">First page</a>` : ''}</p>
${table}
<p class="row">${next}</p>
</section>`;
}
