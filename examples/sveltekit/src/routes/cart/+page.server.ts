import { redirect } from '@sveltejs/kit';
import { readCheckedForm } from '#lib/server/csrf.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => ({
  items: locals.session.get('cart', []),
  // Shown once: popFlash() removes the messages from the session.
  messages: locals.session.popFlash<string>(),
  csrfToken: locals.session.csrfToken(),
});

export const actions: Actions = {
  default: async (event) => {
    const form = await readCheckedForm(event);
    const item = String(form.get('item') ?? '').trim() || 'nothing';
    const { session } = event.locals;
    session.set('cart', [...session.get('cart', []), item]);
    session.flash(`Added ${item}`);
    // The session is saved and its cookie added to this 303 by the handle.
    redirect(303, '/cart');
  },
};
