/**
 * The SQL of `pageSessions()`, `countSessions()` and `describeSessions()`
 * (issue 13 §2) on one table.
 *
 * A page is keyset pagination: the index of its order walked backwards from
 * the cursor, `LIMIT` rows long at any table size. The cursor condition is
 * written `value < ? OR (value = ? AND key < ?)`, not as a row value: MariaDB
 * does not turn a row-value comparison into an index range.
 *
 * @module
 */

import { SESSION_SIZE_BUCKETS, type SessionListOrder } from '../../core/store.js';

/** The page statements of one order; parameters in order, the limit written in. */
export interface OrderSql {
  /** now. */
  first(limit: number): string;
  /** now, value, value, key. */
  after(limit: number): string;
  /** userId, now. */
  firstOfUser(limit: number): string;
  /** userId, now, value, value, key. */
  afterOfUser(limit: number): string;
}

/** The statements of the operations methods. */
export interface PagingSql {
  readonly pages: Readonly<Record<SessionListOrder, OrderSql>>;
  /** now → sessions. */
  readonly count: string;
  /** userId, now → sessions. */
  readonly countOfUser: string;
  /** from, to, now → hour (ms / 3,600,000), sessions: live sessions created in [from, to). */
  readonly createdPerHour: string;
  /** now, to → hour, sessions: live sessions expiring before `to`. */
  readonly expiringPerHour: string;
  /** now → user_id, sessions, users (distinct users, on every row), most sessions first. */
  topUsers(limit: number): string;
  /** now → bucket, sessions: the size buckets of the newest `limit` live sessions. */
  sizes(limit: number): string;
}

/** The column each order sorts by. */
const ORDER_COLUMNS: Readonly<Record<SessionListOrder, string>> = Object.freeze({
  created: 'created_at',
  lastUsed: 'expires_at',
});

const COLUMNS =
  '`key`, CAST(data AS CHAR CHARACTER SET utf8mb4) AS data, created_at, expires_at, user_id';

/** The statements on `quotedTable` (a checked name in backticks). */
export function pagingSql(quotedTable: string): PagingSql {
  const t = quotedTable;
  const pagesOf = (order: SessionListOrder): OrderSql => {
    const column = ORDER_COLUMNS[order];
    const afterCursor = `(${column} < ? OR (${column} = ? AND \`key\` < ?))`;
    // LIMIT takes the checked integer as written, as the store's other statements do.
    const page = (conditions: string[], limit: number) =>
      `SELECT ${COLUMNS} FROM ${t} WHERE ${conditions.join(' AND ')} ORDER BY ${column} DESC, \`key\` DESC LIMIT ${Math.trunc(limit)}`;
    return {
      first: (limit) => page(['expires_at > ?'], limit),
      after: (limit) => page(['expires_at > ?', afterCursor], limit),
      firstOfUser: (limit) => page(['user_id = ?', 'expires_at > ?'], limit),
      afterOfUser: (limit) => page(['user_id = ?', 'expires_at > ?', afterCursor], limit),
    };
  };
  const bucket = `CASE ${SESSION_SIZE_BUCKETS.map(
    (upTo, index) => `WHEN size <= ${upTo} THEN ${index}`,
  ).join(' ')} ELSE ${SESSION_SIZE_BUCKETS.length} END`;
  return {
    pages: Object.freeze({ created: pagesOf('created'), lastUsed: pagesOf('lastUsed') }),
    count: `SELECT COUNT(*) AS sessions FROM ${t} WHERE expires_at > ?`,
    countOfUser: `SELECT COUNT(*) AS sessions FROM ${t} WHERE user_id = ? AND expires_at > ?`,
    createdPerHour: `SELECT created_at DIV 3600000 AS hour, COUNT(*) AS sessions FROM ${t}
      WHERE created_at >= ? AND created_at < ? AND expires_at > ? GROUP BY hour`,
    expiringPerHour: `SELECT expires_at DIV 3600000 AS hour, COUNT(*) AS sessions FROM ${t}
      WHERE expires_at > ? AND expires_at < ? GROUP BY hour`,
    topUsers: (limit) =>
      `SELECT user_id, COUNT(*) AS sessions, COUNT(*) OVER () AS users FROM ${t}
       WHERE user_id IS NOT NULL AND expires_at > ?
       GROUP BY user_id ORDER BY sessions DESC, user_id LIMIT ${Math.trunc(limit)}`,
    sizes: (limit) =>
      `SELECT ${bucket} AS bucket, COUNT(*) AS sessions FROM (
         SELECT LENGTH(CAST(data AS CHAR CHARACTER SET utf8mb4)) AS size FROM ${t}
         WHERE expires_at > ? ORDER BY created_at DESC, \`key\` DESC LIMIT ${Math.trunc(limit)}
       ) AS sample GROUP BY bucket`,
  };
}
