/**
 * Options of the SQLite store, their defaults and their checks.
 *
 * @module
 */

import { checkOptionKeys, optionKeys } from '../../core/check-option-keys.js';
import type { SqliteDriverName } from './driver.js';

/** An open database of either driver: a better-sqlite3 `Database` or a `node:sqlite` `DatabaseSync`. */
export type SqliteDatabase = object;

/** Where the store keeps its database unless told otherwise: relative to `process.cwd()`. */
export const DEFAULT_SQLITE_PATH = '.tessera/sessions.db';

/** How {@link createSqliteStore} is configured. Every option may be left out. */
export interface SqliteStoreOptions {
  /**
   * The database file. A relative path is resolved against `process.cwd()`
   * and missing directories are created; `':memory:'` keeps the database in
   * this process only. Not allowed together with `database`.
   *
   * What the store creates is private to the user running it: directories
   * mode `0o700`, the database file (and so its `-wal` and `-shm` files, which
   * SQLite gives the file's mode) `0o600`. A directory or a file that already
   * exists keeps the mode it has.
   *
   * @defaultValue {@link DEFAULT_SQLITE_PATH} (`'.tessera/sessions.db'`)
   */
  readonly path?: string | undefined;
  /**
   * An already open database (better-sqlite3 `Database` or `node:sqlite`
   * `DatabaseSync`) to keep sessions in, instead of
   * opening `path`. The store sets no pragmas on it and never closes it: it
   * stays yours.
   *
   * @defaultValue none: the store opens `path` itself
   */
  readonly database?: SqliteDatabase | undefined;
  /**
   * The table holding sessions, created if missing. Letters, digits and
   * underscores, not starting with a digit.
   *
   * @defaultValue `'tessera_sessions'`
   */
  readonly table?: string | undefined;
  /**
   * Create what is missing when the store opens: the directory and the
   * database file of `path`, the table and its indexes. With `false` the
   * store creates nothing, and a missing file or table is an error that says
   * how to create it (start the application once with the default, or run
   * `npx tessera-session migrate --store sqlite:<path>`); what
   * `tessera-session` passes for every command but `migrate`.
   *
   * @defaultValue `true`
   */
  readonly createTable?: boolean | undefined;
  /**
   * The driver that opens `path`. `'auto'` picks Node's built-in `node:sqlite`
   * where Node loads it silently (24.15 and later), else better-sqlite3 when
   * the app installed it (`npm install better-sqlite3`), else `node:sqlite`
   * where Node has it (22.13 and later; Node then prints one
   * `ExperimentalWarning`). On Node 20 without better-sqlite3 the store throws
   * at creation, saying what to install. A named driver that is missing throws
   * the same way.
   *
   * @defaultValue `'auto'`
   */
  readonly driver?: SqliteDriverName | undefined;
  /**
   * The clock, in milliseconds since the epoch, used to decide expiry.
   * Replace it in tests to move time without waiting.
   *
   * @defaultValue `() => Date.now()`
   */
  readonly now?: (() => number) | undefined;
  /**
   * Bytes of SQLite's page cache (`PRAGMA cache_size`), rounded up to KiB.
   * The cache fills as the database is used and stays allocated: it is
   * anonymous memory of this process (RSS). 16 MiB holds the inner pages of
   * the table and its indexes at a million sessions, which is what keeps a
   * random read as fast as at ten thousand; the leaves come from the
   * operating system's file cache, which is not this process's memory.
   * Only for a database the store opens (`path`), not with `database`.
   *
   * @defaultValue {@link DEFAULT_SQLITE_CACHE_SIZE} (16 MiB)
   */
  readonly cacheSize?: number | undefined;
  /**
   * Bytes of the database file SQLite maps into memory (`PRAGMA mmap_size`);
   * `0` reads it with system calls instead. Mapped pages that were read count
   * in this process's RSS (as file-backed memory, which the system can
   * reclaim) up to this size, so a large value makes the RSS of a busy
   * server grow with the file. Only for a database the store opens (`path`),
   * not with `database`.
   *
   * @defaultValue `0` (no memory map)
   */
  readonly mmapSize?: number | undefined;
}

/**
 * The default page cache of a database the store opens, in bytes: 16 MiB
 * (issue 10 §3 measured 64 MiB plus a 256 MiB memory map at 392 MB of RSS
 * after a million sessions; see `npm run bench:sqlite-memory`).
 */
export const DEFAULT_SQLITE_CACHE_SIZE = 16 * 1024 * 1024;

