/**
 * `listSessions()` of the PostgreSQL store: one `ORDER BY created_at DESC
 * LIMIT` statement (see `statements.ts`), so the server keeps only `limit`
 * rows while it sorts (a top-N heapsort), never the table.
 *
 * @module
 */

import type { QueryResult, QueryResultRow } from 'pg';
import type { ListSessionsOptions, SessionSummary } from '../../core/store.js';
import { resolveListSessionsOptions } from '../list-sessions-options.js';
import type { SessionRow, SessionStatements, Statement } from './statements.js';
import { decodeDataJson, decodeText, encodeText } from './text-codec.js';

/** How the store runs a statement (creating the table first when it may, explaining errors). */
export type StatementRunner = <Row extends QueryResultRow>(
  statement: Statement,
  values: unknown[],
) => Promise<QueryResult<Row>>;

/** Lists the newest live sessions through `run` and the store's listing statements. */
export function createSessionLister(
  run: StatementRunner,
  statements: Pick<SessionStatements, 'selectNewest' | 'selectNewestOfUser'>,
  now: () => number,
): (options: ListSessionsOptions) => Promise<SessionSummary[]> {
  return async (options) => {
    const { limit, userId } = resolveListSessionsOptions('postgres', options);
    const result =
      userId === undefined
        ? await run<SessionRow>(statements.selectNewest, [now(), limit])
        : await run<SessionRow>(statements.selectNewestOfUser, [now(), limit, encodeText(userId)]);
    return result.rows.map((row) => ({
      key: decodeText(row.key),
      userId: row.user_id === null ? null : decodeText(row.user_id),
      createdAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
      data: decodeDataJson(row.data),
    }));
  };
}
