/**
 * CSRF checks for `node:http` handlers (and the Express middleware built on
 * them): read the token from the `X-CSRF-Token` header or a form field, and
 * answer the shared 403 when it is missing or wrong.
 *
 * ```ts
 * http.createServer(withSession(async (req, res, session) => {
 *   const form = req.method === 'POST' ? await readForm(req) : undefined; // your body parser
 *   if (!checkCsrfRequest(req, session, form?.get('_csrf'))) return sendCsrfFailure(res);
 *   // … handle the request
 * }));
 * ```
 * @module
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AnySession, CSRF_FAILURE, checkCsrf } from '../../core/index.js';

/**
 * Whether the request passes the CSRF check: a safe method (GET, HEAD,
 * OPTIONS, TRACE), or the session's token in the `X-CSRF-Token` header or in
 * `formToken` (the `_csrf` field of the form, once your code has parsed it).
 * Never throws on client input; never creates a token.
 */
export function checkCsrfRequest(
  req: IncomingMessage,
  session: AnySession,
  formToken?: unknown,
): boolean {
  return checkCsrf(
    { method: req.method, headerToken: req.headers['x-csrf-token'], formToken },
    session,
  );
}

/**
 * Answers the CSRF failure: 403, `text/plain`, "Invalid or missing CSRF token;
 * reload the form and try again." (headers set earlier, e.g. CORS, are kept).
 * Nothing the request asked for is done, and the session is saved only if it
 * had already changed (the check itself changes nothing).
 */
export function sendCsrfFailure(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy(); // too late to refuse properly: do not let the response look successful
    return;
  }
  res.statusCode = CSRF_FAILURE.status;
  for (const [name, value] of Object.entries(CSRF_FAILURE.headers)) res.setHeader(name, value);
  res.end(CSRF_FAILURE.body);
}
