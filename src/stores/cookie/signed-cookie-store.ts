/**
 * A cookie store that signs: the payload is readable by the visitor (base64url
 * JSON) but cannot be changed (Django `signed_cookies`, Pyramid
 * `SignedCookieSessionFactory`).
 *
 * Format: `t1.<payload>.<mac>` where `payload` is the base64url JSON of the
 * {@link CookieSessionPayload} (with its `issuedAt` timestamp) and `mac` the
 * base64url HMAC-SHA256 of `t1.<payload>` under a key derived with HKDF from the
 * secret. The whole value is parsed strictly: exactly three parts, canonical
 * base64url, a 32-byte MAC; anything appended is rejected (tinyhttp
 * GHSA-63x4-8g8c-vhww: a valid cookie with garbage appended once verified).
 * @module
 */

import type { CookieSessionPayload, CookieSessionStore } from '../../core/cookie-store.js';
import { fromBase64url, toBase64url } from './base64url.js';
import { constantTimeEqual } from './constant-time.js';
import { createCookieStore } from './cookie-store-base.js';
import { deriveBits, KEY_DERIVATION_INFO, lazily } from './keys.js';
import { type CookieStoreOptions, resolveCookieStoreOptions } from './options.js';
import { decodePayload, encodePayload } from './payload.js';

/** Options of {@link createSignedCookieStore}. */
export type SignedCookieStoreOptions = CookieStoreOptions;

/** The format tag of signed cookies; covered by the MAC. */
export const SIGNED_COOKIE_VERSION = 't1';

const MAC_LENGTH = 43; // 32 bytes in unpadded base64url
const encoder = new TextEncoder();

/**
 * Creates a signed cookie store. Pass it as the `store` option of any adapter.
 * Throws `SessionConfigError` (from `tessera-session`) when a secret is shorter than 32 bytes.
 *
 * @example
 * ```ts
 * app.use(createSessionMiddleware({
 *   store: createSignedCookieStore({ secrets: [process.env.SESSION_SECRET!] }),
 * }));
 * ```
 */
export function createSignedCookieStore(options: SignedCookieStoreOptions): CookieSessionStore {
  const resolved = resolveCookieStoreOptions(options, 'createSignedCookieStore');
  const keys = lazily(() =>
    Promise.all(
      resolved.secrets.map(async (secret) =>
        crypto.subtle.importKey(
          'raw',
          await deriveBits(secret, KEY_DERIVATION_INFO.signing, 32),
          { name: 'HMAC', hash: 'SHA-256' },
          false,
          ['sign'],
        ),
      ),
    ),
  );

  async function mac(key: CryptoKey, signed: string): Promise<Uint8Array> {
    return new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(signed)));
  }

  return createCookieStore('signed-cookie', resolved, {
    async seal(payload: CookieSessionPayload) {
      const signed = `${SIGNED_COOKIE_VERSION}.${toBase64url(encodePayload(payload))}`;
      const [newest] = await keys();
      return `${signed}.${toBase64url(await mac(newest!, signed))}`;
    },
    async open(value) {
      const parts = value.split('.');
      if (parts.length !== 3 || parts[0] !== SIGNED_COOKIE_VERSION) return null;
      const [, encoded, signature] = parts as [string, string, string];
      if (encoded.length === 0 || signature.length !== MAC_LENGTH) return null;
      const given = fromBase64url(signature);
      if (!given) return null;
      const signed = `${SIGNED_COOKIE_VERSION}.${encoded}`;
      const all = await keys();
      for (let index = 0; index < all.length; index++) {
        // Compare the whole MAC in constant time (cookie-signature's timing attack).
        if (!constantTimeEqual(await mac(all[index]!, signed), given)) continue;
        const bytes = fromBase64url(encoded);
        const payload = bytes && decodePayload(bytes);
        return payload ? { payload, sealedWith: index } : null;
      }
      return null;
    },
  });
}
