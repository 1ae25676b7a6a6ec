/**
 * Reading one `Set-Cookie` header the way a browser's cookie jar does.
 * @module
 */

/** One parsed `Set-Cookie` header. */
export interface ParsedSetCookie {
  /** The cookie's name (`''` when the header has none). */
  name: string;
  /** The cookie's value, as sent. */
  value: string;
  /** Lower-cased attribute names and their values (`''` for flags such as `HttpOnly`). */
  attributes: Map<string, string>;
  /** Whether this header deletes the cookie (`Max-Age` ≤ 0, or `Expires` in the past). */
  deletes: boolean;
}

/**
 * Parses one `Set-Cookie` header value (RFC 6265 §5.2, leniently): `Max-Age`
 * wins over `Expires`, as in browsers.
 *
 * @example
 * ```ts
 * parseSetCookie('sessionid=abc; Max-Age=0; Path=/').deletes; // true
 * ```
 */
export function parseSetCookie(header: string, now = Date.now()): ParsedSetCookie {
  const [pair = '', ...parts] = header.split(';');
  const eq = pair.indexOf('=');
  const name = (eq === -1 ? '' : pair.slice(0, eq)).trim();
  const value = (eq === -1 ? pair : pair.slice(eq + 1)).trim();
  const attributes = new Map<string, string>();
  for (const part of parts) {
    const at = part.indexOf('=');
    const key = (at === -1 ? part : part.slice(0, at)).trim().toLowerCase();
    if (key !== '') attributes.set(key, at === -1 ? '' : part.slice(at + 1).trim());
  }
  const maxAge = attributes.get('max-age');
  const expires = attributes.get('expires');
  let deletes = false;
  if (maxAge !== undefined && /^-?[0-9]+$/.test(maxAge)) deletes = Number(maxAge) <= 0;
  else if (expires !== undefined) deletes = Date.parse(expires) <= now;
  return { name, value, attributes, deletes };
}
