/**
 * The SQL of `pageSessions()`, `countSessions()` and `describeSessions()`
 * (issue 13 §2) on one table.
 *
 * A page is keyset pagination: the index of its order walked backwards from
 * the cursor, `LIMIT` rows long at any table size. The cursor condition is
 * written `value < ? OR (value = ? AND key < ?)`, not as a row value: MariaDB
 * does not turn a row-value comparison into an index range.
 *
 * The overview's statements carry their values written in (checked integers:
 * times and limits), and the store sends them through the text protocol, not
 * prepared: on MariaDB 10.11 a prepared `GROUP BY` run again on a connection
 * after the size sample had run there took 9 to 15 s instead of 0.5 s at
 * 1,000,000 sessions (`npm run bench:scale`: the overview timed out), which
 * the same statement as text never does. Written-in times also make each
 * overview's text new, so preparing them would only fill mysql2's per-connection
 * statement cache and the server's `max_prepared_stmt_count`.
 *
 * @module
 */

import { SESSION_SIZE_BUCKETS, type SessionListOrder } from '../../core/store.js';
import type { OverviewWindows } from '../session-overview.js';

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

/** The statements of one overview, values written in, to run as text. */
export interface OverviewSql {
  /** → sessions: the live sessions. */
  readonly count: string;
  /** → hour (ms / 3,600,000), sessions: live sessions created in the created window. */
  readonly createdPerHour: string;
  /** → hour, sessions: live sessions expiring before the end of the expiring window. */
  readonly expiringPerHour: string;
  /** → user_id, sessions, users (distinct users, on every row), most sessions first. */
  readonly topUsers: string;
  /** → bucket, sessions: the size buckets of the newest live sessions. */
  readonly sizes: string;
}

/** What one overview asks for. */
export interface OverviewRequest {
  /** Now, in ms. */
  readonly at: number;
  readonly windows: OverviewWindows;
  /** How many top users. */
  readonly topUsers: number;
  /** How many of the newest sessions the size histogram measures. */
  readonly sizeSample: number;
}

/** The statements of the operations methods. */
export interface PagingSql {
  readonly pages: Readonly<Record<SessionListOrder, OrderSql>>;
  /** now → sessions. */
  readonly count: string;
  /** userId, now → sessions. */
  readonly countOfUser: string;
  /** The overview's statements for `request`. */
  overview(request: OverviewRequest): OverviewSql;
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
    overview({ at, windows, topUsers, sizeSample }) {
      const now = writeInteger(at);
      return {
        count: `SELECT COUNT(*) AS sessions FROM ${t} WHERE expires_at > ${now}`,
        createdPerHour: `SELECT created_at DIV 3600000 AS hour, COUNT(*) AS sessions FROM ${t}
          WHERE created_at >= ${writeInteger(windows.createdFrom)} AND created_at < ${writeInteger(windows.createdTo)}
          AND expires_at > ${now} GROUP BY hour`,
        expiringPerHour: `SELECT expires_at DIV 3600000 AS hour, COUNT(*) AS sessions FROM ${t}
          WHERE expires_at > ${now} AND expires_at < ${writeInteger(windows.expiringTo)} GROUP BY hour`,
        topUsers: `SELECT user_id, COUNT(*) AS sessions, COUNT(*) OVER () AS users FROM ${t}
          WHERE user_id IS NOT NULL AND expires_at > ${now}
          GROUP BY user_id ORDER BY sessions DESC, user_id LIMIT ${writeInteger(topUsers)}`,
        sizes: `SELECT ${bucket} AS bucket, COUNT(*) AS sessions FROM (
          SELECT LENGTH(CAST(data AS CHAR CHARACTER SET utf8mb4)) AS size FROM ${t}
          WHERE expires_at > ${now} ORDER BY created_at DESC, \`key\` DESC LIMIT ${writeInteger(sizeSample)}
        ) AS sample GROUP BY bucket`,
      };
    },
  };
}

/** An integer as SQL text; anything else is a bug of the caller, refused rather than written in. */
function writeInteger(value: number): string {
  if (!Number.isSafeInteger(value)) throw new TypeError(`expected an integer, got ${value}`);
  return String(value);
}
