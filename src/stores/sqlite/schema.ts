/**
 * The SQLite store's table, indexes and connection settings.
 *
 * @module
 */

import type { SqliteConnection } from './driver.js';

/**
 * Settings for a database the store opened itself: WAL lets readers run
 * beside the one writer, NORMAL sync is durable enough under WAL, and the
 * busy timeout makes a second process wait for the write lock instead of failing.
 * The page cache (16 MiB by default) keeps the B-tree's inner pages at hand,
 * so a random read at a million sessions costs about what it does at ten
 * thousand (p99 1.37×, `npm run bench:scale`); the leaves come from the OS
 * file cache, which is not this process's memory. No memory map by default:
 * the former 64 MiB cache and 256 MiB map took a server's RSS from 61 to
 * 392 MB over a million sessions, to save a few microseconds per read
 * (issue 10 §3, `npm run bench:sqlite-memory`).
 */
export function applyPragmas(
  database: SqliteConnection,
  sizes: { readonly cacheSize: number; readonly mmapSize: number },
): void {
  // A negative cache_size is in KiB.
  const cacheKib = Math.ceil(sizes.cacheSize / 1024);
  database.exec(
    'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; ' +
      `PRAGMA cache_size = -${cacheKib}; PRAGMA mmap_size = ${sizes.mmapSize};`,
  );
}

/** The names of the indexes {@link createSchema} makes on `table`. */
export function indexNames(table: string): {
  createdKey: string;
  expiresKey: string;
  userCreatedKey: string;
} {
  return {
    createdKey: `${table}_created_at_key`,
    expiresKey: `${table}_expires_at_key`,
    userCreatedKey: `${table}_user_id_created_at_key`,
  };
}

/**
 * Creates the sessions table and its indexes when missing. `table` must
 * already be checked as a plain SQL name.
 *
 * Three indexes, each serving reads of a kind (issue 13):
 * - `(created_at, key, expires_at)`: pages by creation walk it backwards from
 *   the cursor, `(value, key)` so that ties need no sort;
 * - `(expires_at, key)`: pages by last use, and `clearExpired`, `stats` and
 *   counts (a range of expiries);
 * - `(user_id, created_at, key, expires_at)`, partial (anonymous sessions
 *   cost no entry): one user's sessions, in creation order.
 * The expiry at the end of the first and last lets the overview count live
 * sessions per hour and per user without reading the table (at a million
 * sessions, 0.2 s instead of 1.5). Tables made by versions before issue 13
 * also have `<table>_expires_at (expires_at)` and `<table>_user_id (user_id)`,
 * which these make redundant (every index costs each write): they are left
 * for the operator to drop; `migrate()` and the next start with `createTable`
 * add the three.
 */
export function createSchema(database: SqliteConnection, table: string): void {
  const index = indexNames(table);
  database.exec(`
    CREATE TABLE IF NOT EXISTS "${table}" (
      key TEXT PRIMARY KEY,
      data TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      user_id TEXT NULL
    );
    CREATE INDEX IF NOT EXISTS "${index.createdKey}" ON "${table}" (created_at, key, expires_at);
    CREATE INDEX IF NOT EXISTS "${index.expiresKey}" ON "${table}" (expires_at, key);
    CREATE INDEX IF NOT EXISTS "${index.userCreatedKey}" ON "${table}" (user_id, created_at, key, expires_at)
      WHERE user_id IS NOT NULL;
  `);
}
