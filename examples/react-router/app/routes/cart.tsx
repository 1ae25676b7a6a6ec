import { data, redirect } from 'react-router';
import { CsrfField } from '../components/csrf-field';
import { Flash } from '../components/flash';
import { Nav } from '../components/nav';
import { commitSession, getSession, requireCsrfToken } from '../sessions.server';
import type { Route } from './+types/cart';

const ITEMS = ['apple', 'pear', 'plum'];

export async function loader({ request }: Route.LoaderArgs) {
  const session = await getSession(request.headers.get('Cookie'));
  const page = {
    cart: session.get('cart') ?? [],
    message: session.get('message'), // "Added …", once, after the redirect
    user: session.tessera.userId,
    csrfToken: session.tessera.csrfToken(),
  };
  return data(page, { headers: { 'Set-Cookie': await commitSession(session) } });
}

/** Adds an item, leaves a flash message, and redirects (POST → 303 → GET). */
export async function action({ request }: Route.ActionArgs) {
  const session = await getSession(request.headers.get('Cookie'));
  const form = await request.formData();
  await requireCsrfToken(request, session, form);
  const item = String(form.get('item') ?? '');
  if (!ITEMS.includes(item)) throw data(`Unknown item "${item}".`, { status: 400 });
  session.set('cart', [...(session.get('cart') ?? []), item]);
  session.flash('message', `Added ${item} to your cart.`);
  return redirect('/cart', {
    status: 303,
    headers: { 'Set-Cookie': await commitSession(session) },
  });
}

export default function Cart({ loaderData }: Route.ComponentProps) {
  const { cart, message, user, csrfToken } = loaderData;
  return (
    <main>
      <Nav user={user} csrfToken={csrfToken} />
      <h1>Cart</h1>
      <Flash message={message} />
      <p id="cart">
        {cart.length === 0 ? 'Your cart is empty.' : `In your cart: ${cart.join(', ')}.`}
      </p>
      <form method="post">
        <CsrfField token={csrfToken} />
        <select name="item">
          {ITEMS.map((item) => (
            <option key={item}>{item}</option>
          ))}
        </select>
        <button type="submit">Add</button>
      </form>
    </main>
  );
}
