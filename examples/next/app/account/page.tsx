import { CsrfField } from '../../lib/csrf-field';
import { readSession } from '../../lib/read-session';
import { logOut } from './actions';

/** Signed-in users only: proxy.ts redirects the others to /login. */
export default async function AccountPage() {
  const session = await readSession();
  return (
    <>
      <h1>Account</h1>
      <p id="user">Signed in as {session.get('username')}</p>
      <form action={logOut}>
        <CsrfField session={session} />
        <button type="submit">Log out</button>
      </form>
    </>
  );
}
