/**
 * The Fastify CSRF check: a `preHandler` hook, added for every route by the
 * plugin option `csrf: true`, or per route as `{ preHandler: csrfProtection }`.
 * @module
 */

import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { CSRF_FAILURE, checkCsrf, readCsrfField } from '../../core/index.js';
import { getSession } from './get-session.js';

/**
 * The CSRF `preHandler`. Unsafe requests (anything but GET, HEAD, OPTIONS,
 * TRACE) must carry the session's token, `request.session.csrfToken()`, in the
 * form field `_csrf` (read from `request.body`, so register a form parser such
 * as `@fastify/formbody`) or in the `X-CSRF-Token` header; otherwise it answers
 * 403 `text/plain` "Invalid or missing CSRF token; reload the form and try
 * again." and the handler never runs. It runs after body parsing (`preHandler`),
 * so the form field is there.
 *
 * ```ts
 * await app.register(tesseraSession, { csrf: true }); // every route
 * app.post('/transfer', { preHandler: csrfProtection }, handler); // or per route
 * ```
 * @throws {TypeError} per request, when the plugin does not reach the route.
 */
export function csrfProtection(
  request: FastifyRequest,
  reply: FastifyReply,
  done: HookHandlerDoneFunction,
): void {
  let passed: boolean;
  try {
    passed = checkCsrf(
      {
        method: request.method,
        headerToken: request.headers['x-csrf-token'],
        formToken: readCsrfField(request.body),
      },
      getSession(request),
    );
  } catch (error) {
    done(error as Error); // the plugin does not reach this route: a setup mistake (500)
    return;
  }
  if (passed) {
    done();
    return;
  }
  // Answering from a callback hook: send the reply and do not call done().
  reply.code(CSRF_FAILURE.status).headers(CSRF_FAILURE.headers).send(CSRF_FAILURE.body);
}
