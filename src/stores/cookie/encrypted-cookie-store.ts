/**
 * A cookie store that encrypts: the visitor can neither read nor change the
 * session (Rails encrypted cookies since 5.2, iron-session).
 *
 * Format: `e1.<kid>.<nonce>.<ciphertext>` (base64url parts). AES-256-GCM with a
 * random 96-bit nonce per write and a 128-bit tag; the key is derived from the
 * secret with HKDF-SHA256 (fixed salt and info, see `keys.ts`). `kid` names the
 * secret (a derived 48-bit fingerprint, never the secret, and unchanged when
 * secrets are added in front); `e1.<kid>` is the GCM additional data, so the
 * version and key id are authenticated with the ciphertext.
 * @module
 */

import type { CookieSessionPayload, CookieSessionStore } from '../../core/cookie-store.js';
import { fromBase64url, toBase64url } from './base64url.js';
import { createCookieStore } from './cookie-store-base.js';
import { deriveBits, KEY_DERIVATION_INFO, lazily } from './keys.js';
import { type CookieStoreOptions, resolveCookieStoreOptions } from './options.js';
import { decodePayload, encodePayload } from './payload.js';

/** Options of {@link createEncryptedCookieStore}. */
export type EncryptedCookieStoreOptions = CookieStoreOptions;

/** The format tag of encrypted cookies; authenticated as additional data. */
export const ENCRYPTED_COOKIE_VERSION = 'e1';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID_LENGTH = 8; // 6 bytes in base64url
const NONCE_LENGTH = 16; // 12 bytes in base64url
const encoder = new TextEncoder();

interface EncryptionKey {
  id: string;
  key: CryptoKey;
}

/**
 * Creates an encrypted cookie store. Pass it as the `store` option of any adapter.
 * Throws `SessionConfigError` (from `tessera-session`) when a secret is shorter than 32 bytes.
 *
 * @example
 * ```ts
 * app.use(createSessionMiddleware({
 *   store: createEncryptedCookieStore({ secrets: [process.env.SESSION_SECRET!] }),
 * }));
 * ```
 */
export function createEncryptedCookieStore(
  options: EncryptedCookieStoreOptions,
): CookieSessionStore {
  const resolved = resolveCookieStoreOptions(options, 'createEncryptedCookieStore');
  const keys = lazily(() =>
    Promise.all(
      resolved.secrets.map(
        async (secret): Promise<EncryptionKey> => ({
          id: toBase64url(await deriveBits(secret, KEY_DERIVATION_INFO.keyId, 6)),
          key: await crypto.subtle.importKey(
            'raw',
            await deriveBits(secret, KEY_DERIVATION_INFO.encryption, 32),
            { name: 'AES-GCM' },
            false,
            ['encrypt', 'decrypt'],
          ),
        }),
      ),
    ),
  );

  return createCookieStore('encrypted-cookie', resolved, {
    async seal(payload: CookieSessionPayload) {
      const [newest] = await keys();
      const header = `${ENCRYPTED_COOKIE_VERSION}.${newest!.id}`;
      // A fresh random nonce per write: GCM must never reuse one under a key.
      const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
      const sealed = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv: nonce, additionalData: encoder.encode(header), tagLength: 128 },
        newest!.key,
        encodePayload(payload),
      );
      return `${header}.${toBase64url(nonce)}.${toBase64url(new Uint8Array(sealed))}`;
    },
    async open(value) {
      const parts = value.split('.');
      if (parts.length !== 4 || parts[0] !== ENCRYPTED_COOKIE_VERSION) return null;
      const [, keyId, encodedNonce, encodedSealed] = parts as [string, string, string, string];
      if (keyId.length !== KEY_ID_LENGTH || encodedNonce.length !== NONCE_LENGTH) return null;
      const nonce = fromBase64url(encodedNonce);
      const sealed = fromBase64url(encodedSealed);
      if (!nonce || !sealed || sealed.length <= TAG_BYTES) return null;
      const header = encoder.encode(`${ENCRYPTED_COOKIE_VERSION}.${keyId}`);
      const all = await keys();
      for (let index = 0; index < all.length; index++) {
        if (all[index]!.id !== keyId) continue;
        let plain: ArrayBuffer;
        try {
          plain = await crypto.subtle.decrypt(
            { name: 'AES-GCM', iv: nonce, additionalData: header, tagLength: 128 },
            all[index]!.key,
            sealed,
          );
        } catch {
          continue; // not this key (or tampered): the tag did not verify
        }
        const payload = decodePayload(new Uint8Array(plain));
        return payload ? { payload, sealedWith: index } : null;
      }
      return null;
    },
  });
}
