/**
 * What `commitSession(session, options)` and `destroySession(session, options)`
 * take of React Router's cookie serialize options.
 * @module
 */

import { type Session, SessionConfigError } from '../../core/index.js';

/**
 * Options of `commitSession()`: this cookie's lifetime, as React Router's
 * `commitSession(session, { maxAge })`. The other cookie attributes are set
 * once, in `createTesseraSessionStorage({ cookie })`.
 */
export interface CommitSessionOptions {
  /**
   * Seconds the session lasts, from now and again from every later save (it
   * is kept with the session: Tessera's `session.setExpiry(maxAge)`). `0` or
   * less ends the session now, as a cookie that expires at once would.
   */
  maxAge?: number | undefined;
  /** When the session ends (`session.setExpiry(date)`); a past date ends it now. Ignored when `maxAge` is given. */
  expires?: Date | undefined;
}

/** What a commit does with its options. */
export type CommitIntent = 'save' | 'destroy';

const LIFETIME_KEYS: ReadonlySet<string> = new Set(['maxAge', 'expires']);

/**
 * Checks `options` (a developer mistake throws {@link SessionConfigError}) and
 * applies its lifetime to `session`; answers whether to save or end it. A
 * session without data gets no lifetime, so that it is still not stored.
 */
export function applyCommitOptions(
  session: Session,
  options: CommitSessionOptions | undefined,
  functionName: string,
): CommitIntent {
  if (options === undefined || options === null) return 'save';
  checkCommitOptionKeys(options, functionName);
  const { maxAge, expires } = options;
  if (maxAge !== undefined && maxAge !== null) {
    if (typeof maxAge !== 'number' || !Number.isFinite(maxAge)) {
      throw new SessionConfigError(
        `${functionName}: maxAge must be a finite number of seconds; got ${String(maxAge)}.`,
      );
    }
    if (maxAge <= 0) return 'destroy';
    if (!session.isEmpty) session.setExpiry(Math.max(1, Math.floor(maxAge)));
    return 'save';
  }
  if (expires !== undefined && expires !== null) {
    if (!(expires instanceof Date) || Number.isNaN(expires.getTime())) {
      throw new SessionConfigError(`${functionName}: expires must be a valid Date.`);
    }
    if (expires.getTime() <= Date.now()) return 'destroy';
    if (!session.isEmpty) session.setExpiry(expires);
  }
  return 'save';
}

/** Throws for an option other than `maxAge`/`expires` that has a value. */
export function checkCommitOptionKeys(options: object, functionName: string): void {
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new SessionConfigError(`${functionName}: the options must be an object.`);
  }
  for (const [key, value] of Object.entries(options)) {
    if (LIFETIME_KEYS.has(key) || value === undefined) continue;
    throw new SessionConfigError(
      `${functionName}: option "${key}" is not taken per call. Tessera sets the session cookie's attributes once, ` +
        `in createTesseraSessionStorage({ cookie: { … } }) (name, path, domain, httpOnly, sameSite, secure, partitioned); ` +
        'per call it takes maxAge or expires.',
    );
  }
}
