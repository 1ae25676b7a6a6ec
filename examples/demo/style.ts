/**
 * The demo's CSS, inlined into every page: one column up to 48rem wide, and
 * under 40rem (phones) tighter margins and the sessions table as cards.
 *
 * @module
 */

/** The style sheet of every page. */
export const PAGE_STYLE = `
  :root { color-scheme: light; --accent: #3b5bdb; --muted: #667085; --line: #e3e8f0; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2433; background: #f5f7fb; }
  header { background: #1d2433; color: #fff; }
  header .inner, main { max-width: 52rem; margin: 0 auto; padding: 0 1.25rem; }
  header .inner { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.25rem; padding-top: .6rem; padding-bottom: .6rem; }
  header .brand { letter-spacing: .04em; }
  nav { display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
  header a { color: #c9d3ff; text-decoration: none; }
  header a:hover, header a[aria-current="page"] { color: #fff; text-decoration: underline; }
  .auth { display: flex; align-items: center; gap: .75rem; margin-left: auto; min-width: 0; }
  .nav-user { color: #c9d3ff; white-space: nowrap; min-width: 0; display: flex; gap: .3rem; }
  .nav-user strong { color: #fff; max-width: 10rem; overflow: hidden; text-overflow: ellipsis; }
  form.nav-logout { display: block; margin: 0; }
  form.nav-logout button { padding: .15rem .7rem; background: transparent; border: 1px solid #56607a; color: #fff; font-size: .9rem; }
  form.nav-logout button:hover { border-color: #c9d3ff; }
  main { padding-top: 1.5rem; padding-bottom: 3rem; }
  h1 { font-size: 1.6rem; margin: 0 0 1rem; }
  .card { background: #fff; border: 1px solid var(--line); border-radius: .6rem; padding: 1rem 1.25rem; margin: 1rem 0; }
  .card > :first-child { margin-top: 0; }
  .card > :last-child { margin-bottom: 0; }
  .flash { background: #e7f5ec; border: 1px solid #a6dbb8; color: #1f6b3a; border-radius: .5rem; padding: .6rem 1rem; margin: 0 0 .6rem; }
  .error { background: #fdecec; border: 1px solid #f3b3b3; color: #8a1c1c; border-radius: .5rem; padding: .6rem 1rem; }
  form { display: grid; gap: .75rem; max-width: 24rem; }
  form.checkout { margin-top: 1rem; }
  form.wide { max-width: none; }
  form > p { margin: 0; }
  label { display: grid; gap: .2rem; font-weight: 600; font-size: .9rem; }
  input, textarea { font: inherit; font-weight: 400; padding: .45rem .6rem; border: 1px solid #c5cdd9; border-radius: .4rem; }
  button { font: inherit; justify-self: start; padding: .45rem 1rem; border: 0; border-radius: .4rem; background: var(--accent); color: #fff; cursor: pointer; }
  button.secondary { background: var(--line); color: #1d2433; }
  button:disabled { opacity: .5; cursor: default; }
  blockquote { margin: .75rem 0; padding: .5rem .9rem; border-left: 4px solid var(--accent); background: #f5f7fb; white-space: pre-wrap; overflow-wrap: anywhere; }
  ul.cart { list-style: none; padding: 0; margin: 0; }
  .cart-item { display: flex; justify-content: space-between; padding: .4rem 0; border-bottom: 1px solid #eef1f6; }
  .cart-item:last-child { border-bottom: 0; }
  .qty { font-variant-numeric: tabular-nums; color: var(--muted); }
  .muted { color: var(--muted); }
  code { background: #eef1f6; padding: .05rem .3rem; border-radius: .25rem; }
  table { width: 100%; border-collapse: collapse; font-size: .9rem; }
  th, td { text-align: left; vertical-align: top; padding: .5rem .5rem; border-bottom: 1px solid #eef1f6; }
  th { color: var(--muted); font-weight: 600; white-space: nowrap; }
  tbody tr:last-child td { border-bottom: 0; }
  tr.current { background: #eef3ff; }
  .sessions time { white-space: nowrap; }
  .device-name { font-weight: 600; }
  .this-session { display: inline-block; margin-left: .4rem; padding: 0 .45rem; border-radius: 1rem; background: var(--accent); color: #fff; font-size: .75rem; font-weight: 600; vertical-align: .1em; }
  /* Whole words only; a token too long for any line (a forged header) may break. */
  .user-agent { display: block; margin-top: .2rem; color: var(--muted); font-size: .8rem; line-height: 1.4; overflow-wrap: anywhere; }
  @media (max-width: 40rem) {
    header .inner, main { padding-left: 1rem; padding-right: 1rem; }
    /* The brand and who is logged in on the first line, the pages on the second. */
    header nav { order: 1; flex-basis: 100%; }
    .nav-user-label { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
    .nav-user strong { max-width: 7rem; }
    .card { padding: .9rem 1rem; }
    /* Each session becomes a card: the device on top, then one labelled line per date. */
    table.sessions, table.sessions tbody, table.sessions tr, table.sessions td { display: block; }
    table.sessions thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
    table.sessions tr { border: 1px solid var(--line); border-radius: .5rem; padding: .6rem .75rem; margin: .75rem 0 0; }
    table.sessions td { border: 0; padding: .15rem 0; }
    table.sessions td.device { padding-bottom: .4rem; }
    table.sessions td[data-label] { display: flex; justify-content: space-between; gap: 1rem; }
    table.sessions td[data-label]::before { content: attr(data-label); color: var(--muted); }
  }
`;
