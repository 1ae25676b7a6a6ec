/**
 * What the commit engine needs of a store kind to carry out a plan: a keyed
 * store writes records ({@link createKeyedWriter}), a cookie store seals the
 * session into the cookie ({@link createSealedWriter}). The plans and their
 * order of checks are the engine's; a writer only knows its backend.
 * @module
 */

import type { CreatePlan, DeltaPlan, RotatePlan, TouchPlan } from './commit-plan.js';
import type { DoomedRecord, SessionState } from './session-state.js';

/** A plan that leaves the session stored. */
export type StoringPlan = TouchPlan | DeltaPlan | CreatePlan | RotatePlan;

/** Where a write left the session. */
export interface StoredAs {
  /** The session id (a new one after create and rotate). */
  readonly id: string;
  /** Its store key. */
  readonly key: string;
  /** The record's expiry. */
  readonly expiresAt: number;
  /** The cookie's value: the id, or the sealed session. */
  readonly cookieValue: string;
  /** A new session was created. */
  readonly created: boolean;
}

/** Carries out plans on one kind of store. */
export interface PlanWriter {
  /** The store's name, for errors. */
  readonly name: string;
  /**
   * The cookie's value can be known before the write (it is the id), so a
   * response that starts streaming can send the cookie first. A sealed cookie
   * holds the data: it cannot.
   */
  readonly canReserveId: boolean;
  /**
   * Writes the plan; `undefined` when a touch found no record (nothing to
   * send). Rejects with `SessionInterruptedError` when a concurrent request
   * destroyed the session, `SessionStoreError` when the store fails.
   */
  write(plan: StoringPlan, session: SessionState, now: number): Promise<StoredAs | undefined>;
  /** Removes (or, for cookies, revokes) records. */
  destroy(doomed: readonly DoomedRecord[], now: number): Promise<void>;
}
