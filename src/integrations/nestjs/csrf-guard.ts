/**
 * The Nest CSRF guard.
 * @module
 */

import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
} from '@nestjs/common';
import { CSRF_FAILURE, checkCsrf, isSafeMethod, readCsrfField } from '../../core/index.js';
import { getRequestSession } from './request-session.js';
import { isCsrfSkipped } from './skip-csrf.js';

/** The request as the guard reads it, on Express and on Fastify. */
interface CsrfCandidateRequest {
  method?: string;
  headers?: Record<string, unknown>;
  body?: unknown;
}

/** The 403 message, without the plain-text answer's trailing newline. */
const CSRF_FAILURE_MESSAGE = CSRF_FAILURE.body.trim();

/**
 * The CSRF guard. Unsafe requests (anything but GET, HEAD, OPTIONS, TRACE)
 * must carry the session's token, `session.csrfToken()`, in the form field
 * `_csrf` or in the `X-CSRF-Token` header; otherwise it throws a
 * `ForbiddenException` (403, "Invalid or missing CSRF token; reload the form
 * and try again.") and the handler never runs. Guards run after the body is
 * parsed, so the form field is there (Nest parses urlencoded bodies on both
 * platforms by default).
 *
 * ```ts
 * @Controller('cart')
 * @UseGuards(CsrfGuard)              // per controller or route,
 * export class CartController {}
 * TesseraSessionModule.forRoot({ csrf: true }); // or on every route
 * ```
 *
 * Routes marked {@link SkipCsrf} pass. Without {@link TesseraSessionModule},
 * an unsafe request fails with a `TypeError` saying to import it (500).
 */
export class CsrfGuard implements CanActivate {
  /** Lets the request through, or throws `ForbiddenException`. */
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true; // no cookies, no CSRF
    if (isCsrfSkipped(context.getHandler(), context.getClass())) return true;
    const request = context.switchToHttp().getRequest<CsrfCandidateRequest>();
    if (isSafeMethod(request.method)) return true;
    const passed = checkCsrf(
      {
        method: request.method,
        headerToken: request.headers?.['x-csrf-token'],
        formToken: readCsrfField(request.body),
      },
      getRequestSession(context),
    );
    if (!passed) throw new ForbiddenException(CSRF_FAILURE_MESSAGE);
    return true;
  }
}
Injectable()(CsrfGuard);
