/**
 * Tessera for NestJS 12, on the Express and the Fastify platform: a global
 * module that puts the visitor's session on every request, a typed `@Session()`
 * parameter, and a CSRF guard.
 *
 * ```ts
 * import { Controller, Get, Module } from '@nestjs/common';
 * import { Session, TesseraSessionModule } from 'tessera-session/nestjs';
 * import { createSqliteStore } from 'tessera-session/stores/sqlite';
 *
 * @Controller()
 * class CounterController {
 *   @Get()
 *   count(@Session() session: Session<{ visits: number }>): string {
 *     const visits = session.get('visits', 0) + 1;
 *     session.set('visits', visits);
 *     return `You have visited this page ${visits} times`;
 *   }
 * }
 *
 * @Module({
 *   imports: [TesseraSessionModule.forRoot({ store: createSqliteStore({ path: 'sessions.sqlite' }), csrf: true })],
 *   controllers: [CounterController],
 * })
 * export class AppModule {}
 * ```
 *
 * - Express: the module applies Tessera's Express middleware (`tessera-session/express`)
 *   to every route. Fastify: it registers Tessera's Fastify plugin
 *   (`tessera-session/fastify`) on the Fastify instance, since Nest middleware
 *   sees only Node's raw request there. Do not register either yourself as well.
 * - The session is saved before the response goes out (redirects included);
 *   store failures answer 503, a save after a concurrent logout 400.
 * - `csrf: true` checks the token on every unsafe request ({@link CsrfGuard});
 *   {@link SkipCsrf} exempts a route.
 * @module tessera-session/nestjs
 */

export { CsrfGuard } from './csrf-guard.js';
export {
  DEFAULT_MODULE_OPTIONS,
  type TesseraSessionModuleOptions,
} from './module-options.js';
export { getRequestSession } from './request-session.js';
export { Session } from './session-decorator.js';
export { SessionManagerHost } from './session-manager-host.js';
export {
  TESSERA_SESSION_OPTIONS,
  TesseraSessionModule,
  type TesseraSessionModuleAsyncOptions,
} from './session-module.js';
export { isCsrfSkipped, SKIP_CSRF_METADATA, SkipCsrf } from './skip-csrf.js';
