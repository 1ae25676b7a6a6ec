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
  /** The kept items, newest first. */
  list(): T[];
}

/** An empty {@link NewestSessions} keeping at most `limit` items. */
export function collectNewestSessions<T extends { createdAt: number; key: string }>(
  limit: number,
): NewestSessions<T> {
  // A binary heap whose root is the kept item that lists last: each offer
  // costs O(log limit), whatever `limit` and however the walk is ordered.
  const heap: T[] = [];
  const listsLater = (a: number, b: number): boolean => isListedBefore(heap[b]!, heap[a]!);
  const swap = (a: number, b: number): void => {
    [heap[a], heap[b]] = [heap[b]!, heap[a]!];
  };
  const siftUp = (start: number): void => {
    let index = start;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!listsLater(index, parent)) return;
      swap(index, parent);
      index = parent;
    }
  };
  const siftDown = (): void => {
    let index = 0;
    for (;;) {
      let latest = index;
      for (const child of [2 * index + 1, 2 * index + 2]) {
        if (child < heap.length && listsLater(child, latest)) latest = child;
      }
      if (latest === index) return;
      swap(index, latest);
      index = latest;
    }
  };
  return {
    offer(item) {
      if (heap.length < limit) {
        heap.push(item);
        siftUp(heap.length - 1);
      } else if (heap.length > 0 && isListedBefore(item, heap[0]!)) {
        heap[0] = item;
        siftDown();
      }
    },
    list: () => [...heap].sort((a, b) => (isListedBefore(a, b) ? -1 : 1)),
  };
}
