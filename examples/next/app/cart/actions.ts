'use server';

import { forbidden, redirect } from 'next/navigation';
import { sessions } from '../../lib/sessions';

/** Adds an item, flashes a message and redirects (303) back to the cart. */
export async function addToCart(form: FormData): Promise<void> {
  await sessions.withSession((session) => {
    // Next.js checks the Origin of Server Actions; the session's token is checked too.
    if (!session.isValidCsrfToken(form.get('_csrf'))) forbidden();
    const item = String(form.get('item') ?? '').trim();
    if (item !== '') {
      session.set('cart', [...session.get('cart', []), item]);
      session.flash(`Added ${item}`);
    }
    redirect('/cart'); // withSession saves the session before the redirect goes on
  });
}
