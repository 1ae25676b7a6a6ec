/**
 * CSRF protection, framework-free: the synchronizer token kept in the session
 * (Pyramid's `get_csrf_token`/`new_csrf_token`; the token and its
 * constant-time comparison are in random-token.ts) and the check every
 * adapter runs for unsafe methods. Adapters only read the
 * token from their request type and answer {@link CSRF_FAILURE}.
 * @module
 */

import { type DebugOutput, describeCsrfRejection, findDebugOutput } from './debug-output.js';
import { type CsrfRejectionReason, diagnosticsChannels } from './diagnostics.js';
import type { AnySession } from './session.js';

/** The form field a token is read from (`<input type="hidden" name="_csrf">`). */
export const CSRF_FIELD = '_csrf';

/** The request header a token is read from (for `fetch`/XHR). */
export const CSRF_HEADER = 'X-CSRF-Token';

/** What an adapter answers when the check fails: 403, plain text, never cached. */
export const CSRF_FAILURE = Object.freeze({
  status: 403,
  body: 'Invalid or missing CSRF token; reload the form and try again.\n',
  headers: Object.freeze({
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
  }) as Readonly<Record<string, string>>,
});

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/**
 * Whether `method` is safe (RFC 9110 §9.2.1: GET, HEAD, OPTIONS, TRACE) and so
 * exempt from the check. Matching is exact: HTTP methods are case-sensitive,
 * so `"get"` is not safe and must carry a token (fail closed).
 */
export function isSafeMethod(method: string | undefined): boolean {
  return method !== undefined && SAFE_METHODS.has(method);
}

/** Where an adapter found the token candidates of one request. */
export interface CsrfRequestInfo {
  /** The request method. */
  method: string | undefined;
  /** The `X-CSRF-Token` header, as the framework gives it (string, array, undefined…). */
  headerToken?: unknown;
  /** The `_csrf` field of the parsed form body, when the app parsed one. */
  formToken?: unknown;
}

/**
 * The CSRF check: `true` for a safe method, otherwise only when the header or
 * the form field holds the session's token. Never creates a token and never
 * throws on odd input (arrays, objects, huge strings): bad client input is a
 * plain `false`, which adapters answer with 403.
 *
 * A refusal is published on the `tessera:csrf:rejected` diagnostics channel
 * ({@link CsrfRejectedEvent}: `'missing-token'` or `'wrong-token'`, never the
 * token) and written to the debug output of the session's manager. Call it
 * once per request, with every candidate the request carries.
 */
export function checkCsrf(request: CsrfRequestInfo, session: AnySession): boolean {
  if (isSafeMethod(request.method)) return true;
  if (
    session.isValidCsrfToken(request.headerToken) ||
    session.isValidCsrfToken(request.formToken)
  ) {
    return true;
  }
  reportTokenRejection(request, session);
  return false;
}

const csrfRejectedChannel = diagnosticsChannels.csrfRejected;

/** Reports a refused token, as a missing or a wrong one. */
function reportTokenRejection(request: CsrfRequestInfo, session: AnySession): void {
  const debug = findDebugOutput(session);
  if (debug === undefined && !csrfRejectedChannel.hasSubscribers) return;
  const reason: CsrfRejectionReason =
    isAbsentToken(request.headerToken) && isAbsentToken(request.formToken)
      ? 'missing-token'
      : 'wrong-token';
  reportCsrfRejection(reason, debug);
}

/**
 * @internal Publishes a refusal on `tessera:csrf:rejected` and writes its
 * debug line (issue 13 §1): only the reason, never a token. Used by the token
 * check and by the Fetch Metadata check.
 */
export function reportCsrfRejection(
  reason: CsrfRejectionReason,
  debug: DebugOutput | undefined,
): void {
  if (csrfRejectedChannel.hasSubscribers) csrfRejectedChannel.publish({ reason });
  debug?.write(describeCsrfRejection(reason));
}

/** No token given: no header or field, or an empty one. */
function isAbsentToken(candidate: unknown): boolean {
  return (
    candidate === undefined ||
    candidate === null ||
    candidate === '' ||
    (Array.isArray(candidate) && candidate.length === 0)
  );
}

/**
 * The `_csrf` field of a parsed form body, or `undefined`. Only an own
 * property counts, so a polluted `Object.prototype._csrf` is never read as
 * the client's token; a body that is not an object has no field.
 */
export function readCsrfField(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return undefined;
  return Object.hasOwn(body, CSRF_FIELD)
    ? (body as Record<string, unknown>)[CSRF_FIELD]
    : undefined;
}
