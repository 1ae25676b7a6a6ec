/**
 * The tests of React Router's `sessions-test.ts` (test/vendor/react-router)
 * that fail against `tessera-session/react-router`, by full name
 * (`describe > … > it`), with why. The runner expects each to fail, and fails
 * when one passes (remove it here then) or names no upstream test.
 * docs/react-router.md lists the same.
 */
export const KNOWN_FAILURES: ReadonlyMap<string, string> = new Map([
  [
    'In-memory session storage > uses random UUIDs as session ids',
    'Tessera ids are 192 random bits in base64url (32 characters), not UUIDs (122 random bits); ids cannot be chosen.',
  ],
  [
    'Cookie session storage > destroys sessions using a past date',
    'a session that never had a cookie has none to delete: destroySession() answers "" (React Router always sends a deletion); ' +
      "a deletion Tessera sends reads 'Max-Age=0; Expires=…1970…; Path=/; HttpOnly; SameSite=Lax', not React Router's exact string.",
  ],
  [
    'Cookie session storage > destroys sessions that leverage maxAge',
    'as "destroys sessions using a past date": no cookie came, so "" is answered; the attributes are written in a different order.',
  ],
  [
    'Cookie session storage > warnings when providing options you may not want to > warns against using `expires` when creating the session',
    'Tessera never prints: cookie.expires is refused at creation with a SessionConfigError (set cookieAge, or commitSession(session, { expires })).',
  ],
  [
    'Cookie session storage > warnings when providing options you may not want to > warns when not passing secrets when creating the session',
    'Tessera never prints: a cookie store without secrets is refused at creation with a SessionConfigError (an unsigned session cookie is never made).',
  ],
]);
