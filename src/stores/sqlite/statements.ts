/**
 * Every SQL statement the SQLite store runs, prepared once per store.
 *
 * @module
 */

import type { SqliteConnection } from './driver.js';

/** A prepared statement taking one object of named parameters. */
export interface TypedStatement<Parameters, Row = unknown> {
  run(parameters: Parameters): { changes: number | bigint };
  get(parameters: Parameters): Row | undefined;
  all(parameters: Parameters): Row[];
}

/** A stored row as SELECT returns it. */
export interface SessionRow {
  key: string;
  data: string;
  created_at: number;
  expires_at: number;
  user_id: string | null;
}

/** The parameters of the row-writing statements. */
interface RowParameters {
  key: string;
  data: string;
  createdAt: number;
  expiresAt: number;
  userId: string | null;
  now: number;
}

/** The prepared statements of one store. */
export interface SessionStatements {
  /** The unexpired row under a key. */
  readonly selectLive: TypedStatement<{ key: string; now: number }, SessionRow>;
  /** Inserts a row, or replaces one that has expired; `changes` is 0 when a live row exists. */
  readonly insert: TypedStatement<RowParameters>;
  /** Rewrites data and expiry, and the owner when `setUser` is 1. */
  readonly rewrite: TypedStatement<Omit<RowParameters, 'createdAt'> & { setUser: 0 | 1 }>;
  /** Moves the expiry of an unexpired row. */
  readonly touch: TypedStatement<{ key: string; expiresAt: number; now: number }>;
  readonly delete: TypedStatement<{ key: string }>;
  /** Deletes the row only if it is unexpired; `changes` 0 when missing or expired. */
  readonly deleteLive: TypedStatement<{ key: string; now: number }>;
  /** Deletes at most `limit` expired rows. */
  readonly deleteExpiredBatch: TypedStatement<{ now: number; limit: number }>;
  readonly selectUserSessions: TypedStatement<
    { userId: string; now: number },
    Omit<SessionRow, 'user_id'>
  >;
  /** Deletes a user's rows but one; each returned row tells whether it was live. */
  readonly deleteUserSessions: TypedStatement<
    { userId: string; exceptKey: string | null; now: number },
    { live: 0 | 1 }
  >;
  readonly selectStats: TypedStatement<
    { now: number },
    { count: number; expired: number; bytes: number }
  >;
  /** The newest `limit` unexpired rows, newest first (ties: greater key first). */
  readonly selectNewest: TypedStatement<{ now: number; limit: number }, SessionRow>;
  /** The same for one user (the partial index on user_id finds the rows). */
  readonly selectNewestOfUser: TypedStatement<
    { userId: string; now: number; limit: number },
    SessionRow
  >;
}

/** Prepares the statements on `table`, which must already be checked as a plain SQL name. */
export function prepareStatements(database: SqliteConnection, table: string): SessionStatements {
  const name = `"${table}"`;
  const prepare = <Parameters extends object, Result = unknown>(source: string) =>
    database.prepare(source) as TypedStatement<Parameters, Result>;

  return {
    selectLive: prepare<{ key: string; now: number }, SessionRow>(
      `SELECT key, data, created_at, expires_at, user_id FROM ${name} WHERE key = @key AND expires_at > @now`,
    ),
    insert: prepare<RowParameters>(
      `INSERT INTO ${name} (key, data, created_at, expires_at, user_id)
       VALUES (@key, @data, @createdAt, @expiresAt, @userId)
       ON CONFLICT (key) DO UPDATE SET
         data = excluded.data, created_at = excluded.created_at,
         expires_at = excluded.expires_at, user_id = excluded.user_id
       WHERE ${name}.expires_at <= @now`,
    ),
    rewrite: prepare<Omit<RowParameters, 'createdAt'> & { setUser: 0 | 1 }>(
      `UPDATE ${name} SET data = @data, expires_at = @expiresAt,
         user_id = CASE WHEN @setUser THEN @userId ELSE user_id END
       WHERE key = @key AND expires_at > @now`,
    ),
    touch: prepare<{ key: string; expiresAt: number; now: number }>(
      `UPDATE ${name} SET expires_at = @expiresAt WHERE key = @key AND expires_at > @now`,
    ),
    delete: prepare<{ key: string }>(`DELETE FROM ${name} WHERE key = @key`),
    deleteLive: prepare<{ key: string; now: number }>(
      `DELETE FROM ${name} WHERE key = @key AND expires_at > @now`,
    ),
    deleteExpiredBatch: prepare<{ now: number; limit: number }>(
      `DELETE FROM ${name} WHERE rowid IN
         (SELECT rowid FROM ${name} WHERE expires_at <= @now LIMIT @limit)`,
    ),
    selectUserSessions: prepare<{ userId: string; now: number }, Omit<SessionRow, 'user_id'>>(
      `SELECT key, data, created_at, expires_at FROM ${name}
       WHERE user_id = @userId AND expires_at > @now ORDER BY created_at, key`,
    ),
    deleteUserSessions: prepare<
      { userId: string; exceptKey: string | null; now: number },
      { live: 0 | 1 }
    >(
      `DELETE FROM ${name} WHERE user_id = @userId AND key IS NOT @exceptKey
       RETURNING expires_at > @now AS live`,
    ),
    selectStats: prepare<{ now: number }, { count: number; expired: number; bytes: number }>(
      `SELECT COUNT(*) AS count,
         COALESCE(SUM(expires_at <= @now), 0) AS expired,
         COALESCE(SUM(length(CAST(data AS BLOB))), 0) AS bytes
       FROM ${name}`,
    ),
    selectNewest: prepare<{ now: number; limit: number }, SessionRow>(
      `SELECT key, data, created_at, expires_at, user_id FROM ${name}
       WHERE expires_at > @now ORDER BY created_at DESC, key DESC LIMIT @limit`,
    ),
    selectNewestOfUser: prepare<{ userId: string; now: number; limit: number }, SessionRow>(
      `SELECT key, data, created_at, expires_at, user_id FROM ${name}
       WHERE user_id = @userId AND expires_at > @now ORDER BY created_at DESC, key DESC LIMIT @limit`,
    ),
  };
}