/** Defaults of {@link SqliteStoreOptions} (`database` has none). */
export const DEFAULT_SQLITE_STORE_OPTIONS: Readonly<{
  path: string;
  table: string;
  createTable: boolean;
  driver: SqliteDriverName;
  /** The clock, in milliseconds since the epoch. */
  now: () => number;
  /** Bytes of page cache. */
  cacheSize: number;
  /** Bytes of memory map. */
  mmapSize: number;
}> = Object.freeze({
  path: DEFAULT_SQLITE_PATH,
  table: 'tessera_sessions',
  createTable: true,
  driver: 'auto' as SqliteDriverName,
  // A wrapper rather than `Date.now` itself, so fake timers installed later are honoured.
  now: () => Date.now(),
  cacheSize: DEFAULT_SQLITE_CACHE_SIZE,
  mmapSize: 0,
});

/** The options a SQLite store runs with once defaults are filled in. */
export type ResolvedSqliteStoreOptions = Readonly<{
  path: string;
  database: SqliteDatabase | undefined;
  table: string;
  createTable: boolean;
  driver: SqliteDriverName;
  /** The clock, in milliseconds since the epoch. */
  now: () => number;
  /** Bytes of page cache. */
  cacheSize: number;
  /** Bytes of memory map. */
  mmapSize: number;
}>;

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The keys of {@link SqliteStoreOptions}: those of {@link DEFAULT_SQLITE_STORE_OPTIONS}, and `database`. */
const OPTION_KEYS = optionKeys<SqliteStoreOptions>()(DEFAULT_SQLITE_STORE_OPTIONS, ['database']);

/** Merges `options` over the defaults (without changing `options`) and checks the result. */
export function resolveSqliteStoreOptions(options: SqliteStoreOptions): ResolvedSqliteStoreOptions {
  checkOptionKeys(options, OPTION_KEYS, 'createSqliteStore()', { scope: 'store' });
  for (const name of ['cacheSize', 'mmapSize'] as const) {
    if (options[name] !== undefined && options.database !== undefined) {
      throw new TypeError(
        `createSqliteStore: option "${name}" is set on a database the store opens, not on one passed as "database": ` +
          'set the PRAGMA on your database yourself, or pass "path" instead.',
      );
    }
  }
  if (options.path !== undefined && options.database !== undefined) {
    throw new TypeError(
      'createSqliteStore: options "path" and "database" exclude each other. ' +
        'Pass "path" to let the store open the file, or "database" to use one you opened.',
    );
  }
  const resolved: ResolvedSqliteStoreOptions = {
    path: options.path ?? DEFAULT_SQLITE_STORE_OPTIONS.path,
    database: options.database,
    table: options.table ?? DEFAULT_SQLITE_STORE_OPTIONS.table,
    createTable: options.createTable ?? DEFAULT_SQLITE_STORE_OPTIONS.createTable,
    driver: options.driver ?? DEFAULT_SQLITE_STORE_OPTIONS.driver,
    now: options.now ?? DEFAULT_SQLITE_STORE_OPTIONS.now,
    cacheSize: options.cacheSize ?? DEFAULT_SQLITE_STORE_OPTIONS.cacheSize,
    mmapSize: options.mmapSize ?? DEFAULT_SQLITE_STORE_OPTIONS.mmapSize,
  };
  if (typeof resolved.path !== 'string' || resolved.path === '') {
    throw new TypeError(
      `createSqliteStore: option "path" must be a non-empty file path, got ${describeValue(resolved.path)}. ` +
        `Pass a file such as ${JSON.stringify(DEFAULT_SQLITE_PATH)}, or ':memory:'.`,
    );
  }
  if (typeof resolved.table !== 'string' || !TABLE_NAME.test(resolved.table)) {
    throw new TypeError(
      `createSqliteStore: option "table" must be a plain SQL name (letters, digits, underscores; not starting with a digit), got ${describeValue(resolved.table)}. ` +
        'Pass a name such as "tessera_sessions", or leave it out for the default.',
    );
  }
  if (typeof resolved.createTable !== 'boolean') {
    throw new TypeError(
      `createSqliteStore: option "createTable" must be true or false, got ${describeValue(resolved.createTable)}. ` +
        'Leave it out to create the database and its table when missing.',
    );
  }
  if (!['auto', 'better-sqlite3', 'node:sqlite'].includes(resolved.driver)) {
    throw new TypeError(
      `createSqliteStore: option "driver" must be 'auto', 'better-sqlite3' or 'node:sqlite', got ${describeValue(resolved.driver)}.`,
    );
  }
  if (typeof resolved.now !== 'function') {
    throw new TypeError(
      `createSqliteStore: option "now" must be a function returning milliseconds since the epoch, got ${describeValue(resolved.now)}. ` +
        'Leave it out to use Date.now().',
    );
  }
  for (const name of ['cacheSize', 'mmapSize'] as const) {
    const value = resolved[name];
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new TypeError(
        `createSqliteStore: option "${name}" must be a whole number of bytes, 0 or more, got ${describeValue(value)}. ` +
          `Pass a size such as ${16 * 1024 * 1024} (16 MiB), or leave it out for ${DEFAULT_SQLITE_STORE_OPTIONS[name]}.`,
      );
    }
  }
  return Object.freeze(resolved);
}

function describeValue(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
