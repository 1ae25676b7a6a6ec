/**
 * `@Session()`: the Tessera session as a typed controller parameter.
 * @module
 */

import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Session as CoreSession, SessionData } from '../../core/index.js';
import { getRequestSession } from './request-session.js';

/** The factory Nest calls for each decorated parameter (created once: Nest keys it by identity). */
const sessionParameter = createParamDecorator(
  (_data: unknown, context: ExecutionContext): CoreSession => getRequestSession(context),
);

/**
 * The type of a `@Session()` parameter: the visitor's Tessera session, typed by
 * your data. The same name as the decorator, so one import gives both.
 */
export type Session<Data extends SessionData = SessionData> = CoreSession<Data>;

/**
 * A controller parameter holding the visitor's Tessera session, on Express and
 * on Fastify; type it with your data:
 *
 * ```ts
 * import { Session } from 'tessera-session/nestjs';
 *
 * @Get('count')
 * count(@Session() session: Session<{ visits: number }>): string {
 *   const visits = session.get('visits', 0) + 1;
 *   session.set('visits', visits);
 *   return `You have visited this page ${visits} times`;
 * }
 * ```
 *
 * It replaces `@Session()` from `@nestjs/common` (which hands over
 * `req.session` untyped, and nothing on Fastify unless a plugin put it on the
 * Fastify request). Without {@link TesseraSessionModule}, the request fails
 * with a `TypeError` saying to import it (500).
 */
export const Session = (): ParameterDecorator => sessionParameter();
