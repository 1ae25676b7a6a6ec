/**
 * A gate for tests that need a shared server: outside CI a missing server
 * skips the block with its reason in the block's name; with `CI=true` it fails
 * instead.
 *
 * ```ts
 * const redis = await probeServer('redis', SERVER_URLS.redis);
 * describeWithServer(redis, 'redis store', () => { … });
 * ```
 *
 * @module
 */
import { describe, it } from 'vitest';
import type { ServerProbe } from './server-probe.js';

export { probeServer, SERVER_URLS, type ServerProbe } from './server-probe.js';

/** Whether this run is CI, where a missing server is a failure rather than a skip. */
export const isCi = (): boolean => process.env.CI === 'true' || process.env.CI === '1';

/**
 * `describe` that runs only when the server answered. Outside CI a missing server
 * skips the block, with the reason in its name; under CI one failing test says why.
 */
export function describeWithServer(probe: ServerProbe, name: string, body: () => void): void {
  if (probe.available) {
    describe(name, body);
    return;
  }
  const why = `${probe.name} unavailable: ${probe.reason} (set the URL in the environment or start the server, see shared/services.md)`;
  if (isCi()) {
    describe(name, () => {
      it(`needs ${probe.name}`, () => {
        throw new Error(why);
      });
    });
  } else {
    describe.skip(`${name} — skipped, ${why}`, body);
  }
}
