/**
 * A session store in a SQLite database file, through Node's built-in
 * node:sqlite or better-sqlite3 (see `driver-choice.ts` for which one).
 * Suited to single-server deployments, including several processes on one
 * machine.
 *
 * Every method but `update` and `rotate` answers synchronously: both drivers
 * are synchronous, and the core awaits only what is a thenable. Updates and
 * rotations are committed in groups (see `write-batcher.ts`).
 *
 * @module tessera-session/stores/sqlite
 */

import { resolve } from 'node:path';
import {
  applyDelta,
  type ClearExpiredOptions,
  type CountSessionsOptions,
  type DescribeSessionsOptions,
  type ListSessionsOptions,
  type PageSessionsOptions,
  type SessionDelta,
  type SessionOverview,
  type SessionPage,
  type SessionRecord,
  type SessionStore,
  type SessionSummary,
  type StoredData,
  type StoreStats,
  type UserSessionInfo,
} from '../../core/store.js';
import { createDeltaUpdater } from './delta-update.js';
import { createSessionDescriber } from './describe-sessions.js';
import { loadDriver, type SqliteConnection, type SqliteOpener, wrapConnection } from './driver.js';
import { pickDriver } from './driver-choice.js';
import { createSessionLister } from './list-sessions.js';
import {
  resolveSqliteStoreOptions,
  type SqliteDatabase,
  type SqliteStoreOptions,
} from './options.js';
import { createSessionCounter, createSessionPager } from './page-sessions.js';
import { preparePagingStatements } from './paging-statements.js';
import { createPrivateDatabaseFile } from './private-file.js';
import { applyPragmas, createSchema } from './schema.js';
import {
  checkOpenedSchema,
  findMissingSchema,
  isNewDatabaseFile,
  requireDatabaseFile,
  type SqliteMigrationResult,
} from './schema-check.js';
import { prepareStatements } from './statements.js';
import { createWriteBatcher } from './write-batcher.js';

export { SQLITE_SIZE_SAMPLE } from './describe-sessions.js';
export type {
  SqliteConnection,
  SqliteDriver,
  SqliteDriverName,
  SqliteStatement,
} from './driver.js';
export {
  DEFAULT_SQLITE_CACHE_SIZE,
  DEFAULT_SQLITE_PATH,
  DEFAULT_SQLITE_STORE_OPTIONS,
  type ResolvedSqliteStoreOptions,
  type SqliteDatabase,
  type SqliteStoreOptions,
} from './options.js';
export type { SqliteMigrationResult } from './schema-check.js';

/** Rows removed per statement by {@link SqliteStore.clearExpired} unless told otherwise. */
export const DEFAULT_CLEAR_EXPIRED_BATCH_SIZE = 10_000;

/** The options of every store's `clearExpired` (the contract's, also exported from `tessera-session`). */
export type { ClearExpiredOptions } from '../../core/store.js';

/**
 * A {@link SessionStore} backed by SQLite. Every method but `update` and
 * `rotate` answers synchronously, and the optional ones are all present.
 */
export interface SqliteStore extends SessionStore {
  /** The driver's database in use: the one the store opened, or the one passed as `database`. */
  readonly database: SqliteDatabase;
  /** The same database behind the small interface both drivers share. */
  readonly connection: SqliteConnection;
  /** The database file's absolute path, `':memory:'`, or the name of the database passed in. */
  readonly path: string;
  read(key: string): SessionRecord | null;
  create(key: string, record: SessionRecord): boolean;
  /** Applied with other writes of the same event-loop turn in one transaction (group commit). */
  update(key: string, delta: SessionDelta): Promise<boolean>;
  /**
   * Applied in the same group transactions as `update`, in call order: the
   * live old row deleted and the new one inserted, or nothing.
   */
  rotate(oldKey: string, newKey: string, record: SessionRecord): Promise<boolean>;
  touch(key: string, expiresAt: number): boolean;
  destroy(key: string): void;
  /**
   * Removes every expired record, in batches of `batchSize` (default
   * {@link DEFAULT_CLEAR_EXPIRED_BATCH_SIZE}, `10_000`), each its own short
   * write so a large cleanup never holds the write lock for long, and
   * answers how many were removed.
   */
  clearExpired(options?: ClearExpiredOptions): number;
  listUserSessions(userId: string): UserSessionInfo[];
  destroyUserSessions(userId: string, options?: { exceptKey?: string }): number;
  listSessions(options: ListSessionsOptions): SessionSummary[];
  /**
   * One page, by keyset pagination on an index: `(created_at, key)` or
   * `(expires_at, key)`, or `(user_id, created_at, key)` for one user.
   */
  pageSessions(options: PageSessionsOptions): SessionPage;
  countSessions(options?: CountSessionsOptions): number;
  /**
   * The overview from `GROUP BY` statements in one read transaction; the size
   * histogram measures the newest {@link SQLITE_SIZE_SAMPLE} live sessions.
   */
  describeSessions(options: DescribeSessionsOptions): SessionOverview;
  /** Counts; `bytes` is the UTF-8 size of the data as stored. */
  stats(): StoreStats;
  /**
   * Creates the table and its indexes where missing, and answers what was
   * created, by this call or when the store opened (the database file, the
   * table). What `npx tessera-session migrate` runs.
   */
  migrate(): SqliteMigrationResult;
  /** Closes the database if the store opened it; one passed as `database` stays open. */
  close(): void;
}

