import { data, redirect } from 'react-router';
import { CsrfField } from '../components/csrf-field';
import { Nav } from '../components/nav';
import { commitSession, getSession, requireCsrfToken } from '../sessions.server';
import type { Route } from './+types/login';

/** The login form. It sets Tessera's test cookie, which the POST checks. */
export async function loader({ request }: Route.LoaderArgs) {
  const session = await getSession(request.headers.get('Cookie'));
  session.tessera.setTestCookie();
  const page = { user: session.tessera.userId, csrfToken: session.tessera.csrfToken() };
  return data(page, { headers: { 'Set-Cookie': await commitSession(session) } });
}

/**
 * Logs in: a browser that did not keep the form's cookie gets 400 (it never
 * could stay logged in), a form without the CSRF token 403; then
 * session.tessera.login() gives the session a new id and CSRF token.
 */
export async function action({ request }: Route.ActionArgs) {
  const session = await getSession(request.headers.get('Cookie'));
  if (!session.tessera.testCookieWorked()) {
    throw data('Please enable cookies in your browser to log in.', { status: 400 });
  }
  const form = await request.formData();
  await requireCsrfToken(request, session, form);
  const username = String(form.get('username') ?? '').trim();
  if (username === '') throw data('Enter a user name.', { status: 400 });
  session.tessera.deleteTestCookie();
  session.tessera.login(username);
  session.flash('message', `Welcome, ${username}!`);
  return redirect('/', { status: 303, headers: { 'Set-Cookie': await commitSession(session) } });
}

export default function Login({ loaderData }: Route.ComponentProps) {
  const { user, csrfToken } = loaderData;
  return (
    <main>
      <Nav user={user} csrfToken={csrfToken} />
      <h1>Log in</h1>
      <form method="post">
        <CsrfField token={csrfToken} />
        <label>
          User name <input name="username" autoComplete="username" required />
        </label>
        <button type="submit">Log in</button>
      </form>
    </main>
  );
}
