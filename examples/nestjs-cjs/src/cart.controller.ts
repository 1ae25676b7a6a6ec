import { Body, Controller, Get, Header, Post, Redirect } from '@nestjs/common';
import { Session } from 'tessera-session/nestjs';
import { csrfField, escapeHtml, renderPage } from './page';
import type { AppSession } from './session-data';

@Controller('cart')
export class CartController {
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  show(@Session() session: AppSession): string {
    const items = session.get('cart', []);
    const list = items.length
      ? `<ul id="cart">${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`
      : '<p id="cart-empty">Your cart is empty.</p>';
    return renderPage(
      session,
      'Cart',
      `${list}
<form method="post" action="/cart">
  ${csrfField(session)}
  <input name="item" required placeholder="Item"> <button>Add</button>
</form>`,
    );
  }

  /** Adds an item, then redirects (POST → 303 → GET): the flash is shown once. */
  @Post()
  @Redirect('/cart', 303)
  add(@Session() session: AppSession, @Body() form: { item?: unknown }): void {
    const item = typeof form?.item === 'string' ? form.item.trim() : '';
    if (!item) return;
    session.set('cart', [...session.get('cart', []), item]);
    session.flash(`Added ${item} to your cart.`);
  }
}
