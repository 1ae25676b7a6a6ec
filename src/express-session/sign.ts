/**
 * The session cookie's value as express-session writes it: `s:` + the id +
 * `.` + base64(HMAC-SHA256(secret, id)) without `=` padding (the
 * cookie-signature format), so cookies issued before the switch stay valid.
 * @module
 */

import { createHmac, timingSafeEqual } from 'node:crypto';

/** A signing secret: a string or bytes. */
export type SessionSecret = string | Buffer;

/** `id.signature`, as cookie-signature's `sign(id, secret)`. */
export function signSessionId(id: string, secret: SessionSecret): string {
  const signature = createHmac('sha256', secret).update(id).digest('base64').replace(/=+$/, '');
  return `${id}.${signature}`;
}

/**
 * The id `signed` carries when one of `secrets` signed it, else `undefined`
 * (a forged or malformed value is "no session", never an error). Compared in
 * constant time.
 */
export function unsignSessionId(
  signed: string,
  secrets: readonly SessionSecret[],
): string | undefined {
  const dot = signed.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const id = signed.slice(0, dot);
  const given = Buffer.from(signed);
  for (const secret of secrets) {
    const expected = Buffer.from(signSessionId(id, secret));
    if (expected.length === given.length && timingSafeEqual(expected, given)) return id;
  }
  return undefined;
}
