/**
 * Store URLs in messages and logs never show a password.
 * @module
 */

/** The URL with its password replaced by `***`: `redis://:***@host:6379`. */
export function maskStoreUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, '$1***@');
}
