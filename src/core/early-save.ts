import type { SessionCommitResult, SessionManager } from './manager.js';
import type { Session } from './session.js';
import { kState } from './session.js';

const kEarlyCommit = Symbol('tessera.earlyCommit');
type EarlySavedSession = Session & { [kEarlyCommit]?: SessionCommitResult };

/** `session.save()` inside a handler, for adapters that add their headers after the handler ran. */
export interface EarlySaves {
  /** Routes `session.save()` through the manager's commit, keeping the headers it produced. */
  watch(session: Session): void;
  /**
   * The headers to send after the final commit: its own, with the cookie of an
   * early save when the final commit issued none (the save already wrote it).
   */
  settle(session: Session, committed: SessionCommitResult): SessionCommitResult;
}

/**
 * Framework-free, so portable adapters can use it. A session saved early is
 * unchanged when the response goes out, so the final commit issues no cookie:
 * the one the early save issued must still be sent.
 */
export function createEarlySaves(manager: SessionManager): EarlySaves {
  // One hook per manager: the session is its argument, so nothing is allocated per request.
  async function saveEarly(session: Session): Promise<void> {
    const committed = await manager.commit(session);
    const saved = session as EarlySavedSession;
    const earlier = saved[kEarlyCommit];
    saved[kEarlyCommit] = earlier ? mergeCommits(earlier, committed) : committed;
  }
  return {
    watch(session) {
      session[kState].save = saveEarly;
    },
    settle(session, committed) {
      const early = (session as EarlySavedSession)[kEarlyCommit];
      return early ? mergeCommits(early, committed) : committed;
    },
  };
}

/** The later commit's cookie wins: it reflects the session's last state. */
function mergeCommits(
  earlier: SessionCommitResult,
  later: SessionCommitResult,
): SessionCommitResult {
  return { setCookie: later.setCookie ?? earlier.setCookie, vary: earlier.vary || later.vary };
}
