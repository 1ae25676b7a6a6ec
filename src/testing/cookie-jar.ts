/**
 * The cookies one browser holds for one server.
 * @module
 */

import { parseSetCookie } from './parse-set-cookie.js';

/**
 * A cookie jar: what a browser would send back to one server. It stores the
 * cookies of `Set-Cookie` headers and honours `Max-Age=0` and past `Expires`
 * as deletion; paths, domains and `Secure` are not tracked.
 *
 * @example
 * ```ts
 * const jar = new CookieJar();
 * jar.storeSetCookies(['sessionid=abc; Path=/; HttpOnly']);
 * jar.get('sessionid'); // 'abc'
 * jar.header();         // 'sessionid=abc'
 * ```
 */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  /** The value of a cookie, or `undefined`. */
  get(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  /** Whether the jar holds a cookie of that name. */
  has(name: string): boolean {
    return this.#cookies.has(name);
  }

  /** Puts a cookie in the jar, as if the server had set it. */
  set(name: string, value: string): void {
    this.#cookies.set(name, value);
  }

  /** Removes one cookie; answers whether it was there. */
  delete(name: string): boolean {
    return this.#cookies.delete(name);
  }

  /** Empties the jar. */
  clear(): void {
    this.#cookies.clear();
  }

  /** How many cookies the jar holds. */
  get size(): number {
    return this.#cookies.size;
  }

  /** All cookies, as a fresh `{ name: value }` object. */
  toObject(): Record<string, string> {
    return Object.fromEntries(this.#cookies);
  }

  /** The `Cookie` header a request would send, or `undefined` when the jar is empty. */
  header(): string | undefined {
    if (this.#cookies.size === 0) return undefined;
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Applies a response's `Set-Cookie` headers: stores new values, drops deleted cookies. */
  storeSetCookies(headers: readonly string[], now = Date.now()): void {
    for (const header of headers) {
      const parsed = parseSetCookie(header, now);
      if (parsed.name === '') continue;
      if (parsed.deletes) this.#cookies.delete(parsed.name);
      else this.#cookies.set(parsed.name, parsed.value);
    }
  }
}
