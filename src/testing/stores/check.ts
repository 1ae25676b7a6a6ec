/**
 * What a conformance check is, independent of any test runner.
 * @module
 */

import type { Awaitable, SessionStore } from '../../core/store.js';

/** What a store's test hands to the conformance suite. */
export interface StoreConformanceContext {
  /** The store under test, on its real backend. */
  store: SessionStore;
  /** Runs once after every check: close the store, remove its files or keys. */
  cleanup?: (() => Awaitable<void>) | undefined;
  /**
   * The backend drops expired records by itself (Redis TTL), so `clearExpired`
   * may find nothing left to remove and answer 0; what must hold is that the
   * expired records are gone and the live ones stay.
   */
  expiresOnItsOwn?: boolean | undefined;
}

/** How a check ended when it did not fail (a failure rejects with an `AssertionError`). */
export type StoreCheckOutcome =
  | { readonly status: 'passed' }
  | {
      readonly status: 'skipped';
      /** Why it does not apply, e.g. `the store has no listSessions()`. */
      readonly reason: string;
    };

/** One guarantee of the store contract, checked against a store. */
export interface StoreCheck {
  /** What it checks, e.g. `store.rotate()`: the `describe` block it belongs to; `''` for the store as a whole. */
  readonly group: string;
  /** The guarantee, e.g. `answers false for a missing key and creates nothing`. */
  readonly title: string;
  /** `group` and `title` together, for runners without nested blocks. */
  readonly name: string;
  /**
   * Runs the check on the store of `context`. Rejects with `node:assert`'s
   * `AssertionError` when the store breaks the guarantee; answers `skipped`
   * when the guarantee is about an optional method the store leaves out.
   */
  run(context: StoreConformanceContext): Promise<StoreCheckOutcome>;
}

/** A check's body: it answers a {@link skip} when the guarantee does not apply; anything else is a pass. */
export type CheckBody = (store: SessionStore, context: StoreConformanceContext) => Promise<unknown>;

const SKIP = Symbol('skip');

/** A check that does not apply to the store under test. */
export interface Skip {
  readonly [SKIP]: string;
}

function isSkip(value: unknown): value is Skip {
  return typeof value === 'object' && value !== null && SKIP in value;
}

/** Answered by a check body when the guarantee does not apply. */
export function skip(reason: string): Skip {
  return { [SKIP]: reason };
}

/** The {@link skip} of a check about an optional method the store leaves out. */
export function lacks(method: string): Skip {
  return skip(`the store has no ${method}()`);
}

/** Builds the checks of one group; the group `''` holds checks of the store as a whole. */
export function group(
  name: string,
  checks: readonly (readonly [title: string, body: CheckBody])[],
): StoreCheck[] {
  return checks.map(([title, body]) => ({
    group: name,
    title,
    name: name === '' ? title : `${name} ${title}`,
    async run(context: StoreConformanceContext): Promise<StoreCheckOutcome> {
      const answer = await body(context.store, context);
      return isSkip(answer) ? { status: 'skipped', reason: answer[SKIP] } : { status: 'passed' };
    },
  }));
}
