/**
 * `pageSessions()` and `countSessions()` of the SQLite store (issue 13 §2):
 * one statement each, on an index (see `paging-statements.ts`).
 *
 * @module
 */

import type {
  CountSessionsOptions,
  PageSessionsOptions,
  SessionPage,
  StoredData,
} from '../../core/store.js';
import {
  choosePageStatement,
  nextCursorOf,
  resolveCountSessionsOptions,
  resolvePageSessionsOptions,
} from '../page-sessions-options.js';
import type { PageParameters, PagingStatements } from './paging-statements.js';

/** Pages through the live sessions, synchronously. */
export type SqliteSessionPager = (options: PageSessionsOptions) => SessionPage;

/** Counts the live sessions, synchronously. */
export type SqliteSessionCounter = (options?: CountSessionsOptions) => number;

/** A pager on the store's prepared paging statements. */
export function createSessionPager(
  statements: PagingStatements,
  now: () => number,
): SqliteSessionPager {
  return (options) => {
    const resolved = resolvePageSessionsOptions('sqlite', options);
    const { limit, after, order, userId } = resolved;
    const parameters: PageParameters = { now: now(), limit };
    if (userId !== undefined) parameters.userId = userId;
    if (after !== undefined) Object.assign(parameters, { value: after.value, key: after.key });
    const statement = choosePageStatement(statements.pages[order], resolved);
    const sessions = statement.all(parameters).map((row) => ({
      key: row.key,
      userId: row.user_id,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      // JSON.parse keeps "__proto__" as plain data.
      data: JSON.parse(row.data) as StoredData,
    }));
    return { sessions, nextCursor: nextCursorOf(sessions, limit, order) };
  };
}

/** A counter on the store's prepared counting statements. */
export function createSessionCounter(
  statements: PagingStatements,
  now: () => number,
): SqliteSessionCounter {
  return (options) => {
    const { userId } = resolveCountSessionsOptions('sqlite', options);
    const row =
      userId === undefined
        ? statements.count.get({ now: now() })
        : statements.countOfUser.get({ now: now(), userId });
    return row?.sessions ?? 0;
  };
}
