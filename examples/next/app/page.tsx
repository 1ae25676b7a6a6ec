import { readSession } from '../lib/read-session';

/** A Server Component reading the session (read-only). */
export default async function HomePage() {
  const session = await readSession();
  return (
    <>
      <h1>Tessera on Next.js</h1>
      <p id="visits">Visits: {session.get('visits', 0)}</p>
      <p id="user">
        {session.userId === null ? 'Not signed in' : `Signed in as ${session.get('username')}`}
      </p>
    </>
  );
}
