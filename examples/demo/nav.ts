/**
 * The navigation bar: the demo's pages, then who is logged in with a
 * "Log out" button, or a "Log in" link.
 *
 * @module
 */
import type { Session } from '../../src/core/index.js';
import { csrfField } from './csrf-field.js';
import { html, type SafeHtml } from './html.js';

/** What the navigation needs of a session: who is logged in, and the CSRF token. */
export type NavSession = Pick<Session, 'userId' | 'csrfToken'>;

/** The pages linked from the navigation bar. */
const NAV_LINKS: ReadonlyArray<readonly [href: string, label: string]> = [
  ['/', 'Visits'],
  ['/counter', 'Counter'],
  ['/cart', 'Cart'],
  ['/comment', 'Comment'],
  ['/account', 'Account'],
];

function navLink(href: string, label: string, path: string | undefined, id?: string): SafeHtml {
  return html`<a href="${href}"${id ? html` id="${id}"` : ''}${href === path ? html` aria-current="page"` : ''}>${label}</a>`;
}

/**
 * Logged in: the user's name and a "Log out" button, a POST form carrying the
 * CSRF token like every other form (a GET link would let any site log the
 * visitor out with an `<img>`). Logged out, or without a session (an error
 * page before the session was read): a "Log in" link.
 */
function accountArea(path: string | undefined, session: NavSession | undefined): SafeHtml {
  const user = session?.userId;
  if (!session || user === null || user === undefined) {
    return html`<div class="auth">${navLink('/login', 'Log in', path, 'nav-login')}</div>`;
  }
  return html`<div class="auth"><span class="nav-user"><span class="nav-user-label">Logged in as</span> <strong id="nav-user" title="${user}">${user}</strong></span>
<form method="post" action="/logout" class="nav-logout">${csrfField(session)}<button type="submit" id="nav-logout">Log out</button></form></div>`;
}

/** The header's navigation for the page at `path`, for the visitor of `session`. */
export function renderNavigation(
  path: string | undefined,
  session: NavSession | undefined,
): SafeHtml {
  const links = NAV_LINKS.map(([href, label]) => navLink(href, label, path));
  return html`<nav aria-label="Demo pages">${links}</nav>${accountArea(path, session)}`;
}
