import type { AppSession } from './session-data.js';

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** The hidden field every form carries: the session's CSRF token. */
export function csrfField(session: AppSession): string {
  return `<input type="hidden" name="_csrf" value="${escapeHtml(session.csrfToken())}">`;
}

/** A whole page: navigation, who is logged in, the flash messages, then `body`. */
export function renderPage(session: AppSession, title: string, body: string): string {
  const flashes = session
    .popFlash<string>()
    .map((message) => `<p class="flash">${escapeHtml(message)}</p>`)
    .join('');
  const username = session.userId; // set by session.login()
  const account = username
    ? `Logged in as <b id="user">${escapeHtml(username)}</b>
       <form method="post" action="/logout" style="display:inline">${csrfField(session)}<button>Log out</button></form>
       <form method="post" action="/logout/others" style="display:inline">${csrfField(session)}<button>Log out everywhere else</button></form>`
    : '<a href="/login">Log in</a>';
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)} · Tessera on NestJS</title></head>
<body>
<nav><a href="/">Counter</a> · <a href="/cart">Cart</a> · ${account}</nav>
${flashes}
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>
`;
}
