/**
 * The tests of express-session's own suite (v1.19.0) the drop-in fails on
 * purpose, by full mocha title, each with why. The upstream-suite spec checks
 * that exactly these fail, so the count can neither drop nor drift; each is
 * also listed in docs/migrating-from-express-session.md.
 */
export const KNOWN_UPSTREAM_FAILURES: Readonly<Record<string, string>> = Object.freeze({
  'session() when session without cookie property in store should pass error from inflate':
    'A stored record without a `cookie` object is read as a session (expiring after the default TTL) ' +
    'instead of failing the request with a TypeError: bad stored data is "no cookie attributes", never a 500. ' +
    'An internal detail no application relies on.',
});

/**
 * Tests that fail for real express-session too on some Node versions: not the
 * drop-in's doing, so not counted against it, but still asserted so a change
 * is noticed. Keyed by full title; the value says on which Node majors and why.
 */
export const ENVIRONMENT_FAILURES: Readonly<
  Record<string, { readonly fromNodeMajor: number; readonly reason: string }>
> = Object.freeze({
  'session() should create multiple sessions': {
    fromNodeMajor: 26,
    reason:
      'Two parallel supertest 6.3.4 requests make one http.Server listen twice; on Node 26 the second ' +
      'connection is reset (read ECONNRESET). express-session 1.19.0 itself fails it the same way.',
  },
});

/** The full titles expected to fail on Node `major`. */
export function expectedUpstreamFailures(major: number): string[] {
  const environment = Object.entries(ENVIRONMENT_FAILURES)
    .filter(([, failure]) => major >= failure.fromNodeMajor)
    .map(([title]) => title);
  return [...Object.keys(KNOWN_UPSTREAM_FAILURES), ...environment].sort();
}

/** How many tests express-session's suite has at v1.19.0 (mocha's count: 142 in session.js, 18 in cookie.js). */
export const UPSTREAM_TEST_COUNT = 160;
