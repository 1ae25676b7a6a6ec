/**
 * `listSessions()` of the SQLite store: one `ORDER BY created_at DESC LIMIT`
 * statement (see `statements.ts`), so SQLite keeps only `limit` rows while it
 * sorts, never the table.
 *
 * @module
 */

import type { ListSessionsOptions, SessionSummary, StoredData } from '../../core/store.js';
import { resolveListSessionsOptions } from '../list-sessions-options.js';
import type { SessionStatements } from './statements.js';

/** Lists the newest live sessions, synchronously. */
export type SqliteSessionLister = (options: ListSessionsOptions) => SessionSummary[];

/** Lists through the store's prepared listing statements. */
export function createSessionLister(
  statements: Pick<SessionStatements, 'selectNewest' | 'selectNewestOfUser'>,
  now: () => number,
): SqliteSessionLister {
  return (options) => {
    const { limit, userId } = resolveListSessionsOptions('sqlite', options);
    const time = now();
    const rows =
      userId === undefined
        ? statements.selectNewest.all({ now: time, limit })
        : statements.selectNewestOfUser.all({ userId, now: time, limit });
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
