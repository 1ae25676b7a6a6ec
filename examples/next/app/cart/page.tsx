import { CsrfField } from '../../lib/csrf-field';
import { readFlash } from '../../lib/read-flash';
import { readSession } from '../../lib/read-session';
import { addToCart } from './actions';

/** The cart: a Server Component, with a Server Action for its form. */
export default async function CartPage() {
  const session = await readSession();
  const cart = session.get('cart', []);
  const flash = await readFlash();
  return (
    <>
      <h1>Cart</h1>
      {flash.map((message) => (
        <p className="flash" key={message}>
          {message}
        </p>
      ))}
      <ul id="cart">
        {cart.map((item, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the same item may be added twice
          <li key={index}>{item}</li>
        ))}
      </ul>
      <form action={addToCart}>
        <CsrfField session={session} />
        <input name="item" required />
        <button type="submit">Add</button>
      </form>
    </>
  );
}
