import type { Context } from 'hono';
import {
  addCookieToVary,
  type SessionCommitResult,
  type SessionFailureResponse,
} from '../../core/index.js';

/**
 * Adds the session's `Set-Cookie` and `Vary: Cookie` to `c.res`, keeping what
 * is there. A response with immutable headers (`Response.redirect()`, a
 * `fetch()` response) is replaced by a copy first.
 */
export function applySessionHeaders(c: Context, committed: SessionCommitResult): void {
  if (committed.setCookie === undefined && !committed.vary) return;
  try {
    addSessionHeaders(c.res.headers, committed);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    const copy = new Response(c.res.body, c.res);
    replaceResponse(c, copy);
    addSessionHeaders(copy.headers, committed);
  }
}

function addSessionHeaders(headers: Headers, committed: SessionCommitResult): void {
  if (committed.setCookie !== undefined) headers.append('Set-Cookie', committed.setCookie);
  if (committed.vary) {
    const vary = addCookieToVary(headers.get('Vary'));
    if (vary !== undefined) headers.set('Vary', vary);
  }
}

/** Replaces whatever the app prepared (status, headers, body) with the failure response. */
export function sendSessionFailure(c: Context, failure: SessionFailureResponse): void {
  // The app's body will never be read: let its source (a stream, a fetch) stop.
  c.res.body?.cancel().catch(() => {});
  replaceResponse(c, new Response(failure.body, failure));
}

/** Sets `c.res`; Hono's setter would otherwise copy the old response's headers into the new one. */
function replaceResponse(c: Context, response: Response): void {
  c.res = undefined;
  c.res = response;
}
