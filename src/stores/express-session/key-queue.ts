/**
 * Runs the writes of one key one after the other within this process: a
 * promise queue per key, forgotten as soon as it drains (so it never grows).
 *
 * An express-session store writes whole records, so Tessera's update is a read
 * then a write. Queued per key, two overlapping requests of one process that
 * change different keys of a session both persist, and a slow update cannot
 * write back a session that a logout destroyed meanwhile. Other processes are
 * not kept out: between one process's read and write, another's write or
 * destroy can still be lost or undone.
 *
 * @module
 */

/** Per-key serialisation of asynchronous work. */
export interface KeyQueue {
  /**
   * Runs `work` once every earlier work on any of `keys` has settled, and
   * holds those keys until it settles. Work on several keys (rotate) waits
   * only for work queued before it, so no two works wait for each other.
   */
  run<T>(keys: readonly string[], work: () => Promise<T>): Promise<T>;
  /** How many keys have work queued or running (for tests: 0 when idle). */
  readonly size: number;
}

/** A new, empty {@link KeyQueue}. */
export function createKeyQueue(): KeyQueue {
  // The last queued work per key (settled or not); removed when it is still the last at its end.
  const tails = new Map<string, Promise<void>>();
  return {
    async run<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
      const unique = [...new Set(keys)];
      const previous = unique.map((key) => tails.get(key));
      let release!: () => void;
      const done = new Promise<void>((resolve) => {
        release = resolve;
      });
      for (const key of unique) tails.set(key, done);
      try {
        // `done` never rejects, so neither does anything awaited here.
        await Promise.all(previous);
        return await work();
      } finally {
        release();
        for (const key of unique) if (tails.get(key) === done) tails.delete(key);
      }
    },
    get size() {
      return tails.size;
    },
  };
}
