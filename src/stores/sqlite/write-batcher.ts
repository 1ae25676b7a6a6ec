/**
 * Group commit: the writes queued during one turn of the event loop are applied
 * in a single IMMEDIATE transaction. A WAL commit costs far more than the
 * statements it holds, so under load this divides the per-write cost by the
 * batch size. Every caller's promise settles only once its write is committed,
 * so nothing is acknowledged before it is durable.
 *
 * @module
 */

import type { SqliteConnection } from './driver.js';

interface QueuedWrite {
  apply: () => boolean;
  resolve: (value: boolean) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: boolean } | { ok: false; error: unknown };

/** Queues writes and commits them together. */
export interface WriteBatcher {
  /** Runs `apply` inside the next batch transaction; settles with its answer once committed. */
  enqueue(apply: () => boolean): Promise<boolean>;
  /** Commits what is queued now (before closing the database). */
  flush(): void;
}

/** Creates a batcher whose transactions take the write lock up front (IMMEDIATE). */
export function createWriteBatcher(database: SqliteConnection): WriteBatcher {
  let queue: QueuedWrite[] = [];
  // Each write's own error (a constraint, say) fails only that write.
  const applyAll = (writes: QueuedWrite[]): Outcome[] => {
    database.exec('BEGIN IMMEDIATE');
    let outcomes: Outcome[];
    try {
      outcomes = writes.map((write) => {
        try {
          return { ok: true, value: write.apply() };
        } catch (error) {
          return { ok: false, error };
        }
      });
      database.exec('COMMIT');
    } catch (error) {
      try {
        if (database.isOpen) database.exec('ROLLBACK');
      } catch {
        // SQLite already rolled back (a failed COMMIT); the original error is the one to report.
      }
      throw error;
    }
    return outcomes;
  };

  const flush = (): void => {
    if (queue.length === 0) return;
    const writes = queue;
    queue = [];
    let outcomes: Outcome[];
    try {
      outcomes = applyAll(writes);
    } catch (error) {
      // The transaction itself failed (busy, disk full, closed): nothing was committed.
      for (const write of writes) write.reject(error);
      return;
    }
    outcomes.forEach((outcome, index) => {
      const write = writes[index]!;
      if (outcome.ok) write.resolve(outcome.value);
      else write.reject(outcome.error);
    });
  };

  return {
    flush,
    enqueue(apply) {
      return new Promise<boolean>((resolve, reject) => {
        if (queue.push({ apply, resolve, reject }) === 1) setImmediate(flush);
      });
    },
  };
}
