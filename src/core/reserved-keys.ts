/**
 * The session keys Tessera keeps for itself. As in Django, keys starting with
 * `_` belong to the framework: applications cannot set them, and they are
 * stored with the session like any other key.
 * @module
 */

/** Where `session.setExpiry()` keeps the session's own expiry (Django's `_session_expiry`). */
export const EXPIRY_KEY = '_expiry';

/** Where `session.setTestCookie()` leaves its marker (Django's `testcookie`). */
export const TEST_COOKIE_KEY = '_testcookie';

/** The marker's value. */
export const TEST_COOKIE_VALUE = 'worked';

/** Flash queues live under this prefix followed by the queue name (Pyramid's `_f_`). */
export const FLASH_PREFIX = '_flash:';

/** Where the session's CSRF token lives (Pyramid's `_csrft_`). */
export const CSRF_KEY = '_csrf';

/** Whether a key is Tessera's rather than the application's. */
export function isReservedKey(key: string): boolean {
  return key.startsWith('_');
}
