/**
 * Reading the session cookie from a `Cookie` header and writing `Set-Cookie`.
 * Parsing is done by the well-kept `cookie` package (RFC 6265; duplicate names:
 * the first wins; never throws). Attributes are checked once, at creation.
 * @module
 */

import { parse, serialize } from 'cookie';
import { SessionConfigError } from './errors.js';
import type { ResolvedCookieOptions } from './options.js';

/** Builds `Set-Cookie` values for one resolved cookie configuration. */
export interface SessionCookieCodec {
  /** The session cookie's value in a `Cookie` header, if any (not yet validated). */
  read(header: string | null | undefined): string | undefined;
  /** `Set-Cookie` for an id; `maxAge` in seconds, `undefined` for a browser-session cookie. */
  issue(id: string, maxAge: number | undefined, secure: boolean): string;
  /** `Set-Cookie` that deletes the cookie (Max-Age=0, as Django). */
  clear(secure: boolean): string;
}

// RFC 6265 §4.1.1 token for names; cookie-av values must not contain CTLs or ';' (CVE-2024-47764).
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const ATTRIBUTE_VALUE = /^[\u0020-\u003A\u003C-\u007E]*$/;
const EPOCH = 'Thu, 01 Jan 1970 00:00:00 GMT';

/** Checks cookie attributes; throws {@link SessionConfigError} naming the option. */
export function checkCookieOptions(cookie: ResolvedCookieOptions): void {
  if (typeof cookie.name !== 'string' || !TOKEN.test(cookie.name)) {
    throw new SessionConfigError(
      `Option "cookie.name" must be an RFC 6265 token (letters, digits and !#$%&'*+-.^_\`|~); got ${JSON.stringify(cookie.name)}.`,
    );
  }
  if (
    typeof cookie.path !== 'string' ||
    !cookie.path.startsWith('/') ||
    !ATTRIBUTE_VALUE.test(cookie.path)
  ) {
    throw new SessionConfigError(
      `Option "cookie.path" must start with "/" and contain no ";" or control characters; got ${JSON.stringify(cookie.path)}.`,
    );
  }
  if (
    cookie.domain !== undefined &&
    !/^\.?[A-Za-z0-9]([A-Za-z0-9-.]*[A-Za-z0-9])?$/.test(cookie.domain)
  ) {
    throw new SessionConfigError(
      `Option "cookie.domain" must be a host name such as "example.com"; got ${JSON.stringify(cookie.domain)}.`,
    );
  }
  if (!['lax', 'strict', 'none', false].includes(cookie.sameSite)) {
    throw new SessionConfigError(
      `Option "cookie.sameSite" must be 'lax', 'strict', 'none' or false.`,
    );
  }
  if (cookie.secure !== true && cookie.secure !== false && cookie.secure !== 'auto') {
    throw new SessionConfigError(`Option "cookie.secure" must be true, false or 'auto'.`);
  }
  checkPrefixRules(cookie);
}

// RFC 6265bis §4.1.3: browsers drop prefixed cookies that break these rules; fail at startup instead.
function checkPrefixRules(cookie: ResolvedCookieOptions): void {
  const lower = cookie.name.toLowerCase();
  const needsSecure = lower.startsWith('__secure-') || lower.startsWith('__host-');
  if (needsSecure && cookie.secure !== true) {
    throw new SessionConfigError(
      `Cookie name "${cookie.name}" requires option "cookie.secure: true" (RFC 6265bis prefix rules); serve over HTTPS.`,
    );
  }
  if (lower.startsWith('__host-') && (cookie.domain !== undefined || cookie.path !== '/')) {
    throw new SessionConfigError(
      `Cookie name "${cookie.name}" requires "cookie.path: '/'" and no "cookie.domain" (RFC 6265bis __Host- prefix).`,
    );
  }
  if (cookie.sameSite === 'none' && cookie.secure !== true) {
    throw new SessionConfigError(
      'Option "cookie.sameSite: \'none\'" requires "cookie.secure: true" (RFC 6265bis).',
    );
  }
  if (cookie.partitioned && cookie.secure !== true) {
    throw new SessionConfigError(
      'Option "cookie.partitioned" requires "cookie.secure: true" (CHIPS).',
    );
  }
}

/**
 * The value of cookie `name` in a `Cookie` header, `undefined` when absent:
 * parsed by the `cookie` package as the session cookie is (RFC 6265; the
 * first of duplicate names wins; never throws on malformed input).
 */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  return readNamedCookie(header, name, `${name}=`);
}

/** {@link readCookie} with `marker` (`name=`) built once by the caller: most headers lack it and are never parsed. */
function readNamedCookie(
  header: string | null | undefined,
  name: string,
  marker: string,
): string | undefined {
  if (!header?.includes(marker)) return undefined;
  return parse(header)[name];
}

/** Creates the codec; the attribute suffix is built once so each response only adds id and age. */
export function createSessionCookieCodec(cookie: ResolvedCookieOptions): SessionCookieCodec {
  checkCookieOptions(cookie);
  // Let the `cookie` package validate the whole attribute set once as well.
  serialize(cookie.name, 'x', {
    path: cookie.path,
    ...(cookie.domain ? { domain: cookie.domain } : {}),
  });
  let suffix = `; Path=${cookie.path}`;
  if (cookie.domain) suffix += `; Domain=${cookie.domain}`;
  if (cookie.httpOnly) suffix += '; HttpOnly';
  if (cookie.sameSite)
    suffix += `; SameSite=${cookie.sameSite[0]!.toUpperCase()}${cookie.sameSite.slice(1)}`;
  if (cookie.partitioned) suffix += '; Partitioned';
  const secureSuffix = (secure: boolean): string =>
    cookie.secure === true || (cookie.secure === 'auto' && secure) ? `${suffix}; Secure` : suffix;
  const prefix = `${cookie.name}=`;
  // Formatting a date is the priciest part of a Set-Cookie; it changes once a second.
  let lastSecond = -1;
  let lastAge = -1;
  let lastExpires = '';
  const formatExpires = (maxAge: number): string => {
    const second = Math.floor(Date.now() / 1000);
    if (second !== lastSecond || maxAge !== lastAge) {
      lastSecond = second;
      lastAge = maxAge;
      lastExpires = new Date((second + maxAge) * 1000).toUTCString();
    }
    return lastExpires;
  };
  const name = cookie.name;

  return {
    read(header) {
      return readNamedCookie(header, name, prefix);
    },
    issue(id, maxAge, secure) {
      if (maxAge === undefined) return `${prefix}${id}${secureSuffix(secure)}`;
      return `${prefix}${id}; Max-Age=${maxAge}; Expires=${formatExpires(maxAge)}${secureSuffix(secure)}`;
    },
    clear(secure) {
      return `${prefix}; Max-Age=0; Expires=${EPOCH}${secureSuffix(secure)}`;
    },
  };
}
