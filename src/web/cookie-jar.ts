import type { CookieAttributes } from '../kit/index.js';

/**
 * A framework's cookie reader: Next.js `cookies()`, SvelteKit `event.cookies`,
 * Astro `context.cookies`, or `{ get: (name) => getCookie(event, name) }` on h3.
 * `get` answers the cookie's decoded value, or an object with it in `value`.
 */
export interface CookieReader {
  /** The cookie's value (or an object holding it), `undefined` or `null` when there is none. */
  get(name: string): string | { readonly value: string } | null | undefined;
}

/**
 * A framework's cookie writer (same objects as {@link CookieReader}). Tessera
 * passes every attribute, `path` included, with `maxAge` in seconds; the
 * value is URL-safe, so a framework's default encoding leaves it as it is.
 */
export interface CookieWriter {
  /** Sets (or, with `maxAge: 0`, deletes) the cookie. */
  set(name: string, value: string, attributes: CookieAttributes): unknown;
}

/** The `Cookie` header a cookie jar stands for, holding only the session cookie. */
export function readCookieHeader(cookies: CookieReader, name: string): string | undefined {
  const found = cookies.get(name);
  const value = typeof found === 'string' ? found : found?.value;
  return value === undefined || value === '' ? undefined : `${name}=${encodeURIComponent(value)}`;
}
