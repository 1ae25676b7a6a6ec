/**
 * One session's record: its metadata, its data keys with their sizes, the
 * values redacted unless one was revealed by a deliberate POST, and the
 * button that revokes it. The page never holds a session id: stores key
 * records by the id's digest.
 * @module
 */

import { decodeValue, type ResolvedSessionOptions, type SessionRecord } from '../core/index.js';
import { formatBytes, formatTime, jsonBytes } from './format.js';
import { renderPostForm } from './forms.js';
import { type Html, html } from './html.js';
import { adminUrl } from './links.js';

/** What the session page shows. */
export interface SessionView {
  readonly key: string;
  readonly record: SessionRecord;
  /** The data key whose value is shown, if one was revealed. */
  readonly revealed: string | undefined;
  /** The manager's options, to estimate when the session was last seen. */
  readonly sessionOptions: Pick<ResolvedSessionOptions, 'cookieAge' | 'idleTimeout'>;
  readonly now: number;
}

/** The session page's content. */
export function renderSession(view: SessionView, basePath: string, csrf: string): Html {
  const { key, record } = view;
  const names = Object.keys(record.data);
  const lastSeen = estimateLastSeen(view);
  const rows = names.map((name) => {
    const value = record.data[name]!;
    const shown =
      name === view.revealed
        ? html`<pre id="revealed-value">${describeDecoded(value)}</pre>`
        : html`<span class="muted">redacted</span> ${renderPostForm(`${basePath}/session/reveal`, csrf, { key, name }, 'Reveal')}`;
    return html`<tr><td><code>${name}</code></td><td class="num">${formatBytes(jsonBytes(value))}</td><td>${shown}</td></tr>`;
  });
  const data =
    names.length === 0
      ? html`<p class="muted">The session holds no data.</p>`
      : html`<div class="table"><table id="data"><thead><tr><th>Key</th><th class="num">Size</th><th>Value</th></tr></thead><tbody>${rows}</tbody></table></div>`;
  return html`<h1>Session</h1>
<section>
<div class="table"><table id="metadata"><tbody>
<tr><th>Store key</th><td><code id="session-key">${key}</code><br><small>The SHA-256 digest of the session id: not a usable cookie.</small></td></tr>
<tr><th>User</th><td>${record.userId === null ? html`<span class="muted">anonymous</span>` : html`<a id="session-user" href="${adminUrl(basePath, '/sessions', { user: record.userId })}">${record.userId}</a>`}</td></tr>
<tr><th>Created</th><td>${formatTime(record.createdAt)}</td></tr>
<tr><th>Last seen</th><td>${lastSeen === undefined ? html`<span class="muted">unknown</span>` : html`${formatTime(lastSeen)} <small>(estimated from the expiry)</small>`}</td></tr>
<tr><th>Expires</th><td>${formatTime(record.expiresAt)}</td></tr>
<tr><th>Size</th><td>${formatBytes(jsonBytes(record.data))} in ${names.length} key${names.length === 1 ? '' : 's'}</td></tr>
</tbody></table></div>
<p>${renderPostForm(`${basePath}/session/revoke`, csrf, { key }, 'Revoke this session', { danger: true, id: 'revoke-session' })}</p>
</section>
<section><h2>Data</h2><p class="muted">Values are hidden until you reveal them one by one: they may hold secrets.</p>${data}</section>`;
}

/** A stored value decoded as the session sees it (the CLI's `inspect`), as indented JSON. */
function describeDecoded(value: SessionRecord['data'][string]): string {
  const copy = JSON.parse(JSON.stringify(value)) as typeof value;
  return JSON.stringify(decodeValue(copy), null, 2) ?? 'undefined';
}

/**
 * When the session was last saved: its expiry minus the lifetime it was saved
 * with (the session's own `_expiry` in seconds, else `cookieAge`, capped by
 * `idleTimeout`), as `manager.listUserSessions()` estimates it; `undefined`
 * when the session set a fixed expiry date.
 */
function estimateLastSeen(view: SessionView): number | undefined {
  const stored = view.record.data._expiry;
  const expiry = stored === undefined ? undefined : decodeValue(stored);
  let lifetime: number | undefined;
  if (expiry === undefined || expiry === 0) lifetime = view.sessionOptions.cookieAge * 1000;
  else if (typeof expiry === 'number' && expiry > 0) lifetime = expiry * 1000;
  if (view.sessionOptions.idleTimeout !== undefined) {
    lifetime = Math.min(
      lifetime ?? Number.POSITIVE_INFINITY,
      view.sessionOptions.idleTimeout * 1000,
    );
  }
  if (lifetime === undefined) return undefined;
  return Math.min(view.now, Math.max(view.record.createdAt, view.record.expiresAt - lifetime));
}
