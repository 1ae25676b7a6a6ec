/**
 * `listSessions()` of the PostgreSQL store: one `ORDER BY created_at DESC
 * LIMIT` statement, so the server keeps only `limit` rows while it sorts
 * (a top-N heapsort), never the table.
 *
 * @module
 */

import type { QueryResult, QueryResultRow } from 'pg';
import type { ListSessionsOptions, SessionSummary } from '../../core/store.js';
import { resolveListSessionsOptions } from '../list-sessions-options.js';
import type { SessionRow, Statement } from './statements.js';
import type { TableName } from './table-name.js';
import { decodeDataJson, decodeText, encodeText } from './text-codec.js';

/** How the store runs a statement (creating the table first when it may, explaining errors). */
export type StatementRunner = <Row extends QueryResultRow>(
  statement: Statement,
  values: unknown[],
) => Promise<QueryResult<Row>>;

/** Lists the newest live sessions through `run`, with statements named like the store's others. */
export function createSessionLister(
  run: StatementRunner,
  table: TableName,
  prepared: boolean,
  now: () => number,
): (options: ListSessionsOptions) => Promise<SessionSummary[]> {
  const statement = (what: string, where: string): Statement =>
    Object.freeze({
      name: prepared ? `tessera:${table.name}:${what}` : undefined,
      text:
        `SELECT key, data::text AS data, created_at, expires_at, user_id FROM ${table.sql} ` +
        `WHERE ${where} ORDER BY created_at DESC, key DESC LIMIT $2`,
    });
  const every = statement('list', 'expires_at > $1');
  // The partial index on user_id finds one user's rows.
  const ofUser = statement('list-user', 'expires_at > $1 AND user_id = $3');

  return async (options) => {
    const { limit, userId } = resolveListSessionsOptions('postgres', options);
    const result =
      userId === undefined
        ? await run<SessionRow>(every, [now(), limit])
        : await run<SessionRow>(ofUser, [now(), limit, encodeText(userId)]);
    return result.rows.map((row) => ({
      key: decodeText(row.key),
      userId: row.user_id === null ? null : decodeText(row.user_id),
      createdAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
      data: decodeDataJson(row.data),
    }));
  };
}
