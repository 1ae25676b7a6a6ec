/**
 * Expiry arithmetic with Django's semantics (`get_expiry_age`, `get_expiry_date`).
 * @module
 */

/** What `setExpiry()` stored: seconds (0 = browser close), a Date, or nothing (the default). */
export type StoredExpiry = number | Date | undefined;

/** Seconds until expiry, counted from `now` (ms). */
export function computeExpiryAge(expiry: StoredExpiry, cookieAge: number, now: number): number {
  if (expiry instanceof Date) return Math.max(0, Math.floor((expiry.getTime() - now) / 1000));
  return expiry || cookieAge; // 0 (browser close) and unset both mean the configured age
}

/** The moment of expiry. */
export function computeExpiryDate(expiry: StoredExpiry, cookieAge: number, now: number): Date {
  if (expiry instanceof Date) return new Date(expiry.getTime());
  return new Date(now + (expiry || cookieAge) * 1000);
}

/** Limits that cap a record's lifetime on the server. */
export interface ExpiryLimits {
  cookieAge: number;
  idleTimeout: number | undefined;
  absoluteTimeout: number | undefined;
}

/** When the stored record must expire: the earliest of the session's expiry and the OWASP timeouts. */
export function computeRecordExpiry(
  expiry: StoredExpiry,
  createdAt: number,
  limits: ExpiryLimits,
  now: number,
): number {
  let expiresAt = computeExpiryDate(expiry, limits.cookieAge, now).getTime();
  if (limits.idleTimeout !== undefined)
    expiresAt = Math.min(expiresAt, now + limits.idleTimeout * 1000);
  if (limits.absoluteTimeout !== undefined) {
    expiresAt = Math.min(expiresAt, createdAt + limits.absoluteTimeout * 1000);
  }
  return expiresAt;
}
