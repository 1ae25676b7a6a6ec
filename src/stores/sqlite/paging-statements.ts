/**
 * The statements of `pageSessions()`, `countSessions()` and
 * `describeSessions()` (issue 13 §2), prepared once per store.
 *
 * A page is keyset pagination: one index walked backwards from the cursor,
 * `LIMIT` rows long, whatever the size of the table. `+expires_at` keeps
 * SQLite from choosing the expiry index to filter live rows and then sorting
 * them: at a million live sessions that sort is the whole table.
 *
 * @module
 */

import { SESSION_SIZE_BUCKETS, type SessionListOrder } from '../../core/store.js';
import type { SessionRow, TypedStatement } from './statements.js';

/** The parameters of a page statement; `value` and `key` only after a cursor. */
export interface PageParameters {
  now: number;
  limit: number;
  userId?: string;
  value?: number;
  key?: string;
}

/** The four page statements of one order: all sessions or one user's, first page or after a cursor. */
export interface OrderStatements {
  readonly first: TypedStatement<PageParameters, SessionRow>;
  readonly after: TypedStatement<PageParameters, SessionRow>;
  readonly firstOfUser: TypedStatement<PageParameters, SessionRow>;
  readonly afterOfUser: TypedStatement<PageParameters, SessionRow>;
}

/** The prepared statements of the operations methods. */
export interface PagingStatements {
  readonly pages: Readonly<Record<SessionListOrder, OrderStatements>>;
  readonly count: TypedStatement<{ now: number }, { sessions: number }>;
  readonly countOfUser: TypedStatement<{ now: number; userId: string }, { sessions: number }>;
  /** Live sessions created in each hour (its start in ms) from `from` to `to`. */
  readonly createdPerHour: TypedStatement<
    { now: number; from: number; to: number },
    { hour: number; sessions: number }
  >;
  /** Live sessions expiring in each hour (its start in ms) from `from` to `to`. */
  readonly expiringPerHour: TypedStatement<
    { now: number; from: number; to: number },
    { hour: number; sessions: number }
  >;
  /** The top users, each row with the number of distinct users; no row when there is none. */
  readonly topUsers: TypedStatement<
    { now: number; limit: number },
    { user_id: string; sessions: number; users: number }
  >;
  /** The size bucket (index in SESSION_SIZE_BUCKETS, or its length) of the newest `limit` live sessions. */
  readonly sizes: TypedStatement<
    { now: number; limit: number },
    { bucket: number; sessions: number }
  >;
}

const COLUMNS = 'key, data, created_at, expires_at, user_id';

/** Milliseconds in an hour. */
const HOUR = 3_600_000;

/** The hour starts from `@from` up to (not including) `@to`, as the table `hours(hour)`. */
const HOURS_FROM_TO = `WITH RECURSIVE hours(hour) AS (
  SELECT @from UNION ALL SELECT hour + ${HOUR} FROM hours WHERE hour + ${HOUR} < @to)`;

/** The column each order sorts by. */
const ORDER_COLUMNS: Readonly<Record<SessionListOrder, string>> = Object.freeze({
  created: 'created_at',
  lastUsed: 'expires_at',
});

/** The SQL of each statement of {@link PagingStatements}. */
export type PagingSql = {
  readonly pages: Readonly<
    Record<SessionListOrder, Readonly<Record<keyof OrderStatements, string>>>
  >;
} & Readonly<Record<Exclude<keyof PagingStatements, 'pages'>, string>>;

/** The SQL of the statements on `table`, which must already be checked as a plain SQL name. */
export function pagingSql(table: string): PagingSql {
  const name = `"${table}"`;
  const pagesOf = (order: SessionListOrder): Record<keyof OrderStatements, string> => {
    const column = ORDER_COLUMNS[order];
    // By creation, the expiry is only a filter; by last use, it is the index walked.
    const live = order === 'created' ? '+expires_at > @now' : 'expires_at > @now';
    // Row values: SQLite turns them into one range of the (value, key) index.
    const afterCursor = `(${column}, key) < (@value, @key)`;
    const sort = `ORDER BY ${column} DESC, key DESC LIMIT @limit`;
    const page = (conditions: string[]) =>
      `SELECT ${COLUMNS} FROM ${name} WHERE ${conditions.join(' AND ')} ${sort}`;
    return {
      first: page([live]),
      after: page([live, afterCursor]),
      // One user's few sessions: the user's index finds them (by creation in order).
      firstOfUser: page(['user_id = @userId', '+expires_at > @now']),
      afterOfUser: page(['user_id = @userId', '+expires_at > @now', afterCursor]),
    };
  };
  const bucket = `CASE ${SESSION_SIZE_BUCKETS.map(
    (upTo, index) => `WHEN size <= ${upTo} THEN ${index}`,
  ).join(' ')} ELSE ${SESSION_SIZE_BUCKETS.length} END`;

  return {
    pages: { created: pagesOf('created'), lastUsed: pagesOf('lastUsed') },
    count: `SELECT COUNT(*) AS sessions FROM ${name} WHERE expires_at > @now`,
    countOfUser: `SELECT COUNT(*) AS sessions FROM ${name} WHERE user_id = @userId AND +expires_at > @now`,
    // One range count per hour, on the index in order: no sort of the window's rows.
    createdPerHour: `${HOURS_FROM_TO}
       SELECT hour, (SELECT COUNT(*) FROM ${name}
         WHERE created_at >= hour AND created_at < hour + ${HOUR} AND +expires_at > @now) AS sessions
       FROM hours`,
    expiringPerHour: `${HOURS_FROM_TO}
       SELECT hour, (SELECT COUNT(*) FROM ${name}
         WHERE expires_at > max(hour - 1, @now) AND expires_at < hour + ${HOUR}) AS sessions
       FROM hours`,
    topUsers: `SELECT user_id, COUNT(*) AS sessions, COUNT(*) OVER () AS users FROM ${name}
       WHERE user_id IS NOT NULL AND +expires_at > @now
       GROUP BY user_id ORDER BY sessions DESC, user_id LIMIT @limit`,
    sizes: `SELECT ${bucket} AS bucket, COUNT(*) AS sessions FROM (
         SELECT length(CAST(data AS BLOB)) AS size FROM ${name}
         WHERE +expires_at > @now ORDER BY created_at DESC, key DESC LIMIT @limit
       ) GROUP BY bucket`,
  };
}

/** Prepares the statements on `table`, which must already be checked as a plain SQL name. */
export function preparePagingStatements(
  database: { prepare(source: string): unknown },
  table: string,
): PagingStatements {
  const sql = pagingSql(table);
  // Each statement's parameters and rows are those PagingStatements declares for it.
  const prepare = (source: string) => database.prepare(source) as TypedStatement<never, never>;
  const pagesOf = (order: SessionListOrder): OrderStatements => {
    const sources = sql.pages[order];
    return {
      first: prepare(sources.first),
      after: prepare(sources.after),
      firstOfUser: prepare(sources.firstOfUser),
      afterOfUser: prepare(sources.afterOfUser),
    };
  };
  return {
    pages: Object.freeze({ created: pagesOf('created'), lastUsed: pagesOf('lastUsed') }),
    count: prepare(sql.count),
    countOfUser: prepare(sql.countOfUser),
    createdPerHour: prepare(sql.createdPerHour),
    expiringPerHour: prepare(sql.expiringPerHour),
    topUsers: prepare(sql.topUsers),
    sizes: prepare(sql.sizes),
  };
}
