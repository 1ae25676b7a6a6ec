/**
 * `describeSessions()` of the SQLite store (issue 13 §3's overview): a few
 * `GROUP BY` statements on the indexes, in one read transaction so that the
 * figures agree with each other.
 *
 * @module
 */

import type { DescribeSessionsOptions, SessionOverview } from '../../core/store.js';
import { resolveDescribeSessionsOptions } from '../page-sessions-options.js';
import { assembleSessionOverview, findOverviewWindows } from '../session-overview.js';
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
      const windows = findOverviewWindows(at, hours);
      const live = statements.count.get({ now: at })?.sessions ?? 0;
      const created = statements.createdPerHour.all({
        now: at,
        from: windows.createdFrom,
        to: windows.createdTo,
      });
      const expiring = statements.expiringPerHour.all({
        now: at,
        from: windows.expiringFrom,
        to: windows.expiringTo,
      });
      const top = statements.topUsers.all({ now: at, limit: topUsers });
      const sizes = statements.sizes.all({ now: at, limit: SQLITE_SIZE_SAMPLE });
      return assembleSessionOverview({
        at,
        hours,
        live,
        users: top[0]?.users ?? 0,
        createdByHour: created.map((row) => [row.hour, row.sessions] as const),
        expiringByHour: expiring.map((row) => [row.hour, row.sessions] as const),
        sizesByBucket: sizes.map((row) => [row.bucket, row.sessions] as const),
        topUsers: top.map((row) => ({ userId: row.user_id, sessions: row.sessions })),
      });
    } finally {
      database.exec('RELEASE tessera_describe');
    }
  };
}
