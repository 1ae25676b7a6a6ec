/**
 * `describeSessions()` of the SQLite store (issue 13 §3's overview): a few
 * `GROUP BY` statements on the indexes, in one read transaction so that the
 * figures agree with each other.
 *
 * @module
 */

import type { DescribeSessionsOptions, SessionOverview } from '../../core/store.js';
import { resolveDescribeSessionsOptions } from '../page-sessions-options.js';
import { fillHours, fillSizeBuckets, HOUR_MS, hourOf } from '../session-overview.js';
import type { SqliteConnection } from './driver.js';
import type { PagingStatements } from './paging-statements.js';

/**
 * Sessions whose size the histogram measures: the newest this many. Measuring
 * every row reads every row's data (the whole table); the newest 10,000 by
 * the creation index cost a few milliseconds at any size.
 */
export const SQLITE_SIZE_SAMPLE = 10_000;

/** Describes the live sessions, synchronously. */
export type SqliteSessionDescriber = (options: DescribeSessionsOptions) => SessionOverview;

/** A describer on the store's prepared statements. */
export function createSessionDescriber(
  database: SqliteConnection,
  statements: PagingStatements,
  now: () => number,
): SqliteSessionDescriber {
  return (options) => {
    const { hours, topUsers } = resolveDescribeSessionsOptions('sqlite', options);
    const at = now();
    // A savepoint is a read transaction outside one, and nests inside the caller's.
    database.exec('SAVEPOINT tessera_describe');
    try {
      const live = statements.count.get({ now: at })?.sessions ?? 0;
      const created = statements.createdPerHour.all({
        now: at,
        from: hourOf(at) - (hours - 1) * HOUR_MS,
        to: hourOf(at) + HOUR_MS,
      });
      const expiring = statements.expiringPerHour.all({
        now: at,
        from: hourOf(at),
        to: hourOf(at) + hours * HOUR_MS,
      });
      const top = statements.topUsers.all({ now: at, limit: topUsers });
      const sizes = statements.sizes.all({ now: at, limit: SQLITE_SIZE_SAMPLE });
      const byHour = (rows: readonly { hour: number; sessions: number }[]) =>
        new Map(rows.map((row) => [row.hour, row.sessions]));
      const sizeCounts: number[] = [];
      for (const row of sizes) sizeCounts[row.bucket] = row.sessions;
      return {
        at,
        live,
        users: top[0]?.users ?? 0,
        createdPerHour: fillHours(byHour(created), at, hours, 'past'),
        expiringPerHour: fillHours(byHour(expiring), at, hours, 'future'),
        sizes: fillSizeBuckets(sizeCounts),
        sizesMeasured: sizes.reduce((sum, row) => sum + row.sessions, 0),
        topUsers: top.map((row) => ({ userId: row.user_id, sessions: row.sessions })),
      };
    } finally {
      database.exec('RELEASE tessera_describe');
    }
  };
}
