/**
 * The HTTP pieces every adapter shares, framework-free: what to answer when the
 * session cannot be loaded or saved, how to add `Cookie` to `Vary`, and how to
 * read `X-Forwarded-Proto`. Adapters only translate these to their response type.
 * @module
 */

import { isSessionError } from './errors.js';

/** The plain-text response an adapter sends instead of the app's when the session fails. */
export interface SessionFailureResponse {
  /** 503 when the store is down, 400 after a concurrent logout, 500 otherwise. */
  status: number;
  /** A short plain-text body, ending in a newline. */
  body: string;
  /** Headers to send, replacing whatever the app had prepared. */
  headers: Readonly<Record<string, string>>;
}

const TEXT_HEADERS = Object.freeze({
  'Content-Type': 'text/plain; charset=utf-8',
  'Cache-Control': 'no-store',
});
// Clients and proxies may retry a 503 after this many seconds (RFC 9110 §10.2.3).
const RETRY_HEADERS = Object.freeze({ ...TEXT_HEADERS, 'Retry-After': '5' });

/**
 * The response for a failed session load or save: 503 with `Retry-After` when
 * the store is unavailable, 400 with the reason when a concurrent request
 * destroyed the session (Django's `SessionInterrupted`), 500 for anything else
 * (its details go to `onError`, never to the client).
 */
export function describeSessionFailure(error: unknown): SessionFailureResponse {
  const status = isSessionError(error) ? error.status : 500;
  if (status === 503) {
    return {
      status,
      body: 'Session storage is unavailable; please try again shortly.\n',
      headers: RETRY_HEADERS,
    };
  }
  if (status === 400)
    return { status, body: `${(error as Error).message}\n`, headers: TEXT_HEADERS };
  return { status: 500, body: 'Internal Server Error\n', headers: TEXT_HEADERS };
}

const VARY_COVERS_COOKIE = /(^|,)\s*(cookie|\*)\s*(,|$)/i;

/**
 * The `Vary` value with `Cookie` added, or `undefined` when `current` already
 * covers it. A response built from the session must not be cached for other
 * visitors (Flask CVE-2023-30861).
 */
export function addCookieToVary(current: string | null | undefined): string | undefined {
  if (current === null || current === undefined || current.trim() === '') return 'Cookie';
  return VARY_COVERS_COOKIE.test(current) ? undefined : `${current}, Cookie`;
}

/**
 * Whether an `X-Forwarded-Proto` value says the client used HTTPS. Only call it
 * when the proxy is trusted (`trustProxy`): the header is otherwise the client's
 * to forge. The first entry is the client's hop (RFC 7239 order).
 */
export function isForwardedHttps(forwardedProto: string | null | undefined): boolean {
  return forwardedProto?.split(',')[0]?.trim().toLowerCase() === 'https';
}
