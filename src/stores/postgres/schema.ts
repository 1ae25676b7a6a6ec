/**
 * The sessions table and its indexes: created (idempotently, and safely when
 * several processes start at once) and checked.
 *
 * Column types, and why:
 * - `key text COLLATE "C"`: the digest in hex; the "C" collation compares
 *   bytes, cheaper than a language collation, and hex needs no other.
 * - `data jsonb`: deltas are applied inside the server (`-` and `||`), so an
 *   update never reads the record into the application.
 * - `created_at`, `expires_at bigint`: milliseconds since the epoch, the
 *   unit of the store contract, compared with the application's clock (the
 *   one that computed them), with no conversion or time zone on the hot path.
 *   `to_timestamp(expires_at / 1000.0)` shows them as dates.
 * - `user_id text COLLATE "C" NULL`: the owner, for per-user listing.
 *
 * @module
 */

import type { Pool, PoolClient } from 'pg';
import type { StoreMigrationResult } from '../../core/store.js';
import type { TimedQueryConfig } from './statements.js';
import { qualifiedIndexName, type TableName } from './table-name.js';

/** What `migrate()` created: `table "…"`, `index "…"`; empty when all was there. */
export interface MigrationResult extends StoreMigrationResult {
  /** The table's name, as configured. */
  readonly table: string;
  /** The objects this run created, e.g. `['table "tessera_sessions"', 'index "tessera_sessions_expires_at_idx"']`. */
  readonly created: readonly string[];
}

/** The DDL of the table and its indexes, each `IF NOT EXISTS`. */
export function schemaStatements(table: TableName): { what: string; check: string; sql: string }[] {
  return [
    {
      what: `table "${table.name}"`,
      check: table.sql,
      sql: `CREATE TABLE IF NOT EXISTS ${table.sql} (
        key text COLLATE "C" PRIMARY KEY,
        data jsonb NOT NULL,
        created_at bigint NOT NULL,
        expires_at bigint NOT NULL,
        user_id text COLLATE "C" NULL
      )`,
    },
    {
      // clearExpired deletes by ranges of this index, batch after batch.
      what: `index "${table.expiresIndex}"`,
      check: qualifiedIndexName(table, table.expiresIndex),
      sql: `CREATE INDEX IF NOT EXISTS "${table.expiresIndex}" ON ${table.sql} (expires_at)`,
    },
    {
      // Partial: anonymous sessions, usually most of them, cost no index entry.
      what: `index "${table.userIndex}"`,
      check: qualifiedIndexName(table, table.userIndex),
      sql: `CREATE INDEX IF NOT EXISTS "${table.userIndex}" ON ${table.sql} (user_id) WHERE user_id IS NOT NULL`,
    },
    // Issue 13: pageSessions() walks one of these backwards from the cursor
    // (keyset pagination, `(value, key) < ($v, $k)`), so a page costs its
    // `limit` rows at any table size; the expiry last (not INCLUDE: PostgreSQL
    // 10) lets the overview's counts skip expired rows from the index alone.
    {
      what: `index "${table.createdIndex}"`,
      check: qualifiedIndexName(table, table.createdIndex),
      sql: `CREATE INDEX IF NOT EXISTS "${table.createdIndex}" ON ${table.sql} (created_at, key, expires_at)`,
    },
    {
      what: `index "${table.lastUsedIndex}"`,
      check: qualifiedIndexName(table, table.lastUsedIndex),
      sql: `CREATE INDEX IF NOT EXISTS "${table.lastUsedIndex}" ON ${table.sql} (expires_at, key)`,
    },
    {
      what: `index "${table.userPageIndex}"`,
      check: qualifiedIndexName(table, table.userPageIndex),
      sql: `CREATE INDEX IF NOT EXISTS "${table.userPageIndex}" ON ${table.sql} (user_id, created_at, key, expires_at) WHERE user_id IS NOT NULL`,
    },
  ];
}

/**
 * Creates what is missing of the table and its indexes, in one transaction
 * holding an advisory lock: two processes starting together would otherwise
 * race inside `CREATE TABLE IF NOT EXISTS` and one would fail on a duplicate
 * catalog entry (a known PostgreSQL behaviour; `IF NOT EXISTS` is not atomic).
 */
export async function migrateSchema(pool: Pool, table: TableName): Promise<MigrationResult> {
  const client = await pool.connect();
  let failure: unknown;
  try {
    await client.query('BEGIN');
    // DDL on a large existing table (adding a missing index) may take longer
    // than the store's statement timeout.
    await client.query('SET LOCAL statement_timeout = 0');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`tessera:${table.name}`]);
    const created: string[] = [];
    for (const step of schemaStatements(table)) {
      if (!(await exists(client, step.check))) {
        await client.query(step.sql);
        created.push(step.what);
      }
    }
    await client.query('COMMIT');
    return { table: table.name, created };
  } catch (error) {
    failure = error;
    await client.query('ROLLBACK').catch(() => {
      // The connection is gone; it is discarded below, and the original error is the one to report.
    });
    throw error;
  } finally {
    // A client that failed is discarded rather than reused.
    client.release(failure instanceof Error ? failure : undefined);
  }
}

/**
 * Fails (with the server's error) unless the table exists with every column
 * the store uses: `42P01` when it is missing, `42703` when it is some other table.
 */
export async function checkSchema(
  pool: Pool,
  table: TableName,
  queryTimeoutMillis: number,
): Promise<void> {
  const query: TimedQueryConfig = {
    text: `SELECT key, data, created_at, expires_at, user_id FROM ${table.sql} LIMIT 0`,
    query_timeout: queryTimeoutMillis,
  };
  await pool.query(query);
}

async function exists(client: PoolClient, name: string): Promise<boolean> {
  const result = await client.query<{ found: boolean }>(
    'SELECT to_regclass($1) IS NOT NULL AS found',
    [name],
  );
  return result.rows[0]?.found === true;
}
