import type { Session } from 'tessera-session/next';

/**
 * The hidden CSRF field of a form. The token exists already: proxy.ts makes
 * it before the page renders (a Server Component cannot create it).
 */
export function CsrfField({ session }: { session: Session }) {
  return <input type="hidden" name="_csrf" value={session.csrfToken()} />;
}
