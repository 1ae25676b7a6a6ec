/**
 * `pageSessions()`, `countSessions()` and `describeSessions()` of the
 * PostgreSQL store (issue 13 §2): one statement each (see
 * `paging-statements.ts`).
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
import type { StatementRunner } from './list-sessions.js';
import type { PagingStatements } from './paging-statements.js';
import type { SessionRow } from './statements.js';
import { decodeDataJson, decodeText, encodeText } from './text-codec.js';

/**
 * Sessions whose size the overview's histogram measures: the newest this
 * many. Measuring all would read every row's data; the newest 10,000 by the
 * creation index cost milliseconds at any size.
 */
export const POSTGRES_SIZE_SAMPLE = 10_000;

/** The operations methods, through `run` and the store's paging statements. */
export function createSessionOperations(
  run: StatementRunner,
  statements: PagingStatements,
  now: () => number,
): AsyncSessionListing {
  return {
    async pageSessions(options) {
      const resolved = resolvePageSessionsOptions('postgres', options);
      const { limit, after, order, userId } = resolved;
      const values: unknown[] = [now(), limit];
      if (userId !== undefined) values.push(encodeText(userId));
      if (after !== undefined) values.push(after.value, encodeText(after.key));
      const statement = choosePageStatement(statements.pages[order], resolved);
      const result = await run<SessionRow>(statement, values);
      const sessions = result.rows.map((row) => ({
        key: decodeText(row.key),
        userId: row.user_id === null ? null : decodeText(row.user_id),
        createdAt: Number(row.created_at),
        expiresAt: Number(row.expires_at),
        data: decodeDataJson(row.data),
      }));
      return { sessions, nextCursor: nextCursorOf(sessions, limit, order) };
    },

    async countSessions(options) {
      const { userId } = resolveCountSessionsOptions('postgres', options);
      const result =
        userId === undefined
          ? await run<{ sessions: string }>(statements.count, [now()])
          : await run<{ sessions: string }>(statements.countOfUser, [now(), encodeText(userId)]);
      return Number(result.rows[0]?.sessions ?? 0);
    },

    async describeSessions(options) {
      const { hours, topUsers } = resolveDescribeSessionsOptions('postgres', options);
      const at = now();
      const windows = findOverviewWindows(at, hours);
      const result = await run<{
        live: string;
        created: string;
        expiring: string;
        top: string;
        sizes: string;
      }>(statements.describe, [
        at,
        windows.createdFrom,
        windows.createdTo,
        windows.expiringTo,
        topUsers,
        POSTGRES_SIZE_SAMPLE,
      ]);
      const row = result.rows[0];
      const pairs = (json: string | undefined) =>
        JSON.parse(json ?? '[]') as Array<[number, number]>;
      const byHour = (json: string | undefined) =>
        pairs(json).map(([hour, sessions]) => [hour * HOUR_MS, sessions] as const);
      const top = JSON.parse(row?.top ?? '[]') as Array<[string, number, number]>;
      return assembleSessionOverview({
        at,
        hours,
        live: Number(row?.live ?? 0),
        users: top[0]?.[2] ?? 0,
        createdByHour: byHour(row?.created),
        expiringByHour: byHour(row?.expiring),
        sizesByBucket: pairs(row?.sizes),
        topUsers: top.map(([userId, sessions]) => ({ userId: decodeText(userId), sessions })),
      });
    },
  };
}
