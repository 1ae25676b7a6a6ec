/**
 * Tessera for React Router 8 (framework mode): a `SessionStorage` on any
 * Tessera store. An app on `createCookieSessionStorage`,
 * `createMemorySessionStorage` or `createSessionStorage` changes one import
 * and its options; its loaders and actions stay as they are. Keyed flash
 * (`session.flash('error', msg)`, gone after the first `get`) works as in
 * React Router; `session.tessera` is the Tessera session, for `login()`,
 * `logout()`, the CSRF token and the test cookie. Imports nothing from
 * `react-router`.
 *
 * ```ts
 * // app/sessions.server.ts
 * import { createTesseraSessionStorage } from 'tessera-session/react-router';
 * import { createSqliteStore } from 'tessera-session/stores/sqlite';
 *
 * export const { getSession, commitSession, destroySession } = createTesseraSessionStorage<
 *   { visits: number },
 *   { message: string }
 * >({ store: createSqliteStore({ path: '.data/sessions.sqlite' }) });
 *
 * // app/routes/home.tsx
 * export async function loader({ request }: Route.LoaderArgs) {
 *   const session = await getSession(request.headers.get('Cookie'));
 *   const visits = (session.get('visits') ?? 0) + 1;
 *   session.set('visits', visits);
 *   return data({ visits }, { headers: { 'Set-Cookie': await commitSession(session) } });
 * }
 * ```
 * @module tessera-session/react-router
 */

export {
  isSessionError,
  type Session,
  SessionConfigError,
  SessionDataError,
  SessionInterruptedError,
  SessionStoreError,
} from '../../core/index.js';
export {
  type CsrfCheckedRequest,
  checkCsrfRequest,
  csrfFailureResponse,
  type GetSessionOptions,
  type RequestLike,
} from '../../web/index.js';
export type { CommitSessionOptions } from './commit-session-options.js';
export { REACT_ROUTER_FLASH_QUEUE } from './flash-values.js';
export { createReactRouterSession } from './react-router-session.js';
export type {
  FlashSessionData,
  ReactRouterSession,
  ReactRouterSessionShape,
  TesseraSessionData,
} from './session-shape.js';
export {
  createTesseraSessionStorage,
  type GetReactRouterSessionOptions,
  type TesseraSessionStorage,
  type TesseraSessionStorageOptions,
} from './session-storage.js';
