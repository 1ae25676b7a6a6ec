/**
 * The contract of a cookie-only store: the session travels, sealed, in the
 * cookie itself, so the store is not keyed by id. It seals a payload into a
 * cookie value and opens one back; `createSessionManager` hands a manager with
 * such a store to the cookie session manager.
 *
 * A cookie store also answers the keyed {@link SessionStore} methods as a store
 * that holds no records (`read` → `null`, …), so it fits the `store` option and
 * `manager.store` like any store.
 * @module
 */

import type { SessionStore, StoredData } from './store.js';

/** What a cookie store seals into the cookie. */
export interface CookieSessionPayload {
  /** A random id (the shape of a session id): names this cookie for revocation and `cycleKey()`. */
  sid: string;
  /** The session's encoded data. */
  data: StoredData;
  /** When the session was first created, in milliseconds since the epoch. */
  createdAt: number;
  /** When this cookie stops being valid, in milliseconds since the epoch. */
  expiresAt: number;
  /** The user the session belongs to; `null` when anonymous. */
  userId: string | null;
  /** When this cookie was sealed, in milliseconds since the epoch. */
  issuedAt: number;
}

/** A cookie value a store could open. */
export interface OpenedCookieSession {
  /** The authenticated payload. */
  payload: CookieSessionPayload;
  /** Index in `secrets` of the secret that opened it; above 0 means "re-issue under the newest". */
  sealedWith: number;
}

/** A store that keeps the session in the cookie (see `tessera-session/stores/cookie`). */
export interface CookieSessionStore extends SessionStore {
  /** Tells cookie stores from keyed stores. */
  readonly kind: 'cookie';
  /** Default session lifetime in seconds, used when the manager's `cookieAge` is not given. */
  readonly maxAge: number;
  /**
   * A server-side store recording revoked cookie ids, so that `flush()`,
   * `logout()` and `cycleKey()` also kill copies of the old cookie
   * (@fastify/secure-session CVE-2024-31999); `undefined` when not set.
   */
  readonly revocation: SessionStore | undefined;
  /** Seals a payload into a cookie value (printable ASCII without `;`, `,`, space or `"`). */
  seal(payload: CookieSessionPayload): Promise<string>;
  /**
   * Opens a cookie value; `null` when it is missing, malformed, tampered with,
   * sealed with an unknown secret or stamped in the future. Never rejects for
   * bad input. Expiry is the manager's to check.
   */
  open(value: string): Promise<OpenedCookieSession | null>;
}

/** Guard: is this a cookie-only store rather than a store keyed by session id? */
export function isCookieSessionStore(store: unknown): store is CookieSessionStore {
  return (
    typeof store === 'object' &&
    store !== null &&
    (store as { kind?: unknown }).kind === 'cookie' &&
    typeof (store as { seal?: unknown }).seal === 'function' &&
    typeof (store as { open?: unknown }).open === 'function'
  );
}
