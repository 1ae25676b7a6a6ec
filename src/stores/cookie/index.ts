/**
 * Cookie-only session stores: the session travels, sealed, in the cookie.
 * Pass one as the `store` option of any adapter; see `docs/store-cookie.md`.
 *
 * ```ts
 * import { createEncryptedCookieStore } from 'tessera-session/stores/cookie';
 * app.use(createSessionMiddleware({
 *   store: createEncryptedCookieStore({ secrets: [process.env.SESSION_SECRET!] }),
 * }));
 * ```
 * @module tessera-session/stores/cookie
 */

export {
  type CookieSessionPayload,
  type CookieSessionStore,
  isCookieSessionStore,
  type OpenedCookieSession,
} from '../../core/cookie-store.js';
export {
  createEncryptedCookieStore,
  ENCRYPTED_COOKIE_VERSION,
  type EncryptedCookieStoreOptions,
} from './encrypted-cookie-store.js';
export { KEY_DERIVATION_INFO, KEY_DERIVATION_SALT } from './keys.js';
export {
  type CookieStoreOptions,
  DEFAULT_COOKIE_STORE_OPTIONS,
  MIN_SECRET_BYTES,
  type ResolvedCookieStoreOptions,
} from './options.js';
export {
  createSignedCookieStore,
  SIGNED_COOKIE_VERSION,
  type SignedCookieStoreOptions,
} from './signed-cookie-store.js';
