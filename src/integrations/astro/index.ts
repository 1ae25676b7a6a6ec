/**
 * Tessera for Astro 7 (on-demand rendering, the Node adapter or any server
 * adapter): a middleware puts the request's session in
 * `context.locals.session` (`Astro.locals.session` in pages) and saves it
 * onto the response; a second one checks the CSRF token of every unsafe
 * request. Astro is typed structurally: no `astro` import at runtime.
 *
 * ```ts
 * // src/middleware.ts
 * import { sequence } from 'astro:middleware';
 * import { createCsrfMiddleware, createSessionMiddleware } from 'tessera-session/astro';
 * import { createSqliteStore } from 'tessera-session/stores/sqlite';
 *
 * export const onRequest = sequence(
 *   createSessionMiddleware({ store: createSqliteStore({ path: '.data/sessions.sqlite' }) }),
 *   createCsrfMiddleware(),
 * );
 *
 * // src/env.d.ts
 * declare namespace App {
 *   interface Locals {
 *     session: import('tessera-session/astro').Session<{ visits: number }>;
 *   }
 * }
 *
 * // src/pages/index.astro (frontmatter)
 * const session = Astro.locals.session;
 * const visits = session.get('visits', 0) + 1;
 * session.set('visits', visits);
 * ```
 *
 * Change the session in a page's frontmatter, an endpoint, an action or a
 * middleware: components render while the page streams, after the save.
 * This is not Astro's own `Astro.session` (an unsigned UUID cookie over an
 * unstorage driver); the two can live side by side.
 * @module tessera-session/astro
 */

export {
  isSessionError,
  Session,
  SessionConfigError,
  type SessionData,
  SessionDataError,
  SessionInterruptedError,
  SessionStoreError,
} from '../../core/index.js';
export { checkCsrfRequest, csrfFailureResponse } from '../../web/index.js';
export type { AstroContext, AstroMiddleware, AstroNext, SessionLocals } from './astro-context.js';
export { createCsrfMiddleware } from './csrf-middleware.js';
export { getSession } from './get-session.js';
export {
  type AstroSessionMiddleware,
  type AstroSessionOptions,
  createSessionMiddleware,
} from './session-middleware.js';
