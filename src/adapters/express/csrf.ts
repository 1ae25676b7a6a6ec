/**
 * The Express CSRF middleware.
 * @module
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkOptionKeys, readCsrfField, type Session } from '../../core/index.js';
import { checkCsrfRequest, sendCsrfFailure } from '../node/index.js';

/** The CSRF middleware: an Express (4 and 5) handler. */
export type CsrfMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * Creates the CSRF middleware. Unsafe requests (anything but GET, HEAD,
 * OPTIONS, TRACE) must carry the session's token, `session.csrfToken()`, in
 * the form field `_csrf` (read from `req.body`, so mount it after
 * `express.urlencoded()`) or in the `X-CSRF-Token` header; otherwise it answers
 * 403 `text/plain` "Invalid or missing CSRF token; reload the form and try
 * again." and the route never runs.
 *
 * ```ts
 * app.use(createSessionMiddleware());
 * app.use(express.urlencoded({ extended: false }));
 * app.use(createCsrfMiddleware());
 * app.get('/form', (req, res) => res.send(
 *   `<form method="post"><input type="hidden" name="_csrf" value="${getSession(req).csrfToken()}">…</form>`));
 * ```
 *
 * A missing session middleware is a setup mistake: the request fails with a
 * `TypeError` saying to add it (Express answers 500).
 * @param options - None yet: any key throws a `SessionConfigError` when the middleware is created.
 */
export function createCsrfMiddleware(
  options: Readonly<Record<string, never>> = {},
): CsrfMiddleware {
  checkOptionKeys(options, [], 'createCsrfMiddleware()');
  return function tesseraCsrf(req, res, next): void {
    const { session, body } = req as IncomingMessage & { session?: Session; body?: unknown };
    if (!session) {
      next(
        new TypeError(
          'No session on this request: add app.use(createSessionMiddleware()) before createCsrfMiddleware().',
        ),
      );
      return;
    }
    if (checkCsrfRequest(req, session, readCsrfField(body))) next();
    else sendCsrfFailure(res);
  };
}
