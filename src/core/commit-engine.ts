/**
 * The commit engine: asks the planner what a session's changes require, has
 * the store's writer carry it out, reports the outcome back to the session and
 * answers the headers to send. One engine for every store: keyed stores and
 * cookie stores differ only in their {@link PlanWriter}.
 * @module
 */

import { isPromiseLike } from './awaitable.js';
import { type CommitPlan, type CommitPolicy, planCommit } from './commit-plan.js';
import type { SessionCookieCodec } from './cookie.js';
import { diagnosticsChannels } from './diagnostics.js';
import type { PlanWriter, StoredAs } from './plan-writer.js';
import { kState, type Session } from './session.js';
import { generateSessionId } from './session-id.js';
import type { SessionState } from './session-state.js';
import type { Awaitable } from './store.js';
import { type TraceTarget, traceCommit } from './trace-call.js';

const commitChannel = diagnosticsChannels.commit;

/** What an adapter must add to the response after a commit. */
export interface SessionCommitResult {
  /** A `Set-Cookie` value to append, if any. */
  setCookie: string | undefined;
  /** Whether to add `Vary: Cookie` (the response depends on the session; Flask CVE-2023-30861). */
  vary: boolean;
}

/** Commits sessions for one manager. */
export interface CommitEngine {
  /** Saves what changed; synchronous when nothing needs writing. Nothing is saved for a 5xx status. */
  commit(session: Session, status: number | undefined): Awaitable<SessionCommitResult>;
  /**
   * The headers to send before the session is saved, for a response whose body
   * starts before its end: the id of a session that needs a new one is chosen
   * now and used by the save. `undefined` when the cookie cannot be known
   * before the save (a sealed cookie holds the data it has not sealed yet).
   */
  reserveCookie(session: Session): SessionCommitResult | undefined;
}

const UNCHANGED: SessionCommitResult = Object.freeze({ setCookie: undefined, vary: false });
/** A session that was read but not written: only `Vary: Cookie` (the common read-only request). */
const READ_ONLY: SessionCommitResult = Object.freeze({ setCookie: undefined, vary: true });

/**
 * Creates the engine for one writer, cookie codec and policy. Carrying out a
 * plan is a `commit` operation on the diagnostics channel (and a debug line)
 * for `trace`.
 */
export function createCommitEngine(
  writer: PlanWriter,
  codec: SessionCookieCodec,
  policy: CommitPolicy,
  trace: TraceTarget,
): CommitEngine {
  const { debug } = trace;

  function issue(state: SessionState, value: string, maxAge: number | undefined): string {
    return codec.issue(value, maxAge, state.secure);
  }

  async function execute(
    state: SessionState,
    plan: Exclude<CommitPlan, { action: 'nothing' }>,
    now: number,
  ) {
    if (plan.action === 'destroy') {
      await writer.destroy(plan.doomed, now);
      state.markDestroyed();
      return plan.clearCookie ? codec.clear(state.secure) : undefined;
    }
    const stored: StoredAs | undefined = await writer.write(plan, state, now);
    if (stored === undefined) {
      state.markUnchanged(); // a touch found the record gone: nothing to refresh
      return undefined;
    }
    state.markStored(stored.id, stored.key, stored.expiresAt, stored.created);
    return issue(state, stored.cookieValue, plan.maxAge);
  }

  /** Carries `plan` out; synchronous when nothing needs writing. */
  function carryOut(
    state: SessionState,
    plan: CommitPlan,
    now: number,
  ): Awaitable<SessionCommitResult> {
    if (plan.action === 'nothing') {
      if (plan.clearCookie) {
        state.markDestroyed();
        return result(state, codec.clear(state.secure));
      }
      state.markUnchanged();
      return result(state, undefined);
    }
    const written = execute(state, plan, now);
    return isPromiseLike(written)
      ? written.then((setCookie) => result(state, setCookie))
      : result(state, written);
  }

  function result(state: SessionState, setCookie: string | undefined): SessionCommitResult {
    const cookie = setCookie ?? state.takePendingCookie();
    if (cookie === undefined) return state.accessed ? READ_ONLY : UNCHANGED;
    return { setCookie: cookie, vary: state.accessed || cookie !== undefined };
  }

  return {
    commit(session, status) {
      const state = session[kState];
      if (state.isUnavailable) return UNCHANGED;
      if (status !== undefined && status >= 500) return result(state, undefined);
      const now = Date.now();
      const plan = planCommit(state, policy, now, state.reissue);
      if (debug === undefined && !commitChannel.hasSubscribers) return carryOut(state, plan, now);
      return traceCommit(trace, plan.action, () => carryOut(state, plan, now));
    },
    reserveCookie(session) {
      const state = session[kState];
      if (state.isUnavailable) return UNCHANGED;
      const plan = planCommit(state, policy, Date.now(), state.reissue);
      switch (plan.action) {
        case 'nothing':
        case 'destroy':
          return plan.clearCookie
            ? { setCookie: codec.clear(state.secure), vary: true }
            : result(state, undefined);
        case 'touch':
        case 'delta':
          if (!writer.canReserveId) return undefined;
          return { setCookie: issue(state, state.id!, plan.maxAge), vary: true };
        case 'create':
        case 'rotate': {
          if (!writer.canReserveId) return undefined;
          const id = state.reservedId ?? generateSessionId();
          state.reserveId(id);
          return { setCookie: issue(state, id, plan.maxAge), vary: true };
        }
      }
    },
  };
}
