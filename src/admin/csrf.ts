/**
 * CSRF protection of the admin's forms, two checks that must both pass
 * (OWASP CSRF Prevention Cheat Sheet):
 *
 * - a double-submit token: a random token in an `HttpOnly; SameSite=Strict`
 *   cookie scoped to the admin's path, and the same token in each form's
 *   hidden field, compared in constant time;
 * - the request's origin: `Sec-Fetch-Site` must be `same-origin` when sent,
 *   and `Origin` must be the admin's own origin when sent (W3C Fetch
 *   Metadata; RFC 6454 §7), or `null` with `Sec-Fetch-Site: same-origin`
 *   (what browsers send from a `no-referrer` page).
 * @module
 */

import { generateRandomToken, isRandomToken, isSameSecret, readCookie } from '../kit/index.js';

/** The name of the hidden form field holding the token. */
export const ADMIN_CSRF_FIELD = 'csrf';

/** The token a page's forms carry, and the cookie to set when it is new. */
export interface AdminCsrfToken {
  readonly token: string;
  /** A `Set-Cookie` value when the request had no valid token cookie. */
  readonly setCookie: string | undefined;
}

/** The request's token, or a new one with the cookie that carries it. */
export function issueCsrfToken(
  request: Request,
  cookieName: string,
  basePath: string,
): AdminCsrfToken {
  const existing = readCookie(request.headers.get('cookie'), cookieName);
  if (isRandomToken(existing)) return { token: existing, setCookie: undefined };
  const token = generateRandomToken();
  const secure = new URL(request.url).protocol === 'https:' ? '; Secure' : '';
  return {
    token,
    setCookie: `${cookieName}=${token}; Path=${basePath === '' ? '/' : basePath}; HttpOnly; SameSite=Strict${secure}`,
  };
}

/**
 * Why a POST is refused, or `undefined` when both checks pass: the request
 * comes from the admin's own origin, and the form's token matches the cookie's.
 */
export function findCsrfFailure(
  request: Request,
  form: URLSearchParams,
  cookieName: string,
): string | undefined {
  const site = request.headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin') {
    return 'the request came from another site (Sec-Fetch-Site).';
  }
  const origin = request.headers.get('origin');
  // The pages send `Referrer-Policy: no-referrer`, under which browsers send
  // `Origin: null` on a form POST (Fetch §3.1.5, "serializing a request
  // origin"): then `Sec-Fetch-Site: same-origin` must vouch for it instead.
  const vouched = origin === 'null' && site === 'same-origin';
  if (origin !== null && !vouched && origin !== new URL(request.url).origin) {
    return 'the request came from another origin (Origin).';
  }
  const cookie = readCookie(request.headers.get('cookie'), cookieName);
  const field = form.get(ADMIN_CSRF_FIELD);
  if (!isRandomToken(cookie) || !isRandomToken(field) || !isSameSecret(cookie, field)) {
    return 'the form’s token is missing or does not match; reload the page and try again.';
  }
  return undefined;
}
