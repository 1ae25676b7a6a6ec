/**
 * Random tokens and their constant-time comparison, with Web Crypto only:
 * the session's CSRF token, the admin's CSRF and login tokens, and any
 * secret an adapter or integration needs (exported through the kit).
 * @module
 */

const TOKEN_BYTES = 32; // 256 bits: OWASP CSRF cheat sheet asks for a CSPRNG token, 128 bits at least
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const encoder = new TextEncoder();

/** A fresh token: 32 CSPRNG bytes in base64url without padding (43 characters). */
export function generateRandomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(TOKEN_BYTES));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Guard: does `value` have the shape of a {@link generateRandomToken} token? (Shape only.) */
export function isRandomToken(value: unknown): value is string {
  return typeof value === 'string' && TOKEN_PATTERN.test(value);
}

/**
 * Whether `candidate` equals the secret `expected`, in constant time. Every
 * byte of `expected` is visited and differences are XOR-accumulated with no
 * early exit, so the time does not tell an attacker how many leading
 * characters were right (Rack GHSA-xc85-32mf-xpv8 / CVE-2013-0263 and
 * cookie-signature compared secrets with a fail-early `==`). A length
 * mismatch is folded into the same accumulator; only the length of
 * `expected`, which is public, shapes the loop. `false` for anything but a
 * string, and when `expected` is empty.
 */
export function isSameSecret(expected: string, candidate: unknown): boolean {
  if (typeof candidate !== 'string') return false;
  const a = encoder.encode(expected);
  const b = encoder.encode(candidate);
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ (b[i] ?? 0);
  return difference === 0 && a.length > 0;
}
