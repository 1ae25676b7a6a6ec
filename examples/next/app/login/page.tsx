import { CsrfField } from '../../lib/csrf-field';
import { readSession } from '../../lib/read-session';
import { DEMO_PASSWORD } from '../../lib/session-data';

/** The login form; proxy.ts has set the test cookie and the CSRF token. */
export default async function LoginPage() {
  const session = await readSession();
  return (
    <>
      <h1>Log in</h1>
      <form method="post" action="/auth/login">
        <CsrfField session={session} />
        <label>
          User name <input name="username" required maxLength={64} />
        </label>
        <label>
          Password <input name="password" type="password" required />
        </label>
        <button type="submit">Log in</button>
      </form>
      <p>
        Any user name works with the password <code>{DEMO_PASSWORD}</code>.
      </p>
    </>
  );
}
