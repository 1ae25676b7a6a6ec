import { redirect } from '@sveltejs/kit';
import { readCheckedForm } from '#lib/server/csrf.ts';
import type { Actions } from './$types';

export const actions: Actions = {
  default: async (event) => {
    await readCheckedForm(event);
    // Deletes the stored session and the cookie: the old cookie is worth nothing.
    event.locals.session.logout();
    redirect(303, '/');
  },
};
