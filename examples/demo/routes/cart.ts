/**
 * `/cart`: a shopping cart kept in the session, with flash messages and a
 * checkout that cannot place the same order twice.
 *
 * @module
 */
import { type Request, type Response, Router } from 'express';
import { getSession } from '../../../src/adapters/express/index.js';
import { type CsrfSession, csrfField } from '../csrf-field.js';
import { formField } from '../form.js';
import { html } from '../html.js';
import { sendPage } from '../layout.js';
import type { CartEntry, DemoSessionData } from '../session-data.js';

/** The most of one item a single post may add. */
export const MAX_QTY = 1000;
/** The longest item name accepted. */
export const MAX_ITEM_LENGTH = 100;

interface CartLine {
  item: string;
  qty: number;
}

/** Validates a posted cart line; answers an error message when it is invalid. */
export function parseCartLine(
  item: string | undefined,
  qty: string | undefined,
): CartLine | string {
  const name = item?.trim() ?? '';
  if (name === '') return 'Please name the item.';
  if (name.length > MAX_ITEM_LENGTH)
    return `Item names have at most ${MAX_ITEM_LENGTH} characters.`;
  if (qty === undefined || !/^[0-9]{1,4}$/.test(qty.trim())) {
    return `The quantity must be a whole number from 1 to ${MAX_QTY}.`;
  }
  const count = Number(qty.trim());
  if (count < 1 || count > MAX_QTY)
    return `The quantity must be a whole number from 1 to ${MAX_QTY}.`;
  return { item: name, qty: count };
}

function cartForm(session: CsrfSession, values: { item?: string; qty?: string } = {}) {
  return html`
<form method="post" action="/cart" class="card">
  ${csrfField(session)}
  <label>Item <input name="item" required maxlength="${MAX_ITEM_LENGTH}" value="${values.item ?? ''}" autocomplete="off"></label>
  <label>Quantity <input name="qty" type="number" min="1" max="${MAX_QTY}" step="1" value="${values.qty ?? '1'}" required></label>
  <button type="submit">Add to cart</button>
</form>`;
}

function cartList(cart: readonly CartEntry[]) {
  if (cart.length === 0) return html`<p class="muted" id="cart-empty">Your cart is empty.</p>`;
  return html`<ul class="cart" id="cart">${cart.map(
    (entry) =>
      html`<li class="cart-item" data-item="${entry.name}" data-qty="${entry.qty}"><span>${entry.name}</span><span class="qty">× ${entry.qty}</span></li>`,
  )}</ul>`;
}

export function cartRouter(): Router {
  const router = Router();

  router.get('/cart', (req: Request, res: Response) => {
    const session = getSession<DemoSessionData>(req);
    const flashes = session.popFlash().map(String);
    const cart = session.get('cart') ?? [];
    const orders = session.get('orders') ?? 0;
    sendPage(res, {
      title: 'Cart',
      path: '/cart',
      flashes,
      body: html`
<div class="card">
  ${cartList(cart)}
  <p class="muted">Orders placed: <span id="orders">${orders}</span></p>
  <form method="post" action="/cart/checkout" class="checkout">${csrfField(session)}<button type="submit" id="checkout">Check out</button></form>
</div>
${cartForm(session)}`,
    });
  });

  router.post('/cart', (req: Request, res: Response) => {
    const session = getSession<DemoSessionData>(req);
    const item = formField(req, 'item');
    const qty = formField(req, 'qty');
    const line = parseCartLine(item, qty);
    if (typeof line === 'string') {
      sendPage(res, {
        status: 400,
        title: 'Cart',
        path: '/cart',
        body: html`<p class="error" id="error">${line}</p>${cartForm(session, { item, qty })}`,
      });
      return;
    }
    // Changes the stored cart in place: the session notices and saves it.
    const cart = session.setDefault('cart', []);
    const entry = cart.find((candidate) => candidate.name === line.item);
    if (entry) entry.qty += line.qty;
    else cart.push({ name: line.item, qty: line.qty });
    session.flash(`Added ${line.qty} × ${line.item}`);
    res.redirect(303, '/cart');
  });

  router.post('/cart/checkout', (req: Request, res: Response) => {
    const session = getSession<DemoSessionData>(req);
    const cart = session.get('cart') ?? [];
    if (cart.length === 0) {
      session.flash('Your cart is empty');
    } else {
      session.delete('cart');
      session.set('orders', (session.get('orders') ?? 0) + 1);
      session.flash('Order placed');
    }
    res.redirect(303, '/cart');
  });

  return router;
}
