import { readSession } from '../../lib/read-session';

/** What a write from a Server Component does: it throws, saying where to write instead. */
export default async function ReadOnlyPage() {
  const session = await readSession();
  let outcome: string;
  try {
    session.set('visits', 1000);
    outcome = 'written';
  } catch (error) {
    outcome = `${(error as Error).name}: ${(error as Error).message}`;
  }
  return (
    <>
      <h1>Server Components read the session</h1>
      <p id="visits">Visits: {session.get('visits', 0)}</p>
      <p id="write">{outcome}</p>
    </>
  );
}
