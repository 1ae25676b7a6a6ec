/**
 * The page layout shared by every page of the demo: head, inline CSS,
 * navigation and flash messages.
 *
 * @module
 */
import type { Response } from 'express';
import { html, raw, type SafeHtml } from './html.js';

/** The pages linked from the navigation bar. */
const NAV_LINKS: ReadonlyArray<readonly [href: string, label: string]> = [
  ['/', 'Visits'],
  ['/counter', 'Counter'],
  ['/cart', 'Cart'],
  ['/login', 'Log in'],
  ['/account', 'Account'],
  ['/comment', 'Comment'],
];

const STYLE = `
  :root { color-scheme: light; --accent: #3b5bdb; --muted: #667085; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2433; background: #f5f7fb; }
  header { background: #1d2433; color: #fff; }
  header .inner, main { max-width: 44rem; margin: 0 auto; padding: 0 1.25rem; }
  header .inner { display: flex; flex-wrap: wrap; align-items: center; gap: 1.25rem; min-height: 3.5rem; }
  header strong { letter-spacing: .04em; }
  nav { display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
  nav a { color: #c9d3ff; text-decoration: none; }
  nav a:hover, nav a[aria-current="page"] { color: #fff; text-decoration: underline; }
  main { padding-top: 1.5rem; padding-bottom: 3rem; }
  h1 { font-size: 1.6rem; margin: 0 0 1rem; }
  .card { background: #fff; border: 1px solid #e3e8f0; border-radius: .6rem; padding: 1rem 1.25rem; margin: 1rem 0; }
  .flash { background: #e7f5ec; border: 1px solid #a6dbb8; color: #1f6b3a; border-radius: .5rem; padding: .6rem 1rem; margin: 0 0 .6rem; }
  .error { background: #fdecec; border: 1px solid #f3b3b3; color: #8a1c1c; border-radius: .5rem; padding: .6rem 1rem; }
  form { display: grid; gap: .75rem; max-width: 24rem; }
  form.checkout { margin-top: 1rem; }
  label { display: grid; gap: .2rem; font-weight: 600; font-size: .9rem; }
  input, textarea { font: inherit; font-weight: 400; padding: .45rem .6rem; border: 1px solid #c5cdd9; border-radius: .4rem; }
  button { font: inherit; justify-self: start; padding: .45rem 1rem; border: 0; border-radius: .4rem; background: var(--accent); color: #fff; cursor: pointer; }
  button.secondary { background: #e3e8f0; color: #1d2433; }
  ul.cart { list-style: none; padding: 0; margin: 0; }
  .cart-item { display: flex; justify-content: space-between; padding: .4rem 0; border-bottom: 1px solid #eef1f6; }
  .cart-item:last-child { border-bottom: 0; }
  .qty { font-variant-numeric: tabular-nums; color: var(--muted); }
  .muted { color: var(--muted); }
  table { width: 100%; border-collapse: collapse; font-size: .9rem; }
  th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid #eef1f6; }
  tr.current { background: #eef3ff; }
  td.user-agent code { word-break: break-all; }
  button:disabled { opacity: .5; cursor: default; }
  code { background: #eef1f6; padding: .05rem .3rem; border-radius: .25rem; }
`;

export interface PageOptions {
  /** The page title, also shown as the main heading. */
  title: string;
  /** The page's content. */
  body: SafeHtml;
  /** The path of the current page, highlighted in the navigation. */
  path?: string;
  /** Flash messages to show once, above the content. */
  flashes?: readonly string[];
}

/** Renders a whole HTML document around `body`. */
export function layout({ title, body, path, flashes = [] }: PageOptions): SafeHtml {
  const links = NAV_LINKS.map(
    ([href, label]) =>
      html`<a href="${href}"${href === path ? html` aria-current="page"` : ''}>${label}</a>`,
  );
  const messages = flashes.map((message) => html`<p class="flash" role="status">${message}</p>`);
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Tessera demo</title>
<style>${raw(STYLE)}</style>
</head>
<body>
<header><div class="inner"><strong>Tessera demo</strong><nav>${links}</nav></div></header>
<main>
${messages}
<h1>${title}</h1>
${body}
</main>
</body>
</html>
`;
}

/** Sends a page rendered with {@link layout}. */
export function sendPage(res: Response, options: PageOptions & { status?: number }): void {
  res
    .status(options.status ?? 200)
    .type('html')
    .send(layout(options).value);
}
