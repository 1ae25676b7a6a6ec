/**
 * `describeSessions()` for stores that walk their records (files, Redis,
 * memory): one pass over the live records adds each to the counts. SQL stores
 * answer the same figures with `GROUP BY` queries over the windows of
 * {@link findOverviewWindows}; both shape them with {@link assembleSessionOverview}.
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

/** The time windows of an overview at `at`, in ms: what SQL stores group by hour. */
export interface OverviewWindows {
  /** The first hour of the created chart (inclusive). */
  readonly createdFrom: number;
  /** The end of the created chart: the end of the hour of `at` (exclusive). */
  readonly createdTo: number;
  /** The first hour of the expiring chart: the hour of `at` (inclusive). */
  readonly expiringFrom: number;
  /** The end of the expiring chart (exclusive). */
  readonly expiringTo: number;
}

/** The windows of the created and expiring charts of `hours` hours at `at`. */
export function findOverviewWindows(at: number, hours: number): OverviewWindows {
  const current = hourOf(at);
  return {
    createdFrom: current - (hours - 1) * HOUR_MS,
    createdTo: current + HOUR_MS,
    expiringFrom: current,
    expiringTo: current + hours * HOUR_MS,
  };
}

/** The counts an overview is made of, as a store gathered them. */
export interface OverviewCounts {
  readonly at: number;
  readonly hours: number;
  readonly live: number;
  readonly users: number;
  /** Live sessions by the start (ms) of the hour they were created in; hours without any may be left out. */
  readonly createdByHour: Iterable<readonly [hour: number, sessions: number]>;
  /** Live sessions by the start (ms) of the hour they expire in. */
  readonly expiringByHour: Iterable<readonly [hour: number, sessions: number]>;
  /** Measured sessions by size bucket index ({@link sizeBucketOf}). */
  readonly sizesByBucket: Iterable<readonly [bucket: number, sessions: number]>;
  /** The top users, most first. */
  readonly topUsers: Array<{ userId: string; sessions: number }>;
}

/** The {@link SessionOverview} of a store's counts: every store's one shape. */
export function assembleSessionOverview(counts: OverviewCounts): SessionOverview {
  const sizeCounts: number[] = [];
  let sizesMeasured = 0;
  for (const [bucket, sessions] of counts.sizesByBucket) {
    sizeCounts[bucket] = (sizeCounts[bucket] ?? 0) + sessions;
    sizesMeasured += sessions;
  }
  return {
    at: counts.at,
    live: counts.live,
    users: counts.users,
    createdPerHour: fillHours(new Map(counts.createdByHour), counts.at, counts.hours, 'past'),
    expiringPerHour: fillHours(new Map(counts.expiringByHour), counts.at, counts.hours, 'future'),
    sizes: fillSizeBuckets(sizeCounts),
    sizesMeasured,
    topUsers: counts.topUsers,
  };
}

/** An empty accumulator of the overview at time `at`. */
export function accumulateSessionOverview(
  options: DescribeSessionsOptions,
  at: number,
): SessionOverviewAccumulator {
  const { createdFrom, expiringTo } = findOverviewWindows(at, options.hours);
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
      if (record.createdAt >= createdFrom) increment(created, hourOf(record.createdAt));
      if (record.expiresAt < expiringTo) increment(expiring, hourOf(record.expiresAt));
      const bucket = sizeBucketOf(record.bytes);
      sizes[bucket] = (sizes[bucket] ?? 0) + 1;
      if (record.userId !== null) users.set(record.userId, (users.get(record.userId) ?? 0) + 1);
    },
    result: () =>
      assembleSessionOverview({
        at,
        hours: options.hours,
        live,
        users: users.size,
        createdByHour: created,
        expiringByHour: expiring,
        sizesByBucket: Array.from(sizes, (sessions, bucket) => [bucket, sessions ?? 0] as const),
        topUsers: pickTopUsers(users, options.topUsers),
      }),
  };
}
