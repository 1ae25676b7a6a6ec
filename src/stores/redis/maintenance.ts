/**
 * `stats()` and `clearExpired()`: walks over every session hash of the
 * prefix with SCAN (on every master of a cluster), never KEYS, so Redis is
 * never blocked by one long command. Figures are approximate on a busy server:
 * records come and go while the walk runs.
 *
 * @module
 */

import type { ClearExpiredOptions, StoreStats } from '../../core/store.js';
import type { RedisConnection } from './connection.js';
import type { RedisKeyLayout } from './keys.js';
import { dataBytesOf, encodeTime, expiryOf } from './record-codec.js';
import { DELETE_EXPIRED_SCRIPT, runScript } from './scripts.js';
import type { UserIndex } from './user-index.js';

/** Keys examined per SCAN step of {@link RedisStore.clearExpired} unless told otherwise. */
export const DEFAULT_CLEAR_EXPIRED_BATCH_SIZE = 1_000;

/**
 * Options of {@link RedisStore.clearExpired}.
 *
 * @deprecated Use {@link ClearExpiredOptions} from `tessera-session`, the one
 *   type every store's `clearExpired` takes.
 */
export type RedisClearExpiredOptions = ClearExpiredOptions;

/** Counts the session hashes of the prefix, the expired ones, and the bytes of their data. */
export async function collectStats(
  connection: RedisConnection,
  keys: RedisKeyLayout,
  now: number,
): Promise<StoreStats> {
  const stats: StoreStats = { count: 0, expired: 0, bytes: 0 };
  for await (const batch of connection.scan(keys.sessionPattern, 'hash')) {
    const replies = await Promise.all(
      batch.map((sessionKey) => connection.send(sessionKey, ['HGETALL', sessionKey])),
    );
    for (const reply of replies) {
      const expiresAt = expiryOf(reply);
      if (expiresAt === undefined) continue; // not a session record
      stats.count += 1;
      if (!(expiresAt > now)) stats.expired += 1;
      stats.bytes += dataBytesOf(reply);
    }
  }
  return stats;
}

/**
 * Deletes the expired records Redis still keeps (see option `keepExpiredFor`;
 * it drops them itself afterwards) and prunes the per-user indexes of
 * sessions that are gone. Answers how many records it deleted.
 */
export async function clearExpiredRecords(
  connection: RedisConnection,
  keys: RedisKeyLayout,
  userIndex: UserIndex,
  now: number,
  options: ClearExpiredOptions,
): Promise<number> {
  const batchSize = options.batchSize ?? DEFAULT_CLEAR_EXPIRED_BATCH_SIZE;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new RangeError(
      `clearExpired: option "batchSize" must be a positive integer, got ${String(batchSize)}. ` +
        `Leave it out for ${DEFAULT_CLEAR_EXPIRED_BATCH_SIZE}.`,
    );
  }
  let removed = 0;
  for await (const batch of connection.scan(keys.sessionPattern, 'hash', batchSize)) {
    const outcomes = await Promise.all(
      batch.map((sessionKey) =>
        runScript(connection, DELETE_EXPIRED_SCRIPT, sessionKey, [encodeTime(now)]),
      ),
    );
    let removedInBatch = 0;
    const unlisting: Promise<void>[] = [];
    outcomes.forEach((outcome, index) => {
      const [deleted, owner] = Array.isArray(outcome) ? outcome : [];
      const storeKey = keys.storeKeyOf(batch[index] ?? '');
      if (Number(deleted) !== 1) return;
      removedInBatch += 1;
      if (owner !== undefined && owner !== null && storeKey !== undefined) {
        unlisting.push(userIndex.remove(String(owner), storeKey));
      }
    });
    await Promise.all(unlisting);
    if (removedInBatch > 0) {
      removed += removedInBatch;
      options.onProgress?.(removed);
    }
  }
  await userIndex.pruneAll(now);
  return removed;
}
