/**
 * The order of `listSessions()` (newest first) and a bounded collection of
 * the newest sessions, for stores that walk their records (files, Redis,
 * memory) rather than ask an index.
 *
 * @module
 */

/**
 * Whether `a` lists before `b`: newer first, and between sessions created in
 * the same millisecond the greater key first, as SQL's
 * `ORDER BY created_at DESC, key DESC` does.
 */
export function isListedBefore(
  a: { createdAt: number; key: string },
  b: { createdAt: number; key: string },
): boolean {
  return a.createdAt !== b.createdAt ? a.createdAt > b.createdAt : a.key > b.key;
}

/**
 * Keeps the first `limit` items in listing order of everything offered, so a
 * walk over every record holds `limit` of them at most, never all.
 */
export interface NewestSessions<T extends { createdAt: number; key: string }> {
  /** Considers one item; kept only while it is among the newest `limit`. */
  offer(item: T): void;
  /** Whether an item created at `createdAt` with `key` would be kept now (so it is worth reading whole). */
  wouldKeep(createdAt: number, key: string): boolean;
  /** The kept items, newest first. */
  list(): T[];
}

/** An empty {@link NewestSessions} keeping at most `limit` items. */
export function collectNewestSessions<T extends { createdAt: number; key: string }>(
  limit: number,
): NewestSessions<T> {
  // Sorted newest first; `limit` is small (a page of a listing), so insertion is cheap.
  const kept: T[] = [];
  const wouldKeep = (createdAt: number, key: string): boolean => {
    const last = kept.at(-1);
    return kept.length < limit || last === undefined || isListedBefore({ createdAt, key }, last);
  };
  return {
    wouldKeep,
    offer(item) {
      if (!wouldKeep(item.createdAt, item.key)) return;
      let index = kept.length;
      while (index > 0 && isListedBefore(item, kept[index - 1]!)) index -= 1;
      kept.splice(index, 0, item);
      if (kept.length > limit) kept.pop();
    },
    list: () => [...kept],
  };
}
