/**
 * Every SQL statement the PostgreSQL store runs on its table, each one round
 * trip, and named so node-postgres prepares it once per connection.
 *
 * Expiry is decided by the application's clock (`$now` parameters), the one
 * that computed `expiresAt`, not by the server's `now()`.
 *
 * @module
 */

import type { QueryConfig } from 'pg';
import type { TableName } from './table-name.js';

/** node-postgres reads a per-query `query_timeout` (client side), which its types leave out. */
export type TimedQueryConfig = QueryConfig & { query_timeout: number };

/** One statement: its SQL and, when prepared statements are on, its name. */
export interface Statement {
  readonly name: string | undefined;
  readonly text: string;
}

/** A stored row as the SELECTs return it; `data` is the jsonb as JSON text. */
export interface SessionRow {
  key: string;
  data: string;
  /** bigint: a string with node-postgres' default parsers, a number or bigint with others. */
  created_at: string | number | bigint;
  expires_at: string | number | bigint;
  user_id: string | null;
}

/** The statements of one store. */
export interface SessionStatements {
  /** `$1` key, `$2` now. */
  readonly selectLive: Statement;
  /**
   * Inserts a row, or replaces one that has expired; `rowCount` 0 when a live
   * row has the key. `$1` key, `$2` data, `$3` createdAt, `$4` expiresAt,
   * `$5` userId, `$6` now.
   */
  readonly insert: Statement;
  /**
   * The delta in one statement, inside the server: removed keys out, set keys
   * merged in, expiry moved, owner changed when `$5`. `$1` key, `$2` removed
   * keys, `$3` set (jsonb), `$4` expiresAt, `$5` change owner, `$6` userId, `$7` now.
   */
  readonly update: Statement;
  /**
   * Moves a live row to a new key in one statement: the old row is deleted
   * only if live, and the new one inserted only if it was; `rowCount` 1 when
   * rotated, 0 when the old row was missing or expired (nothing written).
   * `$1` old key, `$2` new key, `$3` data, `$4` createdAt, `$5` expiresAt,
   * `$6` userId, `$7` now.
   */
  readonly rotate: Statement;
  /** `$1` key, `$2` expiresAt, `$3` now. */
  readonly touch: Statement;
  /** `$1` key. */
  readonly delete: Statement;
  /** Deletes at most `$2` rows expired at `$1`. */
  readonly deleteExpiredBatch: Statement;
  /** `$1` userId, `$2` now. */
  readonly selectUserSessions: Statement;
  /** Deletes user `$1`'s rows but key `$2`; answers how many were live at `$3`. */
  readonly deleteUserSessions: Statement;
  /** Counts at `$1`. */
  readonly selectStats: Statement;
  /** The newest `$2` rows unexpired at `$1`, newest first (ties: greater key first). */
  readonly selectNewest: Statement;
  /** The same for user `$3` (the partial index on user_id finds the rows). */
  readonly selectNewestOfUser: Statement;
}

/** The statements on `table`; named `tessera:<table>:<what>` unless `prepared` is off. */
export function createStatements(table: TableName, prepared: boolean): SessionStatements {
  const name = table.sql;
  const statement = (what: string, text: string): Statement =>
    Object.freeze({
      name: prepared ? `tessera:${table.name}:${what}` : undefined,
      text: text.replace(/\s+/g, ' ').trim(),
    });

  return Object.freeze({
    selectLive: statement(
      'select-live',
      `SELECT data::text AS data, created_at, expires_at, user_id FROM ${name}
       WHERE key = $1 AND expires_at > $2`,
    ),
    insert: statement(
      'insert',
      `INSERT INTO ${name} AS stored (key, data, created_at, expires_at, user_id)
       VALUES ($1, $2::jsonb, $3, $4, $5)
       ON CONFLICT (key) DO UPDATE SET
         data = excluded.data, created_at = excluded.created_at,
         expires_at = excluded.expires_at, user_id = excluded.user_id
       WHERE stored.expires_at <= $6`,
    ),
    // Row-level atomic: a concurrent update of the same row waits for the row
    // lock and is then applied to the new version (READ COMMITTED re-check),
    // so no key written in parallel is lost. `WHERE … expires_at > now`: a
    // missing or expired record is never written again (connect-redis #328).
    update: statement(
      'update',
      `UPDATE ${name} SET
         data = (data - $2::text[]) || $3::jsonb,
         expires_at = $4,
         user_id = CASE WHEN $5::boolean THEN $6::text ELSE user_id END
       WHERE key = $1 AND expires_at > $7`,
    ),
    // Issue 10: one statement, so one transaction. The DELETE locks the old
    // row; a concurrent logout or rotation of it waits, then re-checks the row
    // and finds it gone (READ COMMITTED), so exactly one of them moves it. The
    // INSERT has no ON CONFLICT: a row under the new key (never expected: the
    // key of a fresh id) fails the statement, and the DELETE is undone with it.
    rotate: statement(
      'rotate',
      `WITH moved AS (
         DELETE FROM ${name} WHERE key = $1 AND expires_at > $7 RETURNING key
       )
       INSERT INTO ${name} (key, data, created_at, expires_at, user_id)
       SELECT $2, $3::jsonb, $4, $5, $6 FROM moved`,
    ),
    touch: statement(
      'touch',
      `UPDATE ${name} SET expires_at = $2 WHERE key = $1 AND expires_at > $3`,
    ),
    delete: statement('delete', `DELETE FROM ${name} WHERE key = $1`),
    // SKIP LOCKED: two cleaners (cron on two hosts) share the work instead of
    // waiting on each other. The outer `expires_at <= $1` is re-checked on the
    // newest row version, so a session touched meanwhile is kept.
    deleteExpiredBatch: statement(
      'delete-expired',
      `DELETE FROM ${name} WHERE key IN (
         SELECT key FROM ${name} WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED
       ) AND expires_at <= $1`,
    ),
    selectUserSessions: statement(
      'select-user',
      `SELECT key, data::text AS data, created_at, expires_at FROM ${name}
       WHERE user_id = $1 AND expires_at > $2 ORDER BY created_at, key`,
    ),
    // Expired sessions of the user go too, but only live ones are counted as destroyed.
    deleteUserSessions: statement(
      'delete-user',
      `WITH removed AS (
         DELETE FROM ${name} WHERE user_id = $1 AND key IS DISTINCT FROM $2::text
         RETURNING expires_at
       )
       SELECT count(*) FILTER (WHERE expires_at > $3::bigint) AS live FROM removed`,
    ),
    selectStats: statement(
      'stats',
      `SELECT count(*) AS count,
         count(*) FILTER (WHERE expires_at <= $1::bigint) AS expired,
         coalesce(sum(pg_column_size(data)), 0) AS bytes
       FROM ${name}`,
    ),
    selectNewest: statement(
      'list',
      `SELECT key, data::text AS data, created_at, expires_at, user_id FROM ${name}
       WHERE expires_at > $1 ORDER BY created_at DESC, key DESC LIMIT $2`,
    ),
    selectNewestOfUser: statement(
      'list-user',
      `SELECT key, data::text AS data, created_at, expires_at, user_id FROM ${name}
       WHERE expires_at > $1 AND user_id = $3 ORDER BY created_at DESC, key DESC LIMIT $2`,
    ),
  });
}
