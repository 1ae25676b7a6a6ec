/**
 * The page layout shared by every page of the demo: head, inline CSS,
 * navigation and flash messages.
 *
 * @module
 */
import type { Response } from 'express';
import type { SessionRequest } from '../../src/adapters/express/index.js';
import { html, raw, type SafeHtml } from './html.js';
import { type NavSession, renderNavigation } from './nav.js';
import { PAGE_STYLE } from './style.js';

export interface PageOptions {
  /** The page title, also shown as the main heading. */
  title: string;
  /** The page's content. */
  body: SafeHtml;
  /** The path of the current page, highlighted in the navigation. */
  path?: string;
  /** Flash messages to show once, above the content. */
  flashes?: readonly string[];
  /** The visitor's session, for "Logged in as … / Log out" or "Log in" in the navigation. */
  session?: NavSession;
}

/** Renders a whole HTML document around `body`. */
export function layout({ title, body, path, flashes = [], session }: PageOptions): SafeHtml {
  const messages = flashes.map((message) => html`<p class="flash" role="status">${message}</p>`);
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Tessera demo</title>
<style>${raw(PAGE_STYLE)}</style>
</head>
<body>
<header><div class="inner"><strong class="brand">Tessera demo</strong>${renderNavigation(path, session)}</div></header>
<main>
${messages}
<h1>${title}</h1>
${body}
</main>
</body>
</html>
`;
}

/**
 * Sends a page rendered with {@link layout}. The navigation shows the session
 * of the request, if the session middleware attached one (error pages of a
 * body too large or a store that is down come before it, or without it).
 */
export function sendPage(res: Response, options: PageOptions & { status?: number }): void {
  const { session } = res.req as Partial<SessionRequest>;
  res
    .status(options.status ?? 200)
    .type('html')
    .send(layout({ session, ...options }).value);
}
