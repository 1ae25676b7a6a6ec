/**
 * The store conformance suite (`tessera-session/testing/stores`) as one
 * vitest `describe` block. A store's test file plugs its store in:
 *
 * ```ts
 * describeStoreConformance('redis', async () => {
 *   const store = createRedisStore({ url: process.env.REDIS_URL });
 *   return { store, cleanup: () => store.close?.() };
 * });
 * ```
 *
 * The checks themselves live in `src/testing/stores/`, runner-agnostic, so
 * that store authors run the very same suite with their own runner.
 */

import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  describeStoreConformance as describeWithRunner,
  type StoreConformanceContext,
} from '../../src/testing/stores/index.js';

export type { StoreConformanceContext };

/**
 * Declares the store conformance suite: the guarantees of `SessionStore`
 * (see `src/core/store.ts`) checked against the store `setup` answers.
 */
export function describeStoreConformance(
  name: string,
  setup: () => Promise<StoreConformanceContext>,
): void {
  describeWithRunner(name, setup, { describe, it, beforeAll, afterAll });
}
