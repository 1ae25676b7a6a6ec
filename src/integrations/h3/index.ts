/**
 * Tessera for h3: `event.context.session` in h3 v2 apps and in h3 v1 apps,
 * which is what Nuxt 3 and 4 run (Nitro v2). One middleware serves both; the
 * session is saved before the response goes out, redirects included.
 *
 * ```ts
 * // h3 v2
 * import { H3, redirect, serve } from 'h3';
 * import { createH3Sessions, checkCsrfEvent, csrfFailureResponse } from 'tessera-session/h3';
 * import { createSqliteStore } from 'tessera-session/stores/sqlite';
 *
 * const sessions = createH3Sessions<{ visits: number }>({ store: createSqliteStore({ path: 'sessions.sqlite' }) });
 * const app = new H3().use(sessions.middleware);
 * app.get('/', (event) => {
 *   const visits = event.context.session.get('visits', 0) + 1;
 *   event.context.session.set('visits', visits);
 *   return `visits: ${visits}`;
 * });
 * app.post('/logout', async (event) => {
 *   if (!(await checkCsrfEvent(event))) return csrfFailureResponse();
 *   event.context.session.logout();
 *   return redirect('/', 303);
 * });
 * serve(app);
 *
 * // Nuxt 4 (h3 v1): server/middleware/session.ts
 * export default defineEventHandler(sessions.middleware);
 *
 * // Typing event.context.session, in any .d.ts or .ts file of the app:
 * declare module 'h3' {
 *   interface H3EventContext { session: Session<{ visits: number }> }
 * }
 * ```
 * @module tessera-session/h3
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
export { csrfFailureResponse } from '../../web/index.js';
export {
  createH3Sessions,
  type H3SessionMiddleware,
  type H3SessionOptions,
  type H3Sessions,
} from './create-h3-sessions.js';
export { type CsrfBody, checkCsrfEvent } from './csrf.js';
export { getEventSession } from './event-session.js';
export {
  type H3EventLike,
  type H3EventV1Like,
  type H3EventV2Like,
  isH3EventV2,
} from './h3-event.js';
