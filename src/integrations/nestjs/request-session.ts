/**
 * The session of the request a Nest execution context handles, on Express
 * (`req.session`, from the middleware) and on Fastify (`request.session`, from
 * the plugin) alike.
 * @module
 */

import type { ExecutionContext } from '@nestjs/common';
import type { Session, SessionData } from '../../core/index.js';
import { requireSession } from '../../kit/index.js';

/** What a missing session means: the module is not imported, or the context is no HTTP request. */
const MISSING_MODULE =
  'import TesseraSessionModule.forRoot(options) in your root module (AppModule), ' +
  'and read the session in HTTP controllers only.';

/**
 * The request's session, typed by `Data`, from an execution context (a guard,
 * an interceptor, a parameter decorator); throws a `TypeError` saying to import
 * the module when there is none, or when the context is not an HTTP request
 * (a microservice or WebSocket handler).
 *
 * ```ts
 * const session = getRequestSession<{ user?: string }>(context);
 * ```
 */
export function getRequestSession<Data extends SessionData = SessionData>(
  context: ExecutionContext,
): Session<Data> {
  if (context.getType() !== 'http') {
    throw new TypeError(
      `No Tessera session in a "${context.getType()}" context: sessions belong to HTTP requests.`,
    );
  }
  const request: unknown = context.switchToHttp().getRequest();
  return requireSession<Data>(
    typeof request === 'object' && request !== null
      ? (request as { session?: unknown }).session
      : undefined,
    MISSING_MODULE,
  );
}
