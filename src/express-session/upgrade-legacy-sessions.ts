/**
 * Moving a legacy session (a record an express-session store holds under the
 * raw id) into a Tessera store under a fresh id: the `upgradeTo` option's
 * write. Never resurrects, never overwrites, and never strands the browser on
 * an id whose record is gone.
 * @module
 */

import {
  applyDelta,
  type SessionDelta,
  type SessionRecord,
  type SessionStore,
} from '../core/index.js';
import type { ExpressSessionBridgeStore } from '../stores/express-session/index.js';

/** One legacy session to move, as the request that writes it describes it. */
export interface LegacySessionMove {
  /** The legacy id: the legacy store's key. */
  readonly id: string;
  /** The Tessera store key of the fresh id (its SHA-256 digest). */
  readonly newKey: string;
  /** What the request changed, applied to the record as the legacy store holds it now. */
  readonly delta: SessionDelta;
  /**
   * Whether the response can still carry the fresh id's cookie (its headers
   * are not sent yet, and a `secure` cookie goes over HTTPS). Asked before the
   * record is created and again before the legacy one is removed.
   */
  canHandOver(): boolean;
  /**
   * Gives the request the fresh id. Called once the record is in the Tessera
   * store and before the legacy record is removed, so a response whose headers
   * go out from then on carries the new cookie.
   */
  handOver(): void;
}

/**
 * What became of a move: `upgraded` (in the Tessera store under the fresh id,
 * the legacy record removed); `kept` (the response could not carry a new
 * cookie: the change was written to the legacy record instead); `gone` (the
 * legacy record was destroyed meanwhile: nothing written).
 */
export type LegacySessionMoveOutcome = 'upgraded' | 'kept' | 'gone';

/** The legacy side of the drop-in in `upgradeTo` mode. */
export interface LegacySessions {
  /** The live record the legacy store holds for `id`, or `null`. */
  read(id: string): Promise<SessionRecord | null>;
  /** Removes the legacy record of `id` (`destroy`, `regenerate`), after this process's moves of it. */
  destroy(id: string): Promise<void>;
  /** Moves a legacy session into the Tessera store; see {@link LegacySessionMove}. */
  move(move: LegacySessionMove): Promise<LegacySessionMoveOutcome>;
}

/** Runs the work given for one id one after the other; different ids run side by side. */
function createIdQueue(): <T>(id: string, work: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<void>>();
  return (id, work) => {
    const run = (tails.get(id) ?? Promise.resolve()).then(work);
    const tail = run.then(
      () => {},
      () => {},
    );
    tails.set(id, tail);
    void tail.then(() => {
      if (tails.get(id) === tail) tails.delete(id);
    });
    return run;
  };
}

/**
 * The legacy sessions of `legacy` (the bridge over the application's
 * express-session store), moved into `target` on their next write.
 *
 * Within this process, the moves and destroys of one legacy id run one after
 * the other: a logout that completes first leaves nothing to move, and of two
 * overlapping requests of one browser the second finds the session moved
 * (`gone`) and leaves the browser on the first one's new cookie. Across
 * processes the legacy store offers no atomic step; the record is created
 * under the fresh id first (no one knows it yet), the legacy record checked
 * again, and only then removed, so a logout that completed before that check
 * is never undone.
 */
export function createLegacySessions(
  legacy: ExpressSessionBridgeStore,
  target: SessionStore,
): LegacySessions {
  const inOrder = createIdQueue();

  /** Writes the request's change to the legacy record in place, as without `upgradeTo`. */
  async function keepInPlace(move: LegacySessionMove): Promise<LegacySessionMoveOutcome> {
    return (await legacy.update(move.id, move.delta)) ? 'kept' : 'gone';
  }

  async function moveOne(move: LegacySessionMove): Promise<LegacySessionMoveOutcome> {
    const current = await legacy.read(move.id);
    // Destroyed meanwhile (a logout): never resurrect it in the Tessera store.
    if (current === null) return 'gone';
    if (!move.canHandOver()) return keepInPlace(move);
    const record: SessionRecord = {
      data: applyDelta(current.data, move.delta),
      expiresAt: move.delta.expiresAt,
      createdAt: current.createdAt,
      userId: move.delta.userId === undefined ? current.userId : move.delta.userId,
    };
    if (!(await target.create(move.newKey, record))) {
      throw new Error(
        'session(): the fresh id of an upgraded session is already in use in the "upgradeTo" store: ' +
          'Tessera never overwrites another session; make genid() return unique ids.',
      );
    }
    let stillLive: boolean;
    try {
      stillLive = (await legacy.read(move.id)) !== null;
    } catch (error) {
      // No browser will ever hold the fresh id: take the copy back before reporting.
      await Promise.resolve(target.destroy(move.newKey)).catch(() => {});
      throw error;
    }
    if (!stillLive || !move.canHandOver()) {
      await target.destroy(move.newKey);
      return stillLive ? keepInPlace(move) : 'gone';
    }
    move.handOver();
    await legacy.destroy(move.id);
    return 'upgraded';
  }

  return {
    read: (id) => legacy.read(id),
    destroy: (id) => inOrder(id, () => legacy.destroy(id)),
    move: (move) => inOrder(move.id, () => moveOne(move)),
  };
}
