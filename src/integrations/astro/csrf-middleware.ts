/**
 * `createCsrfMiddleware()`: the Astro middleware that refuses unsafe requests
 * without the session's CSRF token.
 * @module
 */

import { checkOptionKeys, isSafeMethod } from '../../core/index.js';
import { checkCsrfRequest, csrfFailureResponse } from '../../web/index.js';
import type { AstroMiddleware } from './astro-context.js';
import { getSession } from './get-session.js';

/**
 * Creates the CSRF middleware; put it after the session middleware:
 * `sequence(sessionMiddleware, createCsrfMiddleware())`. Unsafe requests
 * (anything but GET, HEAD, OPTIONS, TRACE) must carry the session's token,
 * `Astro.locals.session.csrfToken()`, in the `X-CSRF-Token` header or in the
 * form field `_csrf` (read from a clone of the request, so the page can still
 * call `Astro.request.formData()`); otherwise it answers 403 `text/plain`
 * "Invalid or missing CSRF token; reload the form and try again." and the
 * route never runs. Safe requests pass untouched.
 *
 * It completes Astro's `security.checkOrigin` (on by default), which refuses
 * cross-site form posts by their `Origin` header but not same-site ones
 * (another subdomain) nor requests without a form content type.
 * @throws {TypeError} per unsafe request, when the session middleware did not run before it.
 * @param options - None yet: any key throws a `SessionConfigError` when the middleware is created.
 */
export function createCsrfMiddleware(
  options: Readonly<Record<string, never>> = {},
): AstroMiddleware {
  checkOptionKeys(options, [], 'createCsrfMiddleware()');
  return async function tesseraCsrf(context, next) {
    if (isSafeMethod(context.request.method)) return next();
    const session = getSession(context);
    if (await checkCsrfRequest(context.request, session)) return next();
    return csrfFailureResponse();
  };
}
