/**
 * Turning the configured secrets into Web Crypto keys with HKDF-SHA256.
 *
 * Salt and info are fixed and public (HKDF's security rests on the secret, which
 * must be high-entropy: HKDF does no password stretching). Each purpose has its
 * own info string, so one secret used by both cookie stores still gives
 * unrelated keys (the Rails guide's "different salts for signed and encrypted").
 * @module
 */

/** The HKDF salt of every cookie-store key: fixed and documented in `docs/store-cookie.md`. */
export const KEY_DERIVATION_SALT = 'tessera cookie session v1';

/** HKDF `info` of each derived key. */
export const KEY_DERIVATION_INFO = Object.freeze({
  signing: 'tessera signed cookie v1: hmac-sha256',
  encryption: 'tessera encrypted cookie v1: aes-256-gcm',
  keyId: 'tessera encrypted cookie v1: key id',
});

const encoder = new TextEncoder();

/** The secret as bytes (strings as UTF-8). */
export function secretBytes(secret: string | Uint8Array): Uint8Array {
  return typeof secret === 'string' ? encoder.encode(secret) : secret;
}

/** Derives `length` bytes from a secret for one purpose. */
export async function deriveBits(
  secret: Uint8Array<ArrayBuffer>,
  info: string,
  length: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const material = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: encoder.encode(KEY_DERIVATION_SALT),
      info: encoder.encode(info),
    },
    material,
    length * 8,
  );
  return new Uint8Array(bits);
}

/** Runs `derive` once, on first use, and keeps the result. */
export function lazily<T>(derive: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => {
    result ??= derive();
    return result;
  };
}
