/**
 * Runs the operations on one key one after the other within this process: a
 * promise queue per key. (Other processes are kept out by the lock file, see
 * `file-lock.ts`; this queue keeps one process from polling its own locks.)
 *
 * @module
 */

/** Per-key serialisation of asynchronous work. */
export interface KeyMutex {
  /** Runs `work` once every earlier `work` on the same key has settled. */
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** Resolves once everything queued so far has settled. */
  idle(): Promise<void>;
}

/** A new, empty {@link KeyMutex}. */
export function createKeyMutex(): KeyMutex {
  // The last settled-or-pending operation per key; removed when the queue drains.
  const tails = new Map<string, Promise<void>>();
  return {
    run<T>(key: string, work: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(work);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
    async idle(): Promise<void> {
      await Promise.all(tails.values());
    },
  };
}
