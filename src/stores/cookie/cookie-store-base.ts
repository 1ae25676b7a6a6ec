/**
 * What both cookie stores share: the timestamp check and the answers to the
 * keyed store methods, as a store that holds no records.
 * @module
 */

import type {
  CookieSessionPayload,
  CookieSessionStore,
  OpenedCookieSession,
} from '../../core/cookie-store.js';
import { SessionConfigError } from '../../core/errors.js';
import type { ResolvedCookieStoreOptions } from './options.js';

/** The sealing part a concrete cookie store supplies. */
export interface CookieSealer {
  seal(payload: CookieSessionPayload): Promise<string>;
  /** Authenticates and decodes; `null` for anything not sealed by one of the secrets. */
  open(value: string): Promise<OpenedCookieSession | null>;
}

/** Builds a {@link CookieSessionStore} around a sealer. */
export function createCookieStore(
  name: string,
  options: ResolvedCookieStoreOptions,
  sealer: CookieSealer,
): CookieSessionStore {
  const { revocation, clockSkew } = options;
  const store: CookieSessionStore = {
    name,
    kind: 'cookie',
    maxAge: options.maxAge,
    revocation,
    seal: (payload) => sealer.seal(payload),
    async open(value) {
      if (typeof value !== 'string') return null;
      const opened = await sealer.open(value);
      if (!opened) return null;
      const { issuedAt, expiresAt } = opened.payload;
      // itsdangerous #126: a timestamp from the future is not a valid signature age.
      const now = Date.now();
      if (issuedAt > now + clockSkew * 1000 || expiresAt < issuedAt) return null;
      if (expiresAt + clockSkew * 1000 <= now) return null;
      return opened;
    },
    // A cookie store holds no records: the keyed methods answer as an empty store.
    read: () => null,
    create() {
      throw new SessionConfigError(
        `The ${name} store holds no records: pass it as the "store" option of createSessionManager() or of an adapter, which seal the session into the cookie.`,
      );
    },
    update: () => false,
    // Nothing to move: the manager gives a cookie session a new sid itself.
    rotate: () => false,
    touch: () => false,
    destroy: () => undefined,
    clearExpired: () => revocation?.clearExpired() ?? 0,
    close: async () => {
      await revocation?.close?.();
    },
  };
  return Object.freeze(store);
}
