/**
 * `describeSessions()` for stores that walk their records (files, Redis,
 * memory): one pass over the live records adds each to the counts. SQL stores
 * answer the same figures with `GROUP BY` queries and shape them with
 * {@link fillHours} and {@link fillSizeBuckets}.
 *
 * @module
 */

import {
  type DescribeSessionsOptions,
  SESSION_SIZE_BUCKETS,
  type SessionHourCount,
  type SessionOverview,
  type SessionSizeBucket,
} from '../core/store.js';

/** Milliseconds in an hour. */
export const HOUR_MS = 3_600_000;

/** The start of the hour (UTC) `time` falls in. */
export function hourOf(time: number): number {
  return Math.floor(time / HOUR_MS) * HOUR_MS;
}

/** What a walk adds for one live record. */
export interface OverviewRecord {
  userId: string | null;
  createdAt: number;
  expiresAt: number;
  /** UTF-8 bytes of the record's data as JSON. */
  bytes: number;
}

/** Adds records one by one; memory grows with the number of distinct users only. */
export interface SessionOverviewAccumulator {
  add(record: OverviewRecord): void;
  result(): SessionOverview;
}

/**
 * The `hours` hourly counts ending with the hour of `at` (`direction: 'past'`)
 * or starting with it (`'future'`), from sparse counts by hour start.
 */
export function fillHours(
  counts: ReadonlyMap<number, number>,
  at: number,
  hours: number,
  direction: 'past' | 'future',
): SessionHourCount[] {
  const first = direction === 'past' ? hourOf(at) - (hours - 1) * HOUR_MS : hourOf(at);
  return Array.from({ length: hours }, (_, index) => {
    const hour = first + index * HOUR_MS;
    return { hour, sessions: counts.get(hour) ?? 0 };
  });
}

/** The index in {@link SESSION_SIZE_BUCKETS} (or the last, unbounded bucket) of a size. */
export function sizeBucketOf(bytes: number): number {
  const index = SESSION_SIZE_BUCKETS.findIndex((upTo) => bytes <= upTo);
  return index === -1 ? SESSION_SIZE_BUCKETS.length : index;
}

/** The histogram from counts by bucket index ({@link sizeBucketOf}). */
export function fillSizeBuckets(counts: readonly number[]): SessionSizeBucket[] {
  return [...SESSION_SIZE_BUCKETS, null].map((upTo, index) => ({
    upTo,
    sessions: counts[index] ?? 0,
  }));
}

/** The first `limit` users by sessions (most first, ties by user id). */
export function pickTopUsers(
  counts: Iterable<[string, number]>,
  limit: number,
): Array<{ userId: string; sessions: number }> {
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, limit)
    .map(([userId, sessions]) => ({ userId, sessions }));
}

/** An empty accumulator of the overview at time `at`. */
export function accumulateSessionOverview(
  options: DescribeSessionsOptions,
  at: number,
): SessionOverviewAccumulator {
  const firstCreated = hourOf(at) - (options.hours - 1) * HOUR_MS;
  const endExpiring = hourOf(at) + options.hours * HOUR_MS;
  const created = new Map<number, number>();
  const expiring = new Map<number, number>();
  const sizes: number[] = [];
  const users = new Map<string, number>();
  let live = 0;
  const increment = (map: Map<number, number>, hour: number) =>
    map.set(hour, (map.get(hour) ?? 0) + 1);
  return {
    add(record) {
      live += 1;
      if (record.createdAt >= firstCreated) increment(created, hourOf(record.createdAt));
      if (record.expiresAt < endExpiring) increment(expiring, hourOf(record.expiresAt));
      const bucket = sizeBucketOf(record.bytes);
      sizes[bucket] = (sizes[bucket] ?? 0) + 1;
      if (record.userId !== null) users.set(record.userId, (users.get(record.userId) ?? 0) + 1);
    },
    result: () => ({
      at,
      live,
      users: users.size,
      createdPerHour: fillHours(created, at, options.hours, 'past'),
      expiringPerHour: fillHours(expiring, at, options.hours, 'future'),
      sizes: fillSizeBuckets(sizes),
      sizesMeasured: live,
      topUsers: pickTopUsers(users, options.topUsers),
    }),
  };
}
