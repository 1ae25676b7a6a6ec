/**
 * Tessera sessions for Next.js (App Router, Node.js runtime): Route Handlers,
 * Server Actions, read-only sessions in Server Components, and `proxy.ts`.
 * Built on `tessera-session/web`; imports nothing from `next` (pass it
 * `cookies` from `next/headers`).
 *
 * ```ts
 * // lib/sessions.ts
 * import { cookies } from 'next/headers';
 * import { createNextSessions } from 'tessera-session/next';
 * import { createSqliteStore } from 'tessera-session/stores/sqlite';
 *
 * export const sessions = createNextSessions<{ cart: string[] }>({
 *   store: createSqliteStore({ path: '.data/sessions.sqlite' }),
 *   cookies,
 * });
 *
 * // app/cart/actions.ts — a Server Action
 * 'use server';
 * export async function addToCart(form: FormData) {
 *   await sessions.withSession((session) => {
 *     if (!session.isValidCsrfToken(form.get('_csrf'))) throw new Error('Bad CSRF token');
 *     session.set('cart', [...session.get('cart', []), String(form.get('item'))]);
 *     session.flash(`Added ${form.get('item')}`);
 *     redirect('/cart'); // the session is saved first
 *   });
 * }
 *
 * // app/cart/page.tsx — a Server Component: read-only
 * const session = await sessions.read();
 * session.get('cart', []);
 * ```
 * @module tessera-session/next
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
export {
  type CookieReader,
  type CookieWriter,
  checkCsrfRequest,
  csrfFailureResponse,
  type WebSessionOptions,
} from '../../web/index.js';
export { isNextControlFlowError } from './control-flow.js';
export {
  createNextSessions,
  DEFAULT_NEXT_SESSIONS_OPTIONS,
  type NextSessions,
  type NextSessionsOptions,
  SERVER_COMPONENT_READ_ONLY_MESSAGE,
  type SessionRouteHandler,
} from './create-next-sessions.js';
export {
  isResponseWithCookies,
  type NextCookieStore,
  type NextCookiesFunction,
  type ResponseWithCookies,
} from './next-cookies.js';
