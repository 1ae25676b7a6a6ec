/**
 * `pageSessions()`, `countSessions()` and `describeSessions()` of the MySQL
 * store (issue 13 §2), on the statements of `paging-statements.ts`.
 *
 * @module
 */

import type {
  CountSessionsOptions,
  DescribeSessionsOptions,
  PageSessionsOptions,
  SessionOverview,
  SessionPage,
} from '../../core/store.js';
import {
  nextCursorOf,
  resolveCountSessionsOptions,
  resolveDescribeSessionsOptions,
  resolvePageSessionsOptions,
} from '../page-sessions-options.js';
import { fillHours, fillSizeBuckets, HOUR_MS, hourOf } from '../session-overview.js';
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

/** The operations methods of one store. */
export interface SessionOperations {
  pageSessions(options: PageSessionsOptions): Promise<SessionPage>;
  countSessions(options?: CountSessionsOptions): Promise<number>;
  describeSessions(options: DescribeSessionsOptions): Promise<SessionOverview>;
}

/** The operations methods, through the store's runner once its table is there. */
export function createSessionOperations(
  runner: SqlRunner,
  sql: PagingSql,
  withTable: WithTable,
  now: () => number,
): SessionOperations {
  return {
    async pageSessions(options) {
      const { limit, after, order, userId } = resolvePageSessionsOptions('mysql', options);
      const pages = sql.pages[order];
      const parameters: SqlValue[] = userId === undefined ? [now()] : [userId, now()];
      if (after !== undefined) parameters.push(after.value, after.value, after.key);
      const statement =
        userId === undefined
          ? after === undefined
            ? pages.first(limit)
            : pages.after(limit)
          : after === undefined
            ? pages.firstOfUser(limit)
            : pages.afterOfUser(limit);
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
      // One transaction: InnoDB reads every statement from the same snapshot.
      const [live, created, expiring, top, sizes] = await withTable(() =>
        runner.transaction(async (statements) => [
          await statements.rows(sql.count, [at]),
          await statements.rows(sql.createdPerHour, [
            hourOf(at) - (hours - 1) * HOUR_MS,
            hourOf(at) + HOUR_MS,
            at,
          ]),
          await statements.rows(sql.expiringPerHour, [at, hourOf(at) + hours * HOUR_MS]),
          await statements.rows(sql.topUsers(topUsers), [at]),
          await statements.rows(sql.sizes(MYSQL_SIZE_SAMPLE), [at]),
        ]),
      );
      const byHour = (rows: readonly Row[]) =>
        new Map(rows.map((row) => [Number(row.hour) * HOUR_MS, Number(row.sessions)]));
      const sizeCounts: number[] = [];
      for (const row of sizes) sizeCounts[Number(row.bucket)] = Number(row.sessions);
      return {
        at,
        live: Number(live[0]?.sessions ?? 0),
        users: Number(top[0]?.users ?? 0),
        createdPerHour: fillHours(byHour(created), at, hours, 'past'),
        expiringPerHour: fillHours(byHour(expiring), at, hours, 'future'),
        sizes: fillSizeBuckets(sizeCounts),
        sizesMeasured: sizes.reduce((sum, row) => sum + Number(row.sessions), 0),
        topUsers: top.map((row) => ({
          userId: String(row.user_id),
          sessions: Number(row.sessions),
        })),
      };
    },
  };
}
