import { Link } from 'react-router';
import { CsrfField } from './csrf-field';

/** Links, who is logged in, and the logout form (a POST with the CSRF token, never a GET link). */
export function Nav({ user, csrfToken }: { user: string | null; csrfToken: string }) {
  return (
    <nav>
      <Link to="/">Home</Link> · <Link to="/cart">Cart</Link> ·{' '}
      {user === null ? (
        <Link to="/login">Log in</Link>
      ) : (
        <form method="post" action="/logout" style={{ display: 'inline' }}>
          <span id="user">{`Logged in as ${user}`}</span> <CsrfField token={csrfToken} />
          <button type="submit">Log out</button>
        </form>
      )}
    </nav>
  );
}
