/**
 * HTML for the admin pages: escaping, the page frame with its one inline
 * stylesheet, and the response headers every answer carries.
 *
 * Everything shown comes from the store, and user ids, data keys and values
 * are chosen by whoever can log in or write a session: every string goes
 * through {@link escapeHtml} (OWASP XSS Prevention Cheat Sheet, rule 1 and 2:
 * the same escaping serves element content and quoted attributes).
 * @module
 */

/** A fragment of HTML that is already escaped. */
export interface Html {
  readonly html: string;
}

const ESCAPES: Readonly<Record<string, string>> = Object.freeze({
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
});

/** `text` safe inside element content and inside a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character]!);
}

/**
 * A tagged template that escapes every interpolated value except {@link Html}
 * fragments (and arrays of them), so a page cannot forget to escape.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let result = strings[0]!;
  for (let index = 0; index < values.length; index++) {
    result += renderValue(values[index]) + strings[index + 1]!;
  }
  return { html: result };
}

/** Markup that is trusted as it is (built by this module only). */
export function trustedHtml(markup: string): Html {
  return { html: markup };
}

function renderValue(value: unknown): string {
  if (value === undefined || value === null || value === false) return '';
  if (Array.isArray(value)) return value.map(renderValue).join('');
  if (typeof value === 'object' && typeof (value as Html).html === 'string') {
    return (value as Html).html;
  }
  return escapeHtml(String(value));
}

/**
 * The Content-Security-Policy of every page: no script at all, styles only
 * inline, forms only to this origin, never framed (clickjacking on the revoke
 * buttons).
 */
export const ADMIN_CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'";

/** Headers every admin answer carries. */
export function createAdminHeaders(contentType = 'text/html; charset=utf-8'): Headers {
  return new Headers({
    'Content-Type': contentType,
    'Content-Security-Policy': ADMIN_CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
}

const STYLE = `
:root{color-scheme:light dark;--fg:#1d2330;--muted:#5c6577;--bg:#f6f7f9;--card:#fff;--line:#dde1e8;--accent:#2f5bd3;--danger:#b3261e;--bar:#4a72e0;--bar2:#d97a1f}
@media (prefers-color-scheme:dark){:root{--fg:#e6e9ef;--muted:#9aa3b5;--bg:#14171d;--card:#1d2129;--line:#2e3441;--accent:#8fb0ff;--danger:#ff8a80;--bar:#7d9cf0;--bar2:#f0a45c}}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding:.75rem 1rem;background:var(--card);border-bottom:1px solid var(--line)}
header strong{margin-right:auto}
nav a{margin-right:.75rem}
a{color:var(--accent)}
main{max-width:70rem;margin:0 auto;padding:1rem}
h1{font-size:1.35rem;margin:.25rem 0 1rem}
h2{font-size:1.05rem;margin:0 0 .5rem}
section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:1rem;margin-bottom:1rem;overflow-wrap:anywhere}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:1rem}
.figure b{display:block;font-size:1.8rem;font-variant-numeric:tabular-nums}
.muted,small{color:var(--muted)}
.notice{border-color:var(--accent)}
.error{border-color:var(--danger)}
.table{overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{overflow-wrap:normal}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.user{min-width:4.5rem}
code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;overflow-wrap:anywhere}
pre{white-space:pre-wrap;overflow-wrap:anywhere;margin:.25rem 0;font:13px/1.4 ui-monospace,monospace}
form.inline{display:inline}
input[type=search]{padding:.35rem .5rem;border:1px solid var(--line);border-radius:6px;min-width:0;width:12rem;max-width:100%;background:var(--bg);color:var(--fg)}
button{padding:.35rem .75rem;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg);cursor:pointer;font:inherit}
button.danger{border-color:var(--danger);color:var(--danger)}
svg{display:block;width:100%;max-width:44rem;height:auto}
svg text{fill:var(--muted);font-size:15px}
svg .bar{fill:var(--bar)}
svg .bar2{fill:var(--bar2)}
.row{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
@media (max-width:40rem){main{padding:.5rem}section{padding:.75rem}.hide-narrow{display:none}th,td{padding:.35rem .25rem}}
`;

/** What the frame of a page needs. */
export interface PageFrame {
  /** The page's title (escaped). */
  readonly title: string;
  /** The admin's title, shown in the header. */
  readonly siteTitle: string;
  /** Where the admin is mounted: links start with it. */
  readonly basePath: string;
  /** The page's content. */
  readonly body: Html;
}

/** A whole HTML document around `frame.body`. */
export function renderPage(frame: PageFrame): string {
  const base = frame.basePath;
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${frame.title} · ${frame.siteTitle}</title>
<style>${trustedHtml(STYLE)}</style>
</head>
<body>
<header>
<strong>${frame.siteTitle}</strong>
<nav><a href="${base}/">Overview</a><a href="${base}/sessions">Sessions</a></nav>
<form method="get" action="${base}/sessions" role="search">
<input type="search" name="user" placeholder="User id" aria-label="User id" maxlength="256" required>
<button type="submit">Search</button>
</form>
</header>
<main>
${frame.body}
</main>
</body>
</html>
`;
  return page.html;
}
