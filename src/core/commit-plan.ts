/**
 * The commit planner: turns what a session changed and the configuration into
 * one decision of what to write — nothing, touch, delta, create, rotate or
 * destroy — with the keys, the owner and the cookie lifetime. It is pure (no
 * store, no clock, no randomness), so every rule of "what does this request
 * write" lives here once and is tested without a store; the commit engine
 * carries the plan out.
 * @module
 */

import { computeRecordExpiry, type ExpiryLimits } from './expiry.js';
import type { DoomedRecord, SessionChanges } from './session-state.js';
import type { SessionDelta, SessionRecord } from './store.js';

/** The configuration the planner applies. */
export interface CommitPolicy extends ExpiryLimits {
  /** Cookies without Max-Age unless `setExpiry()` says otherwise. */
  readonly expireAtBrowserClose: boolean;
  /** Refresh the expiry of unchanged sessions (`saveEveryRequest` or an idle timeout). */
  readonly refreshesExpiry: boolean;
  /** Seconds an unchanged session's refresh is held back. */
  readonly touchAfter: number;
}

/** The cookie a plan sends: a lifetime in seconds, or `undefined` for a browser-session cookie. */
export interface CookieLifetime {
  readonly maxAge: number | undefined;
}

/** Nothing is written. `clearCookie`: a cookie came that names no session; delete it. */
export interface NothingPlan {
  readonly action: 'nothing';
  readonly clearCookie: boolean;
}

/** An unchanged session's expiry moves (a cheap write); the cookie is issued again with it. */
export interface TouchPlan extends CookieLifetime {
  readonly action: 'touch';
  readonly key: string;
  readonly expiresAt: number;
}

/** The keys that changed are written to the existing record; flushed records go. */
export interface DeltaPlan extends CookieLifetime {
  readonly action: 'delta';
  readonly key: string;
  readonly delta: SessionDelta;
  readonly doomed: readonly DoomedRecord[];
}

/** A new record under a new id; flushed records go. */
export interface CreatePlan extends CookieLifetime {
  readonly action: 'create';
  readonly record: SessionRecord;
  readonly doomed: readonly DoomedRecord[];
}

/**
 * The session moves to a new id (`cycleKey()`, `login()`), only if the record it
 * was loaded from is still live: a concurrent logout must win (issue 10 §1).
 */
export interface RotatePlan extends CookieLifetime {
  readonly action: 'rotate';
  readonly from: DoomedRecord;
  readonly record: SessionRecord;
  readonly doomed: readonly DoomedRecord[];
}

/** The session is emptied or flushed: its records go and, if the browser has one, the cookie. */
export interface DestroyPlan {
  readonly action: 'destroy';
  readonly doomed: readonly DoomedRecord[];
  readonly clearCookie: boolean;
}

/** One commit decision. */
export type CommitPlan =
  | NothingPlan
  | TouchPlan
  | DeltaPlan
  | CreatePlan
  | RotatePlan
  | DestroyPlan;

const NOTHING: NothingPlan = Object.freeze({ action: 'nothing', clearCookie: false });
const NOTHING_CLEAR: NothingPlan = Object.freeze({ action: 'nothing', clearCookie: true });

/**
 * Decides what committing `session` writes at time `now` (ms). `reissue`
 * forces a write of an unchanged session (a cookie sealed with an older
 * secret is sealed again under the newest).
 */
export function planCommit(
  session: SessionChanges,
  policy: CommitPolicy,
  now: number,
  reissue = false,
): CommitPlan {
  const key = session.key;
  // The common case, a stored session the request only read: decided without any arithmetic.
  if (session.isUntouched && key !== undefined && session.size > 0 && !policy.refreshesExpiry) {
    return NOTHING;
  }
  if (session.size === 0) return planEmpty(session);
  const expiresAt = computeRecordExpiry(session.expiry, session.createdAt, policy, now);
  const lifetime = cookieLifetime(session, policy, expiresAt, now);
  if (key === undefined) {
    const record = {
      data: session.encodeAll(),
      expiresAt,
      createdAt: session.createdAt,
      userId: session.userId,
    };
    const from = session.rotateFrom;
    return from === undefined
      ? { action: 'create', record, doomed: session.doomed, maxAge: lifetime }
      : { action: 'rotate', from, record, doomed: session.doomed, maxAge: lifetime };
  }
  const set = session.encodeChanges();
  if (
    set !== undefined ||
    reissue ||
    session.removed.size > 0 ||
    session.doomed.length > 0 ||
    session.userChanged
  ) {
    const delta: SessionDelta = {
      set: set ?? {},
      remove: [...session.removed],
      expiresAt,
      ...(session.userChanged ? { userId: session.userId } : {}),
    };
    return { action: 'delta', key, delta, doomed: session.doomed, maxAge: lifetime };
  }
  // An unchanged session only has its expiry refreshed, and not more often than touchAfter.
  if (
    !policy.refreshesExpiry ||
    expiresAt - (session.storedExpiresAt ?? 0) < policy.touchAfter * 1000
  ) {
    return NOTHING;
  }
  return { action: 'touch', key, expiresAt, maxAge: lifetime };
}

/** A session without data: nothing to store; what it was stored as (or flushed from) goes. */
function planEmpty(session: SessionChanges): CommitPlan {
  const doomed =
    session.key === undefined
      ? collectDoomed(session)
      : [...collectDoomed(session), { key: session.key, expiresAt: session.storedExpiresAt }];
  // Nothing stored and nothing to destroy: an anonymous flush writes nothing (CVE-2015-5963).
  if (doomed.length === 0) return session.hadCookie ? NOTHING_CLEAR : NOTHING;
  return { action: 'destroy', doomed, clearCookie: session.hadCookie };
}

/** Flushed records, and the record a cycled-then-emptied session was loaded from. */
function collectDoomed(session: SessionChanges): readonly DoomedRecord[] {
  return session.rotateFrom === undefined
    ? session.doomed
    : [...session.doomed, session.rotateFrom];
}

/** Max-Age for the cookie: none for a browser-session cookie (Django's `get_expire_at_browser_close`). */
function cookieLifetime(
  session: SessionChanges,
  policy: CommitPolicy,
  expiresAt: number,
  now: number,
): number | undefined {
  const expiry = session.expiry;
  const atBrowserClose = expiry === undefined ? policy.expireAtBrowserClose : expiry === 0;
  return atBrowserClose ? undefined : Math.max(0, Math.floor((expiresAt - now) / 1000));
}
