/**
 * The example's HTML: one plain layout and the forms, each with the session's
 * CSRF token in a hidden `_csrf` field. Every value put into a page goes
 * through {@link escapeHtml}.
 *
 * @module
 */

/** What a page needs of the session: its CSRF token for the forms. */
export interface CsrfSource {
  csrfToken(): string;
}

/** One line of the cart. */
export interface CartLine {
  item: string;
  qty: number;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** `text` safe to put in HTML text or a quoted attribute. */
export function escapeHtml(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** The whole page around `body` (already HTML). */
export function renderPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body>
<nav><a href="/">Counter</a> · <a href="/cart">Cart</a> · <a href="/account">Account</a></nav>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>`;
}

/** The hidden field checked on every POST. */
export function renderCsrfField(session: CsrfSource): string {
  return `<input type="hidden" name="_csrf" value="${escapeHtml(session.csrfToken())}">`;
}

/** The counter page. */
export function renderCounter(visits: number): string {
  return `<p id="visits">You have visited this page ${visits} ${visits === 1 ? 'time' : 'times'}.</p>`;
}

/** The cart page: this request's flash messages, the lines, the form. */
export function renderCart(
  session: CsrfSource,
  flashes: readonly string[],
  cart: readonly CartLine[],
): string {
  const messages = flashes.map((message) => `<p class="flash">${escapeHtml(message)}</p>`).join('');
  const lines =
    cart.length === 0
      ? '<p id="cart-empty">Your cart is empty.</p>'
      : `<ul id="cart">${cart.map((line) => `<li>${escapeHtml(line.qty)} × ${escapeHtml(line.item)}</li>`).join('')}</ul>`;
  return `${messages}
${lines}
<form method="post" action="/cart">
  ${renderCsrfField(session)}
  <label>Item <input name="item" required maxlength="100"></label>
  <label>Quantity <input name="qty" type="number" min="1" max="1000" value="1" required></label>
  <button type="submit">Add to cart</button>
</form>`;
}

/** The login form; `error` above it when the last attempt failed. */
export function renderLogin(session: CsrfSource, error?: string): string {
  return `${error === undefined ? '' : `<p id="error">${escapeHtml(error)}</p>`}
<form method="post" action="/login">
  ${renderCsrfField(session)}
  <label>User name <input name="username" required maxlength="100"></label>
  <button type="submit">Log in</button>
</form>`;
}

/** The account page of a logged-in user, with the logout form. */
export function renderAccount(session: CsrfSource, userId: string): string {
  return `<p>You are logged in as <strong id="user">${escapeHtml(userId)}</strong>.</p>
<form method="post" action="/logout">
  ${renderCsrfField(session)}
  <button type="submit">Log out</button>
</form>`;
}
