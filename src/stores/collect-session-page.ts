/**
 * A page of `pageSessions()` for stores that walk their records (files, Redis,
 * memory) instead of asking an index: the walk offers every live record, and
 * only the first `limit` that list after the cursor are kept, so memory stays
 * bounded by `limit` whatever the number of records.
 *
 * @module
 */

import type { SessionListOrder } from '../core/store.js';
import { isPositionBefore, type SessionPosition, sortValueOf } from './page-sessions-options.js';

/** What a walk offers: at least the times and the key. */
export interface PageCandidate {
  key: string;
  createdAt: number;
  expiresAt: number;
}

/** Keeps the first `limit` candidates after the cursor, in listing order. */
export interface SessionPageCollector<T extends PageCandidate> {
  /** Considers one candidate; kept only while among the first `limit` after the cursor. */
  offer(candidate: T): void;
  /** The kept candidates, in listing order. */
  list(): T[];
}

/**
 * An empty collector of a page of `limit` candidates in `order`, starting
 * after `after` (`undefined`: the first page).
 */
export function collectSessionPage<T extends PageCandidate>(
  limit: number,
  order: SessionListOrder,
  after: SessionPosition | undefined,
): SessionPageCollector<T> {
  const positionOf = (candidate: T): SessionPosition => ({
    value: sortValueOf(candidate, order),
    key: candidate.key,
  });
  // A binary heap whose root is the kept candidate that lists last: each offer
  // costs O(log limit), however the walk is ordered.
  const heap: Array<{ position: SessionPosition; candidate: T }> = [];
  const listsLater = (a: number, b: number): boolean =>
    isPositionBefore(heap[b]!.position, heap[a]!.position);
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
    offer(candidate) {
      const position = positionOf(candidate);
      // Already listed on an earlier page.
      if (after !== undefined && !isPositionBefore(after, position)) return;
      if (heap.length < limit) {
        heap.push({ position, candidate });
        siftUp(heap.length - 1);
      } else if (heap.length > 0 && isPositionBefore(position, heap[0]!.position)) {
        heap[0] = { position, candidate };
        siftDown();
      }
    },
    list: () =>
      [...heap]
        .sort((a, b) => (isPositionBefore(a.position, b.position) ? -1 : 1))
        .map((entry) => entry.candidate),
  };
}
