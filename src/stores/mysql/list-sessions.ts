/**
 * `listSessions()` of the MySQL store: one `ORDER BY created_at DESC LIMIT`
 * statement, so the server keeps only `limit` rows while it sorts, never the
 * table.
 *
 * @module
 */

import type { ListSessionsOptions, SessionSummary, StoredData } from '../../core/store.js';
import { resolveListSessionsOptions } from '../list-sessions-options.js';
import type { Row, SqlRunner } from './runner.js';

/** Runs `operation` once the table is known to be there (the store's `withTable`). */
export type WithTable = <T>(operation: () => Promise<T>) => Promise<T>;

/** Lists the newest live sessions of `quotedTable` (a checked name in backticks). */
export function createSessionLister(
  runner: SqlRunner,
  quotedTable: string,
  withTable: WithTable,
  now: () => number,
): (options: ListSessionsOptions) => Promise<SessionSummary[]> {
  // `data` as text on both servers, as the store's other SELECTs read it (see statements.ts).
  const select = `SELECT \`key\`, CAST(data AS CHAR CHARACTER SET utf8mb4) AS data, created_at, expires_at, user_id FROM ${quotedTable}`;
  return async (options) => {
    const { limit, userId } = resolveListSessionsOptions('mysql', options);
    // LIMIT takes the checked integer as written: a bound number is sent as a
    // DOUBLE, which MySQL refuses there. (clearExpired's batches do the same.)
    const order = `ORDER BY created_at DESC, \`key\` DESC LIMIT ${limit}`;
    return withTable(async () => {
      const rows =
        userId === undefined
          ? await runner.rows(`${select} WHERE expires_at > ? ${order}`, [now()])
          : await runner.rows(`${select} WHERE user_id = ? AND expires_at > ? ${order}`, [
              userId,
              now(),
            ]);
      return rows.map((row) => ({
        key: String(row.key),
        userId: row.user_id === null || row.user_id === undefined ? null : String(row.user_id),
        createdAt: Number(row.created_at),
        expiresAt: Number(row.expires_at),
        data: parseData(row),
      }));
    });
  };
}

/** The data column as text (a Buffer when the pool returns binary strings); JSON.parse keeps "__proto__" as data. */
function parseData(row: Row): StoredData {
  const value = row.data;
  const text = value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : String(value);
  return JSON.parse(text) as StoredData;
}
