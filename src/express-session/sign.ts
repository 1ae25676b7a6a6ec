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

/** How many verified cookie values each secret list remembers. */
const VERIFIED_LIMIT = 4096;

/**
 * Cookie values that verified, value → id, one map per secret list (the
 * middleware's list lives as long as the middleware): the HMAC-SHA256 of
 * every request costs more than the rest of reading a memory-store session.
 * Only a value that verified against the same secrets is ever found here, so a
 * hit proves what a new HMAC would; a forged value always takes the
 * constant-time comparison. Oldest first out, so the map stays bounded.
 */
const verifiedValues = new WeakMap<readonly SessionSecret[], Map<string, string>>();

/**
 * The id `signed` carries when one of `secrets` signed it, else `undefined`
 * (a forged or malformed value is "no session", never an error). Compared in
 * constant time; a value seen verified before with the same `secrets` array
 * is answered from a bounded cache.
 */
export function unsignSessionId(
  signed: string,
  secrets: readonly SessionSecret[],
): string | undefined {
  let verified = verifiedValues.get(secrets);
  const known = verified?.get(signed);
  if (known !== undefined) return known;
  const id = verifySignedId(signed, secrets);
  if (id === undefined) return undefined;
  if (verified === undefined) {
    verified = new Map();
    verifiedValues.set(secrets, verified);
  } else if (verified.size >= VERIFIED_LIMIT) {
    verified.delete(verified.keys().next().value as string);
  }
  verified.set(signed, id);
  return id;
}

function verifySignedId(signed: string, secrets: readonly SessionSecret[]): string | undefined {
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
