/**
 * The Hono CSRF middleware (Web-standard only, every runtime).
 * @module
 */

import type { Context, MiddlewareHandler } from 'hono';
import {
  CSRF_FAILURE,
  CSRF_HEADER,
  checkCsrf,
  checkOptionKeys,
  isSafeMethod,
  readCsrfField,
  type Session,
} from '../../core/index.js';
import type { SessionEnv } from './index.js';

const FORM_TYPES = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

/**
 * Creates the CSRF middleware. Unsafe requests (anything but GET, HEAD,
 * OPTIONS, TRACE) must carry the session's token, `c.get('session').csrfToken()`,
 * in the `X-CSRF-Token` header or in the form field `_csrf` (the body is read
 * with `c.req.parseBody()` only for a form content type and only when the
 * header did not match; Hono caches it, so handlers can parse it again);
 * otherwise it answers 403 `text/plain` "Invalid or missing CSRF token; reload
 * the form and try again." and the handler never runs.
 *
 * ```ts
 * app.use(createSessionMiddleware({ store }));
 * app.use(createCsrfMiddleware());
 * ```
 * @throws {TypeError} per request, when the session middleware is missing before it.
 * @param options - None yet: any key throws a `SessionConfigError` when the middleware is created.
 */
export function createCsrfMiddleware(
  options: Readonly<Record<string, never>> = {},
): MiddlewareHandler<SessionEnv> {
  checkOptionKeys(options, [], 'createCsrfMiddleware()');
  return async function tesseraCsrf(c, next) {
    const session = c.get('session') as Session | undefined;
    if (!session) {
      throw new TypeError(
        'No session on this request: add app.use(createSessionMiddleware({ store })) before createCsrfMiddleware().',
      );
    }
    const method = c.req.method;
    if (isSafeMethod(method)) return next();
    const headerToken = c.req.header(CSRF_HEADER);
    if (session.isValidCsrfToken(headerToken)) return next();
    // One checkCsrf() per request, with every candidate: it reports a refusal (issue 13 §1).
    if (checkCsrf({ method, headerToken, formToken: await readFormToken(c) }, session))
      return next();
    return new Response(CSRF_FAILURE.body, {
      status: CSRF_FAILURE.status,
      headers: CSRF_FAILURE.headers,
    });
  };
}

/** The `_csrf` form field, or `undefined` for another content type or a body that does not parse. */
async function readFormToken(c: Context): Promise<unknown> {
  if (!FORM_TYPES.test(c.req.header('Content-Type') ?? '')) return undefined;
  try {
    return readCsrfField(await c.req.parseBody());
  } catch {
    return undefined; // a malformed body is the client's mistake: no token, so 403
  }
}
