import { addCookieToVary, type SessionCommitResult } from '../kit/index.js';

/**
 * Adds the session's `Set-Cookie` and `Vary: Cookie` to `target`, keeping what
 * is there, and answers the object that carries them: `target` itself, or,
 * for a `Response` with immutable headers (`Response.redirect()`, a `fetch()`
 * response), a copy of it.
 */
export function applySessionHeaders<Target extends Response | Headers>(
  target: Target,
  committed: SessionCommitResult,
): Target {
  if (committed.setCookie === undefined && !committed.vary) return target;
  if (!(target instanceof Response)) {
    addSessionHeaders(target as Headers, committed);
    return target;
  }
  try {
    addSessionHeaders(target.headers, committed);
    return target;
  } catch (error) {
    // Immutable headers throw a TypeError (Fetch standard, "guard" immutable).
    if (!(error instanceof TypeError)) throw error;
    const copy = new Response(target.body, target);
    addSessionHeaders(copy.headers, committed);
    return copy as Target;
  }
}

function addSessionHeaders(headers: Headers, committed: SessionCommitResult): void {
  if (committed.setCookie !== undefined) headers.append('Set-Cookie', committed.setCookie);
  if (committed.vary) {
    const vary = addCookieToVary(headers.get('Vary'));
    if (vary !== undefined) headers.set('Vary', vary);
  }
}
