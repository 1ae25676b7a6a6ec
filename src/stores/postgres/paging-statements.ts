/**
 * The statements of `pageSessions()`, `countSessions()` and
 * `describeSessions()` (issue 13 §2), named like the store's others.
 *
 * A page is keyset pagination: `(value, key) < ($v, $k)` is one range of a
 * composite index walked backwards, `LIMIT` rows long at any table size. The
 * overview is one statement (one snapshot, one round trip) of scalar
 * subqueries, each answering JSON.
 *
 * @module
 */

import { SESSION_SIZE_BUCKETS, type SessionListOrder } from '../../core/store.js';
import type { Statement } from './statements.js';
import type { TableName } from './table-name.js';

/** The page statements of one order: all sessions or one user's, first page or after a cursor. */
export interface OrderStatements {
  /** `$1` now, `$2` limit. */
  readonly first: Statement;
  /** `$1` now, `$2` limit, `$3` value, `$4` key. */
  readonly after: Statement;
  /** `$1` now, `$2` limit, `$3` userId. */
  readonly firstOfUser: Statement;
  /** `$1` now, `$2` limit, `$3` userId, `$4` value, `$5` key. */
  readonly afterOfUser: Statement;
}

/** The statements of the operations methods. */
export interface PagingStatements {
  readonly pages: Readonly<Record<SessionListOrder, OrderStatements>>;
  /** `$1` now. */
  readonly count: Statement;
  /** `$1` now, `$2` userId. */
  readonly countOfUser: Statement;
  /**
   * One row: `live`, and as JSON text `created` and `expiring` (`[hour, n]`
   * pairs, hour = ms / 3,600,000), `top` (`[userId, n, users]`) and `sizes`
   * (`[bucket, n]`). `$1` now, `$2`/`$3` the first hour of the created chart
   * and the end of the current hour, `$4` the end of the expiring chart, `$5`
   * top users, `$6` size sample.
   */
  readonly describe: Statement;
}

/** The column each order sorts by. */
const ORDER_COLUMNS: Readonly<Record<SessionListOrder, string>> = Object.freeze({
  created: 'created_at',
  lastUsed: 'expires_at',
});

const COLUMNS = 'key, data::text AS data, created_at, expires_at, user_id';

/** The statements on `table`; named `tessera:<table>:<what>` unless `prepared` is off. */
export function createPagingStatements(table: TableName, prepared: boolean): PagingStatements {
  const name = table.sql;
  const statement = (what: string, text: string): Statement =>
    Object.freeze({
      name: prepared ? `tessera:${table.name}:${what}` : undefined,
      text: text.replace(/\s+/g, ' ').trim(),
    });
  const pagesOf = (order: SessionListOrder): OrderStatements => {
    const column = ORDER_COLUMNS[order];
    const sort = `ORDER BY ${column} DESC, key DESC LIMIT $2`;
    const select = `SELECT ${COLUMNS} FROM ${name} WHERE expires_at > $1`;
    return Object.freeze({
      first: statement(`page-${order}`, `${select} ${sort}`),
      after: statement(`page-${order}-after`, `${select} AND (${column}, key) < ($3, $4) ${sort}`),
      firstOfUser: statement(`page-${order}-user`, `${select} AND user_id = $3 ${sort}`),
      afterOfUser: statement(
        `page-${order}-user-after`,
        `${select} AND user_id = $3 AND (${column}, key) < ($4, $5) ${sort}`,
      ),
    });
  };
  const bucket = `CASE ${SESSION_SIZE_BUCKETS.map(
    (upTo, index) => `WHEN size <= ${upTo} THEN ${index}`,
  ).join(' ')} ELSE ${SESSION_SIZE_BUCKETS.length} END`;
  // One index range count per hour: a GROUP BY would hash every row of the
  // window, which the planner, taking each value for its own group, also plans to spill.
  const perHour = (column: string, from: string, to: string) =>
    `(SELECT coalesce(json_agg(json_build_array(hour / 3600000, (
         SELECT count(*) FROM ${name}
         WHERE ${column} >= hour AND ${column} < hour + 3600000 AND expires_at > $1))), '[]')::text
       FROM generate_series(${from}, ${to} - 1, 3600000) AS hour)`;

  return Object.freeze({
    pages: Object.freeze({ created: pagesOf('created'), lastUsed: pagesOf('lastUsed') }),
    count: statement('count', `SELECT count(*) AS sessions FROM ${name} WHERE expires_at > $1`),
    countOfUser: statement(
      'count-user',
      `SELECT count(*) AS sessions FROM ${name} WHERE expires_at > $1 AND user_id = $2`,
    ),
    describe: statement(
      'describe',
      `SELECT
         (SELECT count(*) FROM ${name} WHERE expires_at > $1) AS live,
         ${perHour('created_at', '$2::bigint', '$3::bigint')} AS created,
         ${perHour('expires_at', '$3::bigint - 3600000', '$4::bigint')} AS expiring,
         (SELECT coalesce(json_agg(json_build_array(user_id, sessions, users)
                   ORDER BY sessions DESC, user_id), '[]')::text FROM (
            SELECT user_id, count(*) AS sessions, count(*) OVER () AS users FROM ${name}
            WHERE user_id IS NOT NULL AND expires_at > $1
            GROUP BY user_id ORDER BY sessions DESC, user_id LIMIT $5) AS top) AS top,
         (SELECT coalesce(json_agg(json_build_array(bucket, sessions)), '[]')::text FROM (
            SELECT ${bucket} AS bucket, count(*) AS sessions FROM (
              SELECT octet_length(data::text) AS size FROM ${name}
              WHERE expires_at > $1 ORDER BY created_at DESC, key DESC LIMIT $6) AS sample
            GROUP BY 1) AS buckets) AS sizes`,
    ),
  });
}
