/**
 * The overview: live sessions, users, sessions created and expiring per
 * hour, the size histogram and the users with the most sessions. One
 * `describeSessions()` call: the store computes the figures (SQL `GROUP BY`,
 * or one walk), nothing is counted here.
 * @module
 */

import type { SessionOverview } from '../core/index.js';
import { renderHourChart, renderSizeChart } from './charts.js';
import { formatCount, formatTime } from './format.js';
import { type Html, html } from './html.js';
import { adminUrl } from './links.js';

/** The overview page's content. */
export function renderOverview(overview: SessionOverview, basePath: string, hours: number): Html {
  const created = overview.createdPerHour.reduce((sum, entry) => sum + entry.sessions, 0);
  const expiring = overview.expiringPerHour.reduce((sum, entry) => sum + entry.sessions, 0);
  const sampled =
    overview.sizesMeasured < overview.live
      ? html` <small>(a sample of ${formatCount(overview.sizesMeasured)} sessions)</small>`
      : '';
  const topUsers =
    overview.topUsers.length === 0
      ? html`<p class="muted">No session belongs to a user.</p>`
      : html`<div class="table"><table id="top-users"><thead><tr><th>User</th><th class="num">Sessions</th></tr></thead><tbody>${overview.topUsers.map(
          (entry) =>
            html`<tr><td><a href="${adminUrl(basePath, '/sessions', { user: entry.userId })}">${entry.userId}</a></td><td class="num">${formatCount(entry.sessions)}</td></tr>`,
        )}</tbody></table></div>`;
  return html`<h1>Overview</h1>
<section class="figures">
<div class="figure"><small>Live sessions</small><b id="live">${formatCount(overview.live)}</b></div>
<div class="figure"><small>Users with sessions</small><b id="users">${formatCount(overview.users)}</b></div>
<div class="figure"><small>Created, last ${hours} h</small><b id="created">${formatCount(created)}</b></div>
<div class="figure"><small>Expiring, next ${hours} h</small><b id="expiring">${formatCount(expiring)}</b></div>
</section>
<section id="created-chart"><h2>Sessions created per hour, last ${hours} h</h2>${renderHourChart(`Live sessions created per hour over the last ${hours} hours`, overview.createdPerHour, 'bar')}</section>
<section id="expiring-chart"><h2>Sessions expiring per hour, next ${hours} h</h2>${renderHourChart(`Live sessions expiring per hour over the next ${hours} hours`, overview.expiringPerHour, 'bar2')}</section>
<section id="size-chart"><h2>Session sizes${sampled}</h2>${renderSizeChart(overview.sizes)}</section>
<section><h2>Users with the most sessions</h2>${topUsers}</section>
<p class="muted">Figures taken at ${formatTime(overview.at)}.</p>`;
}
