'use server';

import { forbidden, redirect } from 'next/navigation';
import { sessions } from '../../lib/sessions';

/** Logs out: the session is emptied and its stored record removed. */
export async function logOut(form: FormData): Promise<void> {
  await sessions.withSession((session) => {
    if (!session.isValidCsrfToken(form.get('_csrf'))) forbidden();
    session.logout();
    redirect('/');
  });
}
