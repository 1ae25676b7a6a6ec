/**
 * `pageSessions()`, `countSessions()` and `describeSessions()` of the MySQL
 * store (issue 13 §2), on the statements of `paging-statements.ts`.
 *
 * @module
 */

import {
  type AsyncSessionListing,
  choosePageStatement,
  nextCursorOf,
  resolveCountSessionsOptions,
  resolveDescribeSessionsOptions,
  resolvePageSessionsOptions,
} from '../page-sessions-options.js';
import { assembleSessionOverview, findOverviewWindows, HOUR_MS } from '../session-overview.js';
import type { WithTable } from './list-sessions.js';
import type { PagingSql } from './paging-statements.js';
import { parseData, userIdOf } from './row-values.js';
import type { Row, SqlRunner, SqlValue } from './runner.js';

/**
 * Sessions whose size the overview's histogram measures: the newest this
 * many. Measuring all would read every row's data; the newest 10,000 by the
 * creation index cost milliseconds at any size.
 */
export const MYSQL_SIZE_SAMPLE = 10_000;

/** The operations methods, through the store's runner once its table is there. */
export function createSessionOperations(
  runner: SqlRunner,
  sql: PagingSql,
  withTable: WithTable,
  now: () => number,
): AsyncSessionListing {
  return {
    async pageSessions(options) {
      const resolved = resolvePageSessionsOptions('mysql', options);
      const { limit, after, order, userId } = resolved;
      const parameters: SqlValue[] = userId === undefined ? [now()] : [userId, now()];
      if (after !== undefined) parameters.push(after.value, after.value, after.key);
      const statement = choosePageStatement(sql.pages[order], resolved)(limit);
      const rows = await withTable(() => runner.rows(statement, parameters));
      const sessions = rows.map((row) => ({
        key: String(row.key),
        userId: userIdOf(row),
        createdAt: Number(row.created_at),
        expiresAt: Number(row.expires_at),
        data: parseData(row.data),
      }));
      return { sessions, nextCursor: nextCursorOf(sessions, limit, order) };
    },

    async countSessions(options) {
      const { userId } = resolveCountSessionsOptions('mysql', options);
      const [row] = await withTable(() =>
        userId === undefined
          ? runner.rows(sql.count, [now()])
          : runner.rows(sql.countOfUser, [userId, now()]),
      );
      return Number(row?.sessions ?? 0);
    },

    async describeSessions(options) {
      const { hours, topUsers } = resolveDescribeSessionsOptions('mysql', options);
      const at = now();
      const windows = findOverviewWindows(at, hours);
      const statements = sql.overview({ at, windows, topUsers, sizeSample: MYSQL_SIZE_SAMPLE });
      // One transaction: InnoDB reads every statement from the same snapshot.
      // As text, not prepared: see paging-statements.ts (MariaDB re-ran a prepared GROUP BY 20× slower).
      const [live, created, expiring, top, sizes] = await withTable(() =>
        runner.transaction(async ({ textRows }) => [
          await textRows(statements.count),
          await textRows(statements.createdPerHour),
          await textRows(statements.expiringPerHour),
          await textRows(statements.topUsers),
          await textRows(statements.sizes),
        ]),
      );
      const byHour = (rows: readonly Row[]) =>
        rows.map((row) => [Number(row.hour) * HOUR_MS, Number(row.sessions)] as const);
      return assembleSessionOverview({
        at,
        hours,
        live: Number(live[0]?.sessions ?? 0),
        users: Number(top[0]?.users ?? 0),
        createdByHour: byHour(created),
        expiringByHour: byHour(expiring),
        sizesByBucket: sizes.map((row) => [Number(row.bucket), Number(row.sessions)] as const),
        topUsers: top.map((row) => ({
          userId: String(row.user_id),
          sessions: Number(row.sessions),
        })),
      });
    },
  };
}
