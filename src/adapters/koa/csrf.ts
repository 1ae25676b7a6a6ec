/**
 * The Koa CSRF middleware.
 * @module
 */

import type { DefaultState, Middleware, Next, ParameterizedContext } from 'koa';
import {
  CSRF_FAILURE,
  checkCsrf,
  checkOptionKeys,
  readCsrfField,
  type Session,
} from '../../core/index.js';

type AnyContext = ParameterizedContext<DefaultState, { session?: Session }>;

/**
 * Creates the CSRF middleware. Unsafe requests (anything but GET, HEAD,
 * OPTIONS, TRACE) must carry the session's token, `ctx.session.csrfToken()`,
 * in the form field `_csrf` (read from `ctx.request.body`, so mount it after
 * your body parser, e.g. `@koa/bodyparser`) or in the `X-CSRF-Token` header;
 * otherwise it answers 403 `text/plain` "Invalid or missing CSRF token; reload
 * the form and try again." and the downstream middleware never runs.
 *
 * ```ts
 * app.use(createSessionMiddleware());
 * app.use(bodyParser());
 * app.use(createCsrfMiddleware());
 * ```
 * @throws {TypeError} per request, when the session middleware is missing before it.
 * @param options - None yet: any key throws a `SessionConfigError` when the middleware is created.
 */
export function createCsrfMiddleware(
  options: Readonly<Record<string, never>> = {},
): Middleware<DefaultState, { session?: Session }> {
  checkOptionKeys(options, [], 'createCsrfMiddleware()');
  return async function tesseraCsrf(ctx: AnyContext, next: Next): Promise<void> {
    const session = ctx.session;
    if (!session) {
      throw new TypeError(
        'No session on this request: add app.use(createSessionMiddleware()) before createCsrfMiddleware().',
      );
    }
    const passed = checkCsrf(
      {
        method: ctx.method,
        headerToken: ctx.get('X-CSRF-Token') || undefined,
        formToken: readCsrfField((ctx.request as { body?: unknown }).body),
      },
      session,
    );
    if (!passed) {
      ctx.status = CSRF_FAILURE.status;
      ctx.body = CSRF_FAILURE.body;
      ctx.set({ ...CSRF_FAILURE.headers });
      return;
    }
    await next();
  };
}
