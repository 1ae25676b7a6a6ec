import { data } from 'react-router';
import { Flash } from '../components/flash';
import { Nav } from '../components/nav';
import { commitSession, getSession } from '../sessions.server';
import type { Route } from './+types/home';

/** The visit counter; also shows the flash message of a login or logout. */
export async function loader({ request }: Route.LoaderArgs) {
  const session = await getSession(request.headers.get('Cookie'));
  const visits = (session.get('visits') ?? 0) + 1;
  session.set('visits', visits);
  const message = session.get('message'); // a flash value: gone once read
  const page = {
    visits,
    message,
    user: session.tessera.userId,
    csrfToken: session.tessera.csrfToken(),
  };
  return data(page, { headers: { 'Set-Cookie': await commitSession(session) } });
}

export default function Home({ loaderData }: Route.ComponentProps) {
  const { visits, message, user, csrfToken } = loaderData;
  return (
    <main>
      <Nav user={user} csrfToken={csrfToken} />
      <h1>Tessera on React Router</h1>
      <Flash message={message} />
      <p id="visits">{`You have visited this page ${visits} times.`}</p>
    </main>
  );
}
