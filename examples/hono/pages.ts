/**
 * The example's HTML: one plain layout and the forms, each with the session's
 * CSRF token in a hidden `_csrf` field. `hono/html` escapes every interpolated
 * value.
 *
 * @module
 */
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

/** What a page needs of the session: its CSRF token for the forms. */
export interface CsrfSource {
  csrfToken(): string;
}

/** A piece of HTML, escaped where it was interpolated. */
export type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

/** One line of the cart. */
export interface CartLine {
  item: string;
  qty: number;
}

/** The whole page around `body`. */
export function renderPage(title: string, body: Markup | string): Markup {
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${title}</title></head>
<body>
<nav><a href="/">Counter</a> · <a href="/cart">Cart</a> · <a href="/account">Account</a></nav>
<h1>${title}</h1>
${body}
</body>
</html>`;
}

/** The hidden field the CSRF middleware checks on every POST. */
export function renderCsrfField(session: CsrfSource): Markup {
  return html`<input type="hidden" name="_csrf" value="${session.csrfToken()}">`;
}

/** The counter page. */
export function renderCounter(visits: number): Markup {
  return html`<p id="visits">You have visited this page ${visits} times.</p>`;
}

/** The cart page: this request's flash messages, the lines, the form. */
export function renderCart(
  session: CsrfSource,
  flashes: readonly string[],
  cart: readonly CartLine[],
): Markup {
  return html`${flashes.map((message) => html`<p class="flash">${message}</p>`)}
${
  cart.length === 0
    ? html`<p id="cart-empty">Your cart is empty.</p>`
    : html`<ul id="cart">${cart.map((line) => html`<li>${line.qty} × ${line.item}</li>`)}</ul>`
}
<form method="post" action="/cart">
  ${renderCsrfField(session)}
  <label>Item <input name="item" required maxlength="100"></label>
  <label>Quantity <input name="qty" type="number" min="1" max="1000" value="1" required></label>
  <button type="submit">Add to cart</button>
</form>`;
}

/** The login form; `error` above it when the last attempt failed. */
export function renderLogin(session: CsrfSource, error?: string): Markup {
  return html`${error === undefined ? '' : html`<p id="error">${error}</p>`}
<form method="post" action="/login">
  ${renderCsrfField(session)}
  <label>User name <input name="username" required maxlength="100"></label>
  <button type="submit">Log in</button>
</form>`;
}

/** The account page of a logged-in user, with the logout form. */
export function renderAccount(session: CsrfSource, userId: string): Markup {
  return html`<p>You are logged in as <strong id="user">${userId}</strong>.</p>
<form method="post" action="/logout">
  ${renderCsrfField(session)}
  <button type="submit">Log out</button>
</form>`;
}
