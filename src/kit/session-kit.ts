/**
 * What every adapter does around a request, once: load the session, let
 * `session.save()` save early, commit at the end, send the cookie ahead of a
 * streamed body, report errors to `onError` and describe the failure response.
 * @module
 */

import {
  describeSessionFailure,
  type Session,
  type SessionCommitResult,
  type SessionData,
  type SessionFailureResponse,
  type SessionManager,
  type SessionRequestInfo,
} from '../core/index.js';
import { kBindSave, kState, type SaveHook } from '../core/session.js';
import type { Awaitable } from '../core/store.js';

/**
 * Hands the headers of an early save (`session.save()` inside a handler) to
 * the response; answers `false` when it cannot add headers any more (or not
 * yet), and the cookie then goes out with the final commit.
 */
export type DeliverHeaders<Target> = (target: Target, committed: SessionCommitResult) => boolean;

/** The request-level operations an adapter needs, for one manager. */
export interface SessionKit {
  /** The manager the kit drives. */
  readonly manager: SessionManager;
  /**
   * The request's session. Throws or rejects with a `SessionStoreError` when
   * the store fails (answer with {@link SessionKit.describeFailure}), unless
   * the manager's `storeOutage` is `'throw-on-use'`.
   */
  load<Data extends SessionData = SessionData>(
    request: SessionRequestInfo,
  ): Awaitable<Session<Data>>;
  /**
   * Saves the session when the response is ready and answers the headers to
   * add, including a cookie an early save could not deliver. Nothing is saved
   * for a 5xx `status`. Synchronous when nothing needed writing.
   */
  commit(session: Session, status?: number): Awaitable<SessionCommitResult>;
  /**
   * Makes `session.save()` save now and hand its headers to `deliver(target, …)`:
   * one `deliver` per adapter, the response as `target`, so nothing is
   * allocated per request.
   */
  bindEarlySave<Target>(session: Session, deliver: DeliverHeaders<Target>, target: Target): void;
  /**
   * The headers for a response whose body starts before the session is saved
   * (see `SessionManager.reserveCookie`); `undefined` when they cannot be
   * known yet, after reporting why to `onError`.
   */
  reserveCookie(session: Session): SessionCommitResult | undefined;
  /** Tells the manager's `onError`; a failing hook never takes the response down. */
  report(error: unknown, phase: string): void;
  /** Reports a `Set-Cookie` that could not be sent because the headers had gone out. */
  reportLateCookie(advice?: string): void;
  /** The plain-text answer for a failed load or save: 503, 400 or 500. */
  describeFailure(error: unknown): SessionFailureResponse;
}

const DEFAULT_LATE_COOKIE_ADVICE = 'call `await session.save()` before streaming.';

/** Creates the kit for `manager`. */
export function createSessionKit(manager: SessionManager): SessionKit {
  // biome-ignore lint/suspicious/noExplicitAny: keyed by each adapter's deliver function, whatever its target type
  const earlySaveHooks = new Map<DeliverHeaders<any>, SaveHook<unknown>>();
  const kit: SessionKit = {
    manager,
    load: (request) => manager.load(request),
    commit: (session, status) =>
      manager.commit(session, status === undefined ? undefined : { status }),
    bindEarlySave(session, deliver, target) {
      // One hook per deliver function, made once: binding a request allocates nothing.
      let hook = earlySaveHooks.get(deliver) as SaveHook<typeof target> | undefined;
      if (hook === undefined) {
        hook = async (saved, early) => {
          const committed = await kit.commit(saved);
          if (!deliver(early, committed)) saved[kState].keepPendingCookie(committed.setCookie);
        };
        earlySaveHooks.set(deliver, hook as SaveHook<unknown>);
      }
      session[kBindSave](hook, target);
    },
    reserveCookie(session) {
      const reserved = manager.reserveCookie(session);
      if (reserved === undefined) {
        kit.report(
          new Error(
            `The response started streaming before the session was saved, and store "${manager.store.name}" seals the session into the cookie, ` +
              'which cannot be sent before it is sealed: call `await session.save()` before writing the body.',
          ),
          'commit',
        );
      }
      return reserved;
    },
    report(error, phase) {
      try {
        manager.options.onError?.(error, { phase });
      } catch {
        // A failing error hook must not take the response down with it.
      }
    },
    reportLateCookie(advice = DEFAULT_LATE_COOKIE_ADVICE) {
      kit.report(
        new Error(`Response headers were sent before the session was saved; ${advice}`),
        'commit',
      );
    },
    describeFailure: describeSessionFailure,
  };
  return Object.freeze(kit);
}