/**
 * Creates a session store in a SQLite database, creating its table if missing.
 *
 * @throws TypeError when an option is invalid, `SessionConfigError`
 *   when no SQLite driver is there (the message says what to install), or
 *   Error when the driver does not load or the file in `path` cannot be
 *   created or opened.
 */
export function createSqliteStore(options: SqliteStoreOptions = {}): SqliteStore {
  const {
    path,
    database: givenDatabase,
    table,
    createTable,
    driver,
    now,
    cacheSize,
    mmapSize,
  } = resolveSqliteStoreOptions(options);
  // What opening creates, for migrate() to report.
  const createdOnOpen: string[] = [];
  if (givenDatabase === undefined && !createTable && path !== ':memory:') {
    requireDatabaseFile(path, table);
  } else if (givenDatabase === undefined && createTable && isNewDatabaseFile(path)) {
    createdOnOpen.push(`database file ${JSON.stringify(resolve(path))}`);
  }
  const opened =
    givenDatabase === undefined ? openDatabase(path, loadDriver(pickDriver(driver))) : undefined;
  const database = opened ?? wrapConnection(givenDatabase);
  const missing = checkOpenedSchema(database, table, createTable, () => opened?.close());
  if (opened !== undefined) applyPragmas(database, { cacheSize, mmapSize });
  if (createTable) {
    createSchema(database, table);
    createdOnOpen.push(...missing);
  }
  const statements = prepareStatements(database, table);

  // Runs inside a batch transaction, which is IMMEDIATE: it takes the write lock
  // before reading, so two processes cannot both read the old data and the later
  // write lose the earlier one.
  const updateInSql = createDeltaUpdater(database, `"${table}"`);
  const applyUpdate = (key: string, delta: SessionDelta): boolean => {
    const time = now();
    const done = updateInSql(key, delta, time);
    if (done !== undefined) return done;
    const row = statements.selectLive.get({ key, now: time });
    if (row === undefined) return false;
    statements.rewrite.run({
      key,
      data: JSON.stringify(applyDelta(parseData(row.data), delta)),
      expiresAt: delta.expiresAt,
      userId: delta.userId ?? null,
      setUser: delta.userId === undefined ? 0 : 1,
      now: time,
    });
    return true;
  };
  // Issue 10: runs inside a batch transaction (IMMEDIATE, so no other process
  // writes in between), within a savepoint of its own: the old row is deleted
  // only if live, then the new one inserted; a failure of the insert (a live
  // row under the new key) undoes the deletion, and other writes of the batch
  // are kept. A logout that committed first leaves nothing to delete: false.
  const applyRotate = (oldKey: string, newKey: string, row: RotatedRow): boolean => {
    const time = now();
    database.exec('SAVEPOINT tessera_rotate');
    try {
      const moved = Number(statements.deleteLive.run({ key: oldKey, now: time }).changes) > 0;
      if (
        moved &&
        Number(statements.insert.run({ ...row, key: newKey, now: time }).changes) === 0
      ) {
        throw new Error(
          'sqlite store: rotate() was given a new key that holds a live session; nothing was changed.',
        );
      }
      database.exec('RELEASE tessera_rotate');
      return moved;
    } catch (error) {
      database.exec('ROLLBACK TO tessera_rotate');
      database.exec('RELEASE tessera_rotate');
      throw error;
    }
  };
  const batcher = createWriteBatcher(database);
  const listSessions = createSessionLister(statements, now);
  const pagingStatements = preparePagingStatements(database, table);
  const pageSessions = createSessionPager(pagingStatements, now);
  const countSessions = createSessionCounter(pagingStatements, now);
  const describeSessions = createSessionDescriber(database, pagingStatements, now);

  return {
    name: 'sqlite',
    database: database.raw,
    connection: database,
    path: database.location,

    read(key: string): SessionRecord | null {
      const row = statements.selectLive.get({ key, now: now() });
      if (row === undefined) return null;
      return {
        data: parseData(row.data),
        expiresAt: row.expires_at,
        createdAt: row.created_at,
        userId: row.user_id,
      };
    },

    create(key: string, record: SessionRecord): boolean {
      const result = statements.insert.run({
        key,
        data: JSON.stringify(record.data),
        createdAt: record.createdAt,
        expiresAt: record.expiresAt,
        userId: record.userId,
        now: now(),
      });
      return Number(result.changes) > 0;
    },

    update(key: string, delta: SessionDelta): Promise<boolean> {
      return batcher.enqueue(() => applyUpdate(key, delta));
    },

    rotate(oldKey: string, newKey: string, record: SessionRecord): Promise<boolean> {
      // Encoded now: the caller may change its object before the batch runs.
      const row: RotatedRow = {
        data: JSON.stringify(record.data),
        createdAt: record.createdAt,
        expiresAt: record.expiresAt,
        userId: record.userId,
      };
      return batcher.enqueue(() => applyRotate(oldKey, newKey, row));
    },

    touch(key: string, expiresAt: number): boolean {
      return Number(statements.touch.run({ key, expiresAt, now: now() }).changes) > 0;
    },

    destroy(key: string): void {
      statements.delete.run({ key });
    },

    clearExpired(clearOptions: ClearExpiredOptions = {}): number {
      const limit = clearOptions.batchSize ?? DEFAULT_CLEAR_EXPIRED_BATCH_SIZE;
      if (!Number.isSafeInteger(limit) || limit < 1) {
        throw new RangeError(
          `clearExpired: option "batchSize" must be a positive integer, got ${String(limit)}. ` +
            `Leave it out for ${DEFAULT_CLEAR_EXPIRED_BATCH_SIZE}.`,
        );
      }
      // One cut-off for the whole run, so the loop ends even while records keep expiring.
      const time = now();
      let removed = 0;
      for (;;) {
        const changes = Number(statements.deleteExpiredBatch.run({ now: time, limit }).changes);
        removed += changes;
        if (changes > 0) clearOptions.onProgress?.(removed);
        if (changes < limit) return removed;
      }
    },

    listUserSessions(userId: string): UserSessionInfo[] {
      return statements.selectUserSessions.all({ userId, now: now() }).map((row) => ({
        key: row.key,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        data: parseData(row.data),
      }));
    },

    destroyUserSessions(userId: string, destroyOptions: { exceptKey?: string } = {}): number {
      const rows = statements.deleteUserSessions.all({
        userId,
        exceptKey: destroyOptions.exceptKey ?? null,
        now: now(),
      });
      // Expired sessions are removed too, but only live ones are counted as destroyed.
      return rows.filter((row) => row.live === 1).length;
    },

    listSessions,
    pageSessions,
    countSessions,
    describeSessions,

    stats(): StoreStats {
      const row = statements.selectStats.get({ now: now() });
      return { count: row?.count ?? 0, expired: row?.expired ?? 0, bytes: row?.bytes ?? 0 };
    },

    migrate(): SqliteMigrationResult {
      const created = findMissingSchema(database, table, database.location);
      createSchema(database, table);
      // Reported once: a later call answers only what it creates itself.
      return { table, created: [...createdOnOpen.splice(0), ...created] };
    },

    close(): void {
      if (database.isOpen) batcher.flush();
      // A database passed in belongs to the caller.
      if (opened !== undefined && database.isOpen) database.close();
    },
  };
}

/** Opens (creating if needed) the database file, naming the `path` option when that fails. */
function openDatabase(path: string, open: SqliteOpener): SqliteConnection {
  if (path === ':memory:') return open(path);
  const absolutePath = resolve(path);
  try {
    // Created 0700/0600 when missing, never with the umask's 0644 (issue 10 §3; see private-file.ts).
    createPrivateDatabaseFile(absolutePath);
    return open(absolutePath);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `createSqliteStore: cannot open the database in option "path" (${JSON.stringify(absolutePath)}): ${reason}. ` +
        'Pass a file path in a directory this process can create and write, or ":memory:".',
      { cause: error },
    );
  }
}

/** JSON.parse defines `"__proto__"` as an own data property, never as the prototype. */
function parseData(json: string): StoredData {
  return JSON.parse(json) as StoredData;
}

/** A rotated record as its row is written. */
interface RotatedRow {
  readonly data: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly userId: string | null;
}
