import { renderCart, renderPage } from '../utils/pages';

export default defineEventHandler((event) => {
  const session = event.context.session;
  const flashes = session.popFlash<string>();
  return renderPage('Cart', renderCart(session, flashes, session.get('cart', [])));
});
