/**
 * The store conformance suite: every guarantee of the `SessionStore`
 * contract, checked against your store on its real backend, with any test
 * runner. It is the suite Tessera's own stores pass. Failed guarantees throw
 * `node:assert`'s `AssertionError`, which vitest, jest, `node:test` and mocha
 * all report with a diff.
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
 *
 * Or loop over {@link storeConformanceChecks} yourself: each check has a
 * `name` and an async `run(context)`. See `docs/stores.md`.
 * @module tessera-session/testing/stores
 */

export type {
  StoreCheck,
  StoreCheckOutcome,
  StoreConformanceContext,
} from './check.js';
export {
  describeStoreConformance,
  type StoreConformanceRunner,
  storeConformanceChecks,
  type TestBody,
} from './describe.js';
