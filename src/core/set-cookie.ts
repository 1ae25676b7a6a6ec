/**
 * A `Set-Cookie` value taken apart, for frameworks that set cookies through
 * an API (`cookies().set(name, value, options)`) rather than a header.
 * @module
 */

/** Attributes of a cookie as cookie APIs take them (`maxAge` in seconds, as the `cookie` package). */
export interface CookieAttributes {
  path?: string;
  domain?: string;
  expires?: Date;
  /** Seconds. */
  maxAge?: number;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: 'lax' | 'strict' | 'none';
  partitioned?: boolean;
  priority?: 'low' | 'medium' | 'high';
}

/** One cookie to set: its name, its value (not percent-encoded) and its attributes. */
export interface CookieToSet {
  name: string;
  value: string;
  attributes: CookieAttributes;
}

const SAME_SITE = new Set(['lax', 'strict', 'none']);
const PRIORITY = new Set(['low', 'medium', 'high']);

/**
 * The cookie a `Set-Cookie` value sets. Meant for the values Tessera writes
 * (RFC 6265 §4.1 syntax); unknown attributes are left out.
 */
export function describeSetCookie(setCookie: string): CookieToSet {
  const [pair = '', ...parts] = setCookie.split(';');
  const equals = pair.indexOf('=');
  const name = pair.slice(0, equals).trim();
  const attributes: CookieAttributes = {};
  for (const part of parts) {
    const at = part.indexOf('=');
    const key = (at === -1 ? part : part.slice(0, at)).trim().toLowerCase();
    const value = at === -1 ? '' : part.slice(at + 1).trim();
    if (key === 'path') attributes.path = value;
    else if (key === 'domain') attributes.domain = value;
    else if (key === 'expires') attributes.expires = new Date(value);
    else if (key === 'max-age') attributes.maxAge = Number(value);
    else if (key === 'httponly') attributes.httpOnly = true;
    else if (key === 'secure') attributes.secure = true;
    else if (key === 'partitioned') attributes.partitioned = true;
    else if (key === 'samesite' && SAME_SITE.has(value.toLowerCase()))
      attributes.sameSite = value.toLowerCase() as CookieAttributes['sameSite'];
    else if (key === 'priority' && PRIORITY.has(value.toLowerCase()))
      attributes.priority = value.toLowerCase() as CookieAttributes['priority'];
  }
  return { name, value: decodeCookieValue(pair.slice(equals + 1).trim()), attributes };
}

function decodeCookieValue(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
