/**
 * `listSessions()` of the MySQL store: one `ORDER BY created_at DESC LIMIT`
 * statement (see `statements.ts`), so the server keeps only `limit` rows while
 * it sorts, never the table.
 *
 * @module
 */

import type { ListSessionsOptions, SessionSummary } from '../../core/store.js';
import { resolveListSessionsOptions } from '../list-sessions-options.js';
import { parseData, userIdOf } from './row-values.js';
import type { SqlRunner } from './runner.js';
import type { SessionSql } from './statements.js';

/** Runs `operation` once the table is known to be there (the store's `withTable`). */
export type WithTable = <T>(operation: () => Promise<T>) => Promise<T>;

/** Lists the newest live sessions with the store's listing statements. */
export function createSessionLister(
  runner: SqlRunner,
  sql: Pick<SessionSql, 'selectNewest' | 'selectNewestOfUser'>,
  withTable: WithTable,
  now: () => number,
): (options: ListSessionsOptions) => Promise<SessionSummary[]> {
  return async (options) => {
    const { limit, userId } = resolveListSessionsOptions('mysql', options);
    return withTable(async () => {
      const rows =
        userId === undefined
          ? await runner.rows(sql.selectNewest(limit), [now()])
          : await runner.rows(sql.selectNewestOfUser(limit), [userId, now()]);
      return rows.map((row) => ({
        key: String(row.key),
        userId: userIdOf(row),
        createdAt: Number(row.created_at),
        expiresAt: Number(row.expires_at),
        data: parseData(row.data),
      }));
    });
  };
}
