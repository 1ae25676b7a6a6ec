/**
 * The SQL of every statement the MySQL store runs on its table, written once
 * for both servers (see `docs/store-mysql.md` for where they differ).
 *
 * @module
 */

/**
 * `data` as text on both servers: MySQL sends a JSON column in its binary
 * form's rendering, MariaDB as LONGTEXT that mysql2 may parse itself (with
 * `supportBigNumbers`, into strings). The store parses the text with
 * `JSON.parse`, so `__proto__` stays data and numbers stay numbers.
 */
const DATA_TEXT = 'CAST(data AS CHAR CHARACTER SET utf8mb4) AS data';

/** The statements on one table; each lists its parameters in order. */
export interface SessionSql {
  /** key, now → data, created_at, expires_at, user_id of the unexpired row. */
  readonly selectLive: string;
  /** key, now → data of the unexpired row, locked until the transaction ends. */
  readonly selectLiveForUpdate: string;
  /** key, data, createdAt, expiresAt, userId. */
  readonly insert: string;
  /** data, createdAt, userId, expiresAt, key, now: replaces the row only if it has expired. */
  readonly replaceExpired: string;
  /** data, expiresAt, key: after `selectLiveForUpdate`. */
  readonly rewrite: string;
  /** data, expiresAt, userId, key: after `selectLiveForUpdate`. */
  readonly rewriteWithUser: string;
  /** expiresAt, key, now. */
  readonly touch: string;
  /** key. */
  readonly delete: string;
  /** key, now: removes the row only if it is unexpired (the first step of a rotation). */
  readonly deleteLive: string;
  /** now: removes at most `limit` expired rows. */
  deleteExpiredBatch(limit: number): string;
  /** userId, now → key, data, created_at, expires_at. */
  readonly selectUserSessions: string;
  /** userId, exceptKey (or NULL), now: removes the user's unexpired rows. */
  readonly deleteLiveUserSessions: string;
  /** userId, exceptKey (or NULL), now: removes the user's expired rows. */
  readonly deleteExpiredUserSessions: string;
  /** now → count, expired, bytes. */
  readonly stats: string;
  /** now → key, data, created_at, expires_at, user_id of the newest `limit` unexpired rows, newest first. */
  selectNewest(limit: number): string;
  /** userId, now → the same for one user. */
  selectNewestOfUser(limit: number): string;
}

/** The statements on `quotedTable` (a checked name in backticks). */
export function sessionSql(quotedTable: string): SessionSql {
  const t = quotedTable;
  return {
    selectLive: `SELECT ${DATA_TEXT}, created_at, expires_at, user_id FROM ${t} WHERE \`key\` = ? AND expires_at > ?`,
    selectLiveForUpdate: `SELECT ${DATA_TEXT} FROM ${t} WHERE \`key\` = ? AND expires_at > ? FOR UPDATE`,
    insert: `INSERT INTO ${t} (\`key\`, data, created_at, expires_at, user_id) VALUES (?, ?, ?, ?, ?)`,
    // The WHERE clause is evaluated before any assignment, so their order does not matter here.
    replaceExpired: `UPDATE ${t} SET data = ?, created_at = ?, user_id = ?, expires_at = ? WHERE \`key\` = ? AND expires_at <= ?`,
    rewrite: `UPDATE ${t} SET data = ?, expires_at = ? WHERE \`key\` = ?`,
    rewriteWithUser: `UPDATE ${t} SET data = ?, expires_at = ?, user_id = ? WHERE \`key\` = ?`,
    touch: `UPDATE ${t} SET expires_at = ? WHERE \`key\` = ? AND expires_at > ?`,
    delete: `DELETE FROM ${t} WHERE \`key\` = ?`,
    deleteLive: `DELETE FROM ${t} WHERE \`key\` = ? AND expires_at > ?`,
    deleteExpiredBatch: (limit) =>
      `DELETE FROM ${t} WHERE expires_at <= ? LIMIT ${Math.trunc(limit)}`,
    selectUserSessions: `SELECT \`key\`, ${DATA_TEXT}, created_at, expires_at FROM ${t} WHERE user_id = ? AND expires_at > ? ORDER BY created_at, \`key\``,
    // `<=>` is NULL-safe: with no exceptKey (NULL) no row is spared.
    deleteLiveUserSessions: `DELETE FROM ${t} WHERE user_id = ? AND NOT (\`key\` <=> ?) AND expires_at > ?`,
    deleteExpiredUserSessions: `DELETE FROM ${t} WHERE user_id = ? AND NOT (\`key\` <=> ?) AND expires_at <= ?`,
    stats: `SELECT COUNT(*) AS count, COALESCE(SUM(expires_at <= ?), 0) AS expired, COALESCE(SUM(LENGTH(data)), 0) AS bytes FROM ${t}`,
    // LIMIT takes the checked integer as written, as in deleteExpiredBatch.
    selectNewest: (limit) =>
      `SELECT \`key\`, ${DATA_TEXT}, created_at, expires_at, user_id FROM ${t} WHERE expires_at > ? ORDER BY created_at DESC, \`key\` DESC LIMIT ${Math.trunc(limit)}`,
    selectNewestOfUser: (limit) =>
      `SELECT \`key\`, ${DATA_TEXT}, created_at, expires_at, user_id FROM ${t} WHERE user_id = ? AND expires_at > ? ORDER BY created_at DESC, \`key\` DESC LIMIT ${Math.trunc(limit)}`,
  };
}
