/**
 * The public store conformance suite (`tessera-session/testing/stores`) over
 * the express-session bridge, with the few checks a legacy store cannot pass
 * excluded by name, each with its reason: the excluded test is declared
 * skipped with the reason in its title, so the run lists it, and a check the
 * suite renames or removes fails here instead of being silently dropped.
 *
 * @module
 */

import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  type StoreCheck,
  type StoreConformanceContext,
  storeConformanceChecks,
} from '../../../src/testing/stores/index.js';

/** `check.name` → why it does not apply to this backend. */
export type ExcludedChecks = Readonly<Record<string, string>>;

/**
 * `stats()` counts an expired record only while the backend still holds it:
 * connect-redis deletes a record written with an expiry in the past (a TTL
 * ≤ 0 is a DEL), and express-session's MemoryStore and memorystore drop expired
 * records from `all()`. Tessera's own stores keep them until clearExpired.
 */
export const STATS_EXPIRED_CHECK =
  'store.stats() counts records, expired records and bytes of data';

export const STATS_EXPIRED_REASON =
  'the legacy store drops expired records itself (TTL or on read), so stats() cannot count them as expired';

/**
 * Declares the conformance suite for `name`, like `describeStoreConformance`,
 * skipping the checks named in `excluded` with their reason.
 */
export function describeBridgeConformance(
  name: string,
  setup: () => Promise<StoreConformanceContext>,
  excluded: ExcludedChecks = {},
): void {
  const checks = storeConformanceChecks();
  const unknown = Object.keys(excluded).filter(
    (checkName) => !checks.some((check) => check.name === checkName),
  );
  describe(`${name} store conformance`, () => {
    let context: StoreConformanceContext | undefined;
    beforeAll(async () => {
      context = await setup();
    });
    afterAll(async () => {
      await context?.cleanup?.();
    });

    it('excludes only checks the suite has', () => {
      if (unknown.length > 0) throw new Error(`no such checks: ${unknown.join('; ')}`);
    });

    const groups = new Map<string, StoreCheck[]>();
    for (const check of checks)
      groups.set(check.group, [...(groups.get(check.group) ?? []), check]);
    const declare = (check: StoreCheck): void => {
      const reason = excluded[check.name];
      if (reason !== undefined) {
        it.skip(`${check.title} — excluded: ${reason}`, () => {});
        return;
      }
      it(check.title, async (test) => {
        if (context === undefined) throw new Error(`the setup of "${name}" did not complete`);
        const outcome = await check.run(context);
        if (outcome.status === 'skipped') test.skip(outcome.reason);
      });
    };
    for (const [groupName, members] of groups) {
      if (groupName === '') members.forEach(declare);
      else describe(groupName, () => members.forEach(declare));
    }
  });
}
