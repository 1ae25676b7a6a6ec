/**
 * `listSessions()` of the SQLite store: one `ORDER BY created_at DESC LIMIT`
 * statement, so SQLite keeps only `limit` rows while it sorts, never the table.
 *
 * @module
 */

import type { ListSessionsOptions, SessionSummary, StoredData } from '../../core/store.js';
import { resolveListSessionsOptions } from '../list-sessions-options.js';
import type { SqliteConnection } from './driver.js';
import type { SessionRow, TypedStatement } from './statements.js';

/** Lists the newest live sessions, synchronously. */
export type SqliteSessionLister = (options: ListSessionsOptions) => SessionSummary[];

/** Prepares the listing statements on `table` (a checked name, with the table present). */
export function createSessionLister(
  database: SqliteConnection,
  table: string,
  now: () => number,
): SqliteSessionLister {
  const columns = `SELECT key, data, created_at, expires_at, user_id FROM "${table}"`;
  const order = 'ORDER BY created_at DESC, key DESC LIMIT @limit';
  const every = database.prepare(`${columns} WHERE expires_at > @now ${order}`) as TypedStatement<
    { now: number; limit: number },
    SessionRow
  >;
  // The partial index on user_id finds one user's rows.
  const ofUser = database.prepare(
    `${columns} WHERE user_id = @userId AND expires_at > @now ${order}`,
  ) as TypedStatement<{ userId: string; now: number; limit: number }, SessionRow>;

  return (options) => {
    const { limit, userId } = resolveListSessionsOptions('sqlite', options);
    const time = now();
    const rows =
      userId === undefined
        ? every.all({ now: time, limit })
        : ofUser.all({ userId, now: time, limit });
    return rows.map((row) => ({
      key: row.key,
      userId: row.user_id,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      // JSON.parse keeps "__proto__" as plain data.
      data: JSON.parse(row.data) as StoredData,
    }));
  };
}
