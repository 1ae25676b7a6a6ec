import { fail, redirect } from '@sveltejs/kit';
import { readCheckedForm } from '#lib/server/csrf.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
  // The post checks that this came back: the browser keeps cookies.
  locals.session.setTestCookie();
  return { csrfToken: locals.session.csrfToken() };
};

export const actions: Actions = {
  default: async (event) => {
    const { session } = event.locals;
    // Before the CSRF check: a browser that refuses cookies has no token either,
    // and deserves this message rather than a 403.
    if (!session.testCookieWorked()) {
      return fail(400, { message: 'Please enable cookies and try again.' });
    }
    const form = await readCheckedForm(event);
    const username = String(form.get('username') ?? '').trim();
    if (username === '') return fail(400, { message: 'Enter a user name.' });
    session.deleteTestCookie();
    // A new session id and CSRF token: an id planted before the login is useless.
    session.login(username);
    session.set('user', username);
    redirect(303, '/');
  },
};
