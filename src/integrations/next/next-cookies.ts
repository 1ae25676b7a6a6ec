import type { CookieReader, CookieWriter } from '../../web/index.js';

/**
 * What `await cookies()` from `next/headers` answers, as Tessera uses it:
 * `get(name)` → `{ value }`, and `set(name, value, options)`, which Next.js
 * allows only in a Server Action or a Route Handler (in a Server Component it
 * throws).
 */
export interface NextCookieStore extends CookieReader, CookieWriter {}

/** `cookies` from `next/headers`: the request's cookie store (Next.js 15+: a promise). */
export type NextCookiesFunction = () => Promise<NextCookieStore> | NextCookieStore;

/**
 * A response whose cookies are set through `response.cookies.set()`: a
 * `NextResponse`. Setting Tessera's cookie there (instead of appending a
 * `Set-Cookie` header) keeps it when the app sets another cookie afterwards.
 */
export interface ResponseWithCookies extends Response {
  readonly cookies: CookieWriter;
}

/** Whether `response` carries a `NextResponse`-style `cookies.set()`. */
export function isResponseWithCookies(response: Response): response is ResponseWithCookies {
  const cookies = (response as Partial<ResponseWithCookies>).cookies;
  return typeof cookies === 'object' && cookies !== null && typeof cookies.set === 'function';
}
