/**
 * Session ids: 192 bits from the CSPRNG in a URL-safe alphabet, checked for
 * shape before any store lookup, and stored only as a SHA-256 digest.
 * Uses Web Crypto only, so the core runs on every runtime.
 * @module
 */

const ID_BYTES = 24; // 192 bits, above OWASP's / ASVS 7.2.3's 128-bit minimum
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ID_PATTERN = /^[A-Za-z0-9_-]{32}$/;

/** Creates a fresh, random session id (32 URL-safe characters). */
export function generateSessionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(ID_BYTES));
  let id = '';
  for (let i = 0; i < ID_BYTES; i += 3) {
    const chunk = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    id +=
      ALPHABET[(chunk >> 18) & 63]! +
      ALPHABET[(chunk >> 12) & 63]! +
      ALPHABET[(chunk >> 6) & 63]! +
      ALPHABET[chunk & 63]!;
  }
  return id;
}

/** Guard: does this look like an id Tessera issued? (Shape only; the store decides if it exists.) */
export function isValidSessionId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

/** Turns a session id into its store key. May answer synchronously. */
export type SessionIdDigester = (id: string) => string | Promise<string>;

const encoder = new TextEncoder();

/** SHA-256 of the id, hex: the store key (Rack CVE-2019-16782: never key a store by the raw id). */
export async function digestSessionIdWebCrypto(id: string): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(id)));
  let hex = '';
  for (const byte of hash) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
