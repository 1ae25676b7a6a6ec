import { CSRF_FIELD, CSRF_HEADER, checkCsrf, readCsrfField } from '../../core/index.js';
import { checkCsrfRequest } from '../../web/index.js';
import { getEventSession } from './event-session.js';
import { type H3EventLike, isH3EventV2 } from './h3-event.js';

/** A parsed request body: h3 v1's `readBody(event)`, or `FormData` / `URLSearchParams`. */
export type CsrfBody = FormData | URLSearchParams | Record<string, unknown>;

/**
 * The CSRF check for an h3 event: `true` for a safe method (GET, HEAD,
 * OPTIONS, TRACE), otherwise only when the `X-CSRF-Token` header or the form
 * field `_csrf` holds the session's token (`session.csrfToken()`). Bad input
 * is `false`, never an exception: answer it with `csrfFailureResponse()` (403).
 *
 * The form is `body` when the handler has parsed it. Without it, h3 v2 reads
 * the form from a clone of `event.req` (the handler can still read it); h3 v1
 * cannot read the body without consuming it, so it checks the header only:
 * pass `await readBody(event)` there.
 * @throws {TypeError} when the session middleware did not run for this event.
 */
export async function checkCsrfEvent(event: H3EventLike, body?: CsrfBody): Promise<boolean> {
  const session = getEventSession(event);
  const v2 = isH3EventV2(event);
  const method = v2 ? event.req.method : event.method;
  const headers = v2 ? event.req.headers : event.headers;
  if (body === undefined) {
    if (v2) return checkCsrfRequest(event.req, session);
    return checkCsrf({ method, headerToken: headers.get(CSRF_HEADER) ?? undefined }, session);
  }
  return checkCsrf(
    {
      method,
      headerToken: headers.get(CSRF_HEADER) ?? undefined,
      formToken: readBodyToken(body),
    },
    session,
  );
}

function readBodyToken(body: CsrfBody): unknown {
  if (body instanceof FormData || body instanceof URLSearchParams) {
    return body.get(CSRF_FIELD) ?? undefined;
  }
  return readCsrfField(body);
}
