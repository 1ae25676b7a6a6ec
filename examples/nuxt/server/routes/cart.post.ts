import { MAX_QTY, MAX_TEXT, readField } from '../utils/sessions';

export default defineEventHandler(async (event) => {
  const session = event.context.session;
  const body = await readBody(event);
  const item = readField(body, 'item');
  const qty = Number(readField(body, 'qty'));
  if (item === '' || item.length > MAX_TEXT || !Number.isInteger(qty) || qty < 1 || qty > MAX_QTY) {
    session.flash(`Please name an item and a quantity from 1 to ${MAX_QTY}.`);
    return sendRedirect(event, '/cart', 303);
  }
  // A new array: the session saves what set() is given, never a mutated copy.
  session.set('cart', [...session.get('cart', []), { item, qty }]);
  session.flash(`Added ${qty} × ${item}`);
  // sendRedirect() ends the response itself; the session is saved first all the same.
  return sendRedirect(event, '/cart', 303);
});
