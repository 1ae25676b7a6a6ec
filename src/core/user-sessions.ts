/**
 * Per-user session listing ("where you're logged in"): how a stored record of
 * a user becomes a {@link UserSessionSummary}, and when it was last seen.
 * @module
 */

import { decodeValue } from './codec.js';
import type { ExpiryLimits, StoredExpiry } from './expiry.js';
import { EXPIRY_KEY, isReservedKey } from './reserved-keys.js';
import type { AnySession } from './session.js';
import type { UserSessionInfo } from './store.js';

/** One session of a user, as `manager.listUserSessions()` lists it. */
export interface UserSessionSummary {
  /** The store key (SHA-256 digest of the id): safe to show and to pass back, never a usable cookie. */
  key: string;
  /** When the session was created (for a logged-in session: the login). */
  createdAt: Date;
  /**
   * When the session was last used, as far as the store knows: the moment its
   * expiry was last written (the record's expiry minus the lifetime it was
   * saved with). Tessera never writes only to record this, so a visit that
   * changes nothing counts only when the expiry is refreshed anyway
   * (`saveEveryRequest`, `idleTimeout`, at most every `touchAfter` seconds);
   * otherwise it is the last visit that changed the session. Never earlier
   * than `createdAt`.
   */
  lastSeen: Date;
  /** When the session expires unless used again. */
  expiresAt: Date;
  /** The session's data without Tessera's reserved `_` keys, decoded (Dates are Dates). */
  data: Record<string, unknown>;
  /** Whether this is the session passed as `options.current`. */
  current: boolean;
}

/** Options of `manager.listUserSessions()`. */
export interface ListUserSessionsOptions {
  /** The session of the request, to mark as `current: true` in the list. @defaultValue undefined */
  current?: AnySession | undefined;
}

/** Options of `manager.destroyUserSessions()`. */
export interface DestroyUserSessionsOptions {
  /** A session to keep, typically the request's own ("log out everywhere else"). @defaultValue undefined */
  except?: AnySession | undefined;
}

/** @internal Builds the summary of one stored session. */
export function summarizeUserSession(
  info: UserSessionInfo,
  limits: ExpiryLimits,
  currentKey: string | undefined,
  now: number,
): UserSessionSummary {
  const data: Record<string, unknown> = {};
  for (const name of Object.keys(info.data)) {
    if (isReservedKey(name)) continue;
    Object.defineProperty(data, name, {
      value: decodeValue(info.data[name]!),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  const stored = info.data[EXPIRY_KEY];
  const expiry = stored === undefined ? undefined : (decodeValue(stored) as StoredExpiry);
  return {
    key: info.key,
    createdAt: new Date(info.createdAt),
    lastSeen: new Date(estimateLastSeen(info, expiry, limits, now)),
    expiresAt: new Date(info.expiresAt),
    data,
    current: currentKey !== undefined && info.key === currentKey,
  };
}

/**
 * The record's expiry minus the lifetime it was saved with (the inverse of
 * `computeRecordExpiry`). When that lifetime cannot be known (a fixed `Date`
 * expiry without an idle timeout) or the absolute timeout capped it, the
 * result falls back to, or is clamped to, `createdAt`; it never lies in the future.
 */
function estimateLastSeen(
  info: UserSessionInfo,
  expiry: StoredExpiry,
  limits: ExpiryLimits,
  now: number,
): number {
  let lifetime: number | undefined =
    expiry instanceof Date ? undefined : (expiry || limits.cookieAge) * 1000;
  if (limits.idleTimeout !== undefined) {
    lifetime = Math.min(lifetime ?? Number.POSITIVE_INFINITY, limits.idleTimeout * 1000);
  }
  if (lifetime === undefined) return info.createdAt;
  return Math.min(now, Math.max(info.createdAt, info.expiresAt - lifetime));
}
