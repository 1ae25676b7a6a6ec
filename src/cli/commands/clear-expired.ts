/**
 * `tessera-session clear-expired`: removes expired sessions (Django's `clearsessions`).
 * Run it from cron; a store that reports progress (SQLite, in batches) shows
 * it on stderr while a large cleanup runs.
 * @module
 */

import type { Awaitable } from '../../core/index.js';
import { maskStoreUrl } from '../../stores/index.js';
import type { CommandInput } from '../context.js';
import { createProgressReporter } from '../progress.js';

/**
 * `clearExpired` as stores that report progress declare it (the SQLite store
 * does). Stores whose `clearExpired` takes no argument ignore the options.
 */
type ClearExpiredWithProgress = (options?: {
  onProgress?(removed: number): void;
}) => Awaitable<number>;

/** Removes the expired sessions and prints `Removed N expired sessions from <url>.` */
export async function runClearExpired({
  stdout,
  stderr,
  storeUrl,
  useStore,
}: CommandInput): Promise<number> {
  const progress = createProgressReporter(stderr, 'Removed');
  let removed: number;
  try {
    removed = await useStore(async (store) => {
      const clearExpired = store.clearExpired as ClearExpiredWithProgress;
      return clearExpired.call(store, { onProgress: (count) => progress.report(count) });
    });
  } finally {
    progress.finish();
  }
  const noun = removed === 1 ? 'session' : 'sessions';
  stdout.write(`Removed ${removed} expired ${noun} from ${maskStoreUrl(storeUrl)}.\n`);
  return 0;
}
