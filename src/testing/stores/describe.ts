/**
 * The conformance suite declared with any test runner's own functions.
 * @module
 */

import type { StoreCheck, StoreConformanceContext } from './check.js';
import { listingChecks } from './listing-checks.js';
import { managerChecks } from './manager-checks.js';
import { pagingChecks } from './paging-checks.js';
import { recordChecks } from './record-checks.js';
import { rotateChecks } from './rotate-checks.js';

/**
 * Every check of the store contract, in order: the record methods, `rotate`,
 * the optional listing methods, the optional paging, counting and overview
 * methods, then the rules that go through the session manager. Loop over them with any runner, or use
 * {@link describeStoreConformance}.
 */
export function storeConformanceChecks(): StoreCheck[] {
  return [
    ...recordChecks(),
    ...rotateChecks(),
    ...listingChecks(),
    ...pagingChecks(),
    ...managerChecks(),
  ];
}

/**
 * A test body as declared to the runner: without parameters, since jest and
 * mocha read a declared one as a `done` callback. It still receives what the
 * runner hands it: a context that can skip (vitest, `node:test`) as its
 * argument, or mocha's as `this`.
 */
export type TestBody = () => Promise<void>;

/**
 * The functions of your test runner that {@link describeStoreConformance}
 * declares the suite with. vitest and jest: `{ describe, it, beforeAll,
 * afterAll }`; `node:test` and mocha: `{ describe, it, beforeAll: before,
 * afterAll: after }`.
 */
export interface StoreConformanceRunner {
  /** Declares a group of tests (`describe`). */
  describe(name: string, body: () => void): unknown;
  /** Declares one test (`it` / `test`). */
  it(name: string, body: TestBody): unknown;
  /** Runs once before the group's tests (`beforeAll` / `before`). */
  beforeAll(hook: () => Promise<void>): unknown;
  /** Runs once after the group's tests (`afterAll` / `after`). */
  afterAll(hook: () => Promise<void>): unknown;
}

/** A runner's test context that can mark the running test as skipped. */
interface Skippable {
  skip(note?: string): unknown;
}

function canSkip(value: unknown): value is Skippable {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { skip?: unknown }).skip === 'function'
  );
}

/**
 * Declares the store conformance suite with your runner's functions: one
 * `describe` block named `<name> store conformance`, a nested block per
 * method, one test per guarantee. `setup` runs once before the tests and its
 * `cleanup` once after them. Each test uses fresh random keys, so a store on
 * a shared server needs no emptying between tests.
 *
 * A test about an optional method the store leaves out is marked skipped
 * where the runner can (vitest, `node:test`, mocha), and passes where it
 * cannot (jest). A failed guarantee throws `node:assert`'s `AssertionError`.
 *
 * ```ts
 * import { afterAll, beforeAll, describe, it } from 'vitest';
 * import { describeStoreConformance } from 'tessera-session/testing/stores';
 *
 * describeStoreConformance('my store', async () => {
 *   const store = createMyStore();
 *   return { store, cleanup: () => store.close() };
 * }, { describe, it, beforeAll, afterAll });
 * ```
 */
export function describeStoreConformance(
  name: string,
  setup: () => Promise<StoreConformanceContext>,
  runner: StoreConformanceRunner,
): void {
  const { describe, it, beforeAll, afterAll } = runner;
  const checks = storeConformanceChecks();
  const groups = new Map<string, StoreCheck[]>();
  for (const check of checks) groups.set(check.group, [...(groups.get(check.group) ?? []), check]);

  describe(`${name} store conformance`, () => {
    let context: StoreConformanceContext | undefined;

    beforeAll(async () => {
      context = await setup();
    });

    afterAll(async () => {
      await context?.cleanup?.();
    });

    const declare = (check: StoreCheck): void => {
      // No declared parameter: jest and mocha would take one for a `done` callback.
      it(check.title, async function (this: unknown, ...args: unknown[]): Promise<void> {
        if (context === undefined) throw new Error(`the setup of "${name}" did not complete`);
        const outcome = await check.run(context);
        if (outcome.status !== 'skipped') return;
        // vitest and node:test hand a context as the argument, mocha as `this`.
        const runnerContext = [args[0], this].find(canSkip);
        runnerContext?.skip(outcome.reason);
      } as TestBody);
    };

    for (const [groupName, members] of groups) {
      if (groupName === '') members.forEach(declare);
      else describe(groupName, () => members.forEach(declare));
    }
  });
}
