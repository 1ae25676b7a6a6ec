/**
 * Tessera for SvelteKit: a `handle` hook that puts the request's session in
 * `event.locals.session` (typed through `App.Locals`), saves it when the
 * response leaves, and checks CSRF tokens of form actions and endpoints.
 * Built on `tessera-session/web`; imports nothing from `@sveltejs/kit`.
 *
 * ```ts
 * // src/hooks.server.ts
 * import { createSessionHandle } from 'tessera-session/sveltekit';
 * import { createSqliteStore } from 'tessera-session/stores/sqlite';
 *
 * export const handle = createSessionHandle({ store: createSqliteStore(), csrf: true });
 *
 * // src/routes/+page.server.ts
 * export const load = ({ locals }) => {
 *   const visits = locals.session.get('visits', 0) + 1;
 *   locals.session.set('visits', visits);
 *   return { visits, csrfToken: locals.session.csrfToken() };
 * };
 * ```
 * @module tessera-session/sveltekit
 */

export {
  isSessionError,
  Session,
  SessionConfigError,
  type SessionData,
  SessionDataError,
  SessionInterruptedError,
  SessionStoreError,
} from '../../web/index.js';
export {
  createSessionHandle,
  DEFAULT_SVELTEKIT_SESSION_OPTIONS,
  type SessionHandle,
  type SvelteKitSessionOptions,
} from './create-session-handle.js';
export { checkCsrfEvent } from './csrf.js';
export type { SessionHandleInput, SessionLocals, SessionRequestEvent } from './request-event.js';
export { getEventSession } from './session-of-event.js';
