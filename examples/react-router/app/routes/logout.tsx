import { redirect } from 'react-router';
import { commitSession, getSession, requireCsrfToken } from '../sessions.server';
import type { Route } from './+types/logout';

/**
 * Logs out (a POST with the CSRF token): session.tessera.logout() deletes the
 * record, so a copy of the old cookie is worth nothing; the flash message
 * goes to a new session. `destroySession(session)` does the same, without
 * the message.
 */
export async function action({ request }: Route.ActionArgs) {
  const session = await getSession(request.headers.get('Cookie'));
  await requireCsrfToken(request, session, await request.formData());
  session.tessera.logout();
  session.flash('message', 'You are logged out.');
  return redirect('/', { status: 303, headers: { 'Set-Cookie': await commitSession(session) } });
}

export function loader() {
  return redirect('/');
}
