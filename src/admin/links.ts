/**
 * The admin's URLs, relative to its `basePath`, and the notices a POST
 * leaves in the query string after its redirect (Post/Redirect/Get).
 * @module
 */

/** A link under `basePath` with a query built from `query` (entries left out when `undefined`). */
export function adminUrl(
  basePath: string,
  path: string,
  query: Readonly<Record<string, string | undefined>> = {},
): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) search.set(name, value);
  }
  const text = search.toString();
  return `${basePath}${path}${text === '' ? '' : `?${text}`}`;
}

/** The notices a redirect may carry: a code and, for some, a count. No secret ever goes there. */
export type AdminNotice = 'revoked' | 'already-gone' | 'revoked-user';

/** The sentence shown for a notice read from the query string; `undefined` for anything else. */
export function describeNotice(query: URLSearchParams): string | undefined {
  const count = Number(query.get('count'));
  switch (query.get('notice')) {
    case 'revoked':
      return 'The session was revoked: its cookie no longer works.';
    case 'already-gone':
      return 'The session had already expired or been revoked.';
    case 'revoked-user':
      return Number.isSafeInteger(count) && count >= 0
        ? `Revoked ${count} session${count === 1 ? '' : 's'} of this user.`
        : 'Revoked the sessions of this user.';
    default:
      return undefined;
  }
}
