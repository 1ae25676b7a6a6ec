/**
 * A session store in MySQL (8.0 and later) or MariaDB (10.5 and later), through
 * mysql2. Suited to deployments of several servers that already run one of them.
 *
 * Every write is one statement but for two rare cases (a delta of more than 32
 * keys, and re-creating a record under the key of an expired one): deltas are
 * applied by the server with `JSON_SET`/`JSON_REMOVE`, so parallel requests
 * never lose each other's keys. See `docs/store-mysql.md`.
 *
 * @module tessera-session/stores/mysql
 */

import type { Pool } from 'mysql2/promise';
import { SessionDataError } from '../../core/errors.js';
import {
  type AsyncSessionStoreWith,
  applyDelta,
  type ClearExpiredOptions,
  type OptionalSessionStoreMethod,
  type SessionRecord,
  type StoreStats,
} from '../../core/store.js';
import { formatMigrateStoreUrl } from '../migrate-store-url.js';
import { createDeltaStatementBuilder } from './delta-update.js';
import { explainSetupError } from './explain-error.js';
import { MARIADB_MAX_JSON_DEPTH, toJsonText } from './json-text.js';
import { createSessionLister } from './list-sessions.js';
import {
  DEFAULT_MYSQL_STORE_OPTIONS,
  type MysqlStoreOptions,
  resolveMysqlStoreOptions,
} from './options.js';
import { createSessionOperations } from './page-sessions.js';
import { pagingSql } from './paging-statements.js';
import { adoptPool, openPool } from './pool.js';
import { parseData, userIdOf } from './row-values.js';
import { createSqlRunner } from './runner.js';
import {
  ensureTable,
  errorNumber,
  inspectServer,
  MAX_USER_ID_LENGTH,
  type MysqlMigrationResult,
  migrateTable,
  type ServerInfo,
} from './schema.js';
import { sessionSql } from './statements.js';

export { MAX_KEYS_PER_STATEMENT } from './delta-update.js';
export { MARIADB_MAX_JSON_DEPTH } from './json-text.js';
export {
  DEFAULT_MYSQL_STORE_OPTIONS,
  type MysqlPool,
  type MysqlStoreOptions,
  type ResolvedMysqlStoreOptions,
} from './options.js';
export { MYSQL_SIZE_SAMPLE } from './page-sessions.js';
export { StoreTimeoutError } from './runner.js';
export { MAX_USER_ID_LENGTH, type MysqlMigrationResult } from './schema.js';

/** Rows removed per statement by {@link MysqlStore.clearExpired} unless told otherwise. */
export const DEFAULT_CLEAR_EXPIRED_BATCH_SIZE = 1_000;

const ER_DUP_ENTRY = 1062;
const ER_NO_SUCH_TABLE = 1146;

/** The options of every store's `clearExpired` (the contract's, also exported from `tessera-session`). */
export type { ClearExpiredOptions } from '../../core/store.js';

/** A session store backed by MySQL or MariaDB; every method answers a promise, and the optional ones are all present. */
export interface MysqlStore extends AsyncSessionStoreWith<OptionalSessionStoreMethod> {
  /** The mysql2 pool in use (promise API): the one the store opened, or the one passed in. */
  readonly pool: Pool;
  /** The sessions table's name. */
  readonly table: string;
  /** One transaction: the live old row deleted (and locked), then the new one inserted. */
  rotate(oldKey: string, newKey: string, record: SessionRecord): Promise<boolean>;
  /**
   * Removes every expired record, in batches of `batchSize` (default
   * {@link DEFAULT_CLEAR_EXPIRED_BATCH_SIZE}, `1_000`), each its own short
   * statement, and answers how many were removed.
   */
  clearExpired(options?: ClearExpiredOptions): Promise<number>;
  /** Counts; `bytes` is the size of the data as the server stores its text. */
  stats(): Promise<StoreStats>;
  /**
   * Connects, checks the credentials and the database, and creates the table
   * (with `createTable`) or checks it. Rejects with a `SessionConfigError`
   * naming the server (password masked) and what to check.
   */
  ready(): Promise<void>;
  /**
   * Creates the table if missing and adds any missing index, and answers what
   * it created (nothing when all was there). Safe to run any number of times,
   * from several processes at once. What `npx tessera-session migrate` runs.
   */
  migrate(): Promise<MysqlMigrationResult>;
  /** Ends the pool if the store opened it; a pool passed in stays open. Later calls reject. */
  close(): Promise<void>;
}

/**
 * Creates a session store on a MySQL or MariaDB server. Nothing connects yet:
 * the first operation (or `ready()`, to fail fast at startup) does.
 *
 * @throws SessionConfigError when an option is invalid.
 */
export function createMysqlStore(options: MysqlStoreOptions): MysqlStore {
  const settings = resolveMysqlStoreOptions(options);
  const { table, createTable, now } = settings;
  const source =
    settings.pool !== undefined ? adoptPool(settings.pool) : openPool(settings.url ?? '', settings);
  const { location } = source;
  const migrateCommand = `npx tessera-session migrate --store ${formatMigrateStoreUrl(source.maskedUrl, table, DEFAULT_MYSQL_STORE_OPTIONS.table)}`;
  const runner = createSqlRunner(source.pool, location, settings.queryTimeout);
  const quotedTable = `\`${table}\``;
  const sql = sessionSql(quotedTable);
  const buildDelta = createDeltaStatementBuilder(quotedTable);
  let closed = false;

  // Checked once; a failure is forgotten so the next call tries again (the server may be back).
  let setup: Promise<ServerInfo> | undefined;
  const prepare = (): Promise<ServerInfo> => {
    if (closed) return Promise.reject(new Error(`MySQL store on ${location} is closed.`));
    setup ??= (async () => {
      const server = await inspectServer(runner, location);
      await ensureTable(runner, table, { createTable, location, migrateCommand });
      return server;
    })().catch((error: unknown) => {
      setup = undefined;
      throw error;
    });
    return setup;
  };
  /**
   * Runs `operation` once the table is known to be there. If the table is
   * dropped while the store runs, that operation fails, and the next one checks
   * (or creates) the table again.
   */
  const withTable = async <T>(operation: (server: ServerInfo) => Promise<T>): Promise<T> => {
    const server = await prepare();
    try {
      return await operation(server);
    } catch (error) {
      if (errorNumber(error) === ER_NO_SUCH_TABLE) setup = undefined;
      throw error;
    }
  };
  const dataDepth = (server: ServerInfo): number | undefined =>
    server.mariadb ? MARIADB_MAX_JSON_DEPTH : undefined;

  return {
    name: 'mysql',
    pool: source.pool,
    table,

    read: (key) =>
      withTable(async () => {
        const [row] = await runner.rows(sql.selectLive, [key, now()]);
        if (row === undefined) return null;
        return {
          data: parseData(row.data),
          expiresAt: Number(row.expires_at),
          createdAt: Number(row.created_at),
          userId: userIdOf(row),
        };
      }),

    create: (key, record) =>
      withTable(async (server) => {
        const data = toJsonText(record.data, undefined, dataDepth(server));
        checkUserId(record.userId);
        const { createdAt, expiresAt, userId } = record;
        try {
          await runner.write(sql.insert, [key, data, createdAt, expiresAt, userId]);
          return true;
        } catch (error) {
          if (errorNumber(error) !== ER_DUP_ENTRY) throw error;
        }
        // The key is taken. Replace the row only if it has expired, in one statement,
        // so a live record is never touched. (INSERT … ON DUPLICATE KEY UPDATE cannot
        // say which happened: with FOUND_ROWS an untouched row also counts 1, like an insert.)
        const replaced = await runner.write(sql.replaceExpired, [
          data,
          createdAt,
          userId,
          expiresAt,
          key,
          now(),
        ]);
        return replaced.affectedRows > 0;
      }),

    update: (key, delta) =>
      withTable(async (server) => {
        if (delta.userId !== undefined) checkUserId(delta.userId);
        const time = now();
        const statement = buildDelta(key, delta, time, server.mariadb);
        if (statement !== undefined) {
          // FOUND_ROWS: a live row that the delta leaves unchanged still counts as matched.
          return (await runner.write(statement.sql, statement.parameters)).affectedRows > 0;
        }
        // A delta too large for one statement: the row stays locked while it is rewritten.
        return runner.transaction(async (transaction) => {
          const [row] = await transaction.rows(sql.selectLiveForUpdate, [key, time]);
          if (row === undefined) return false;
          const merged = applyDelta(parseData(row.data), delta);
          const data = toJsonText(merged, undefined, dataDepth(server));
          if (delta.userId === undefined) {
            await transaction.write(sql.rewrite, [data, delta.expiresAt, key]);
          } else {
            await transaction.write(sql.rewriteWithUser, [
              data,
              delta.expiresAt,
              delta.userId,
              key,
            ]);
          }
          return true;
        });
      }),

    rotate: (oldKey, newKey, record) =>
      withTable(async (server) => {
        const data = toJsonText(record.data, undefined, dataDepth(server));
        checkUserId(record.userId);
        const { createdAt, expiresAt, userId } = record;
        // Issue 10: one transaction. The DELETE of the live old row locks it
        // (a locking read of the newest version, whatever the isolation level),
        // so a concurrent logout or rotation of it either committed first and
        // nothing is deleted here (the rotation answers false and writes
        // nothing), or waits and then finds it gone.
        return runner.transaction(async (transaction) => {
          const time = now();
          const moved = await transaction.write(sql.deleteLive, [oldKey, time]);
          if (moved.affectedRows === 0) return false;
          try {
            await transaction.write(sql.insert, [newKey, data, createdAt, expiresAt, userId]);
            return true;
          } catch (error) {
            if (errorNumber(error) !== ER_DUP_ENTRY) throw error;
          }
          // An expired leftover under the new key is replaced; a live one is never
          // touched, and the throw rolls the deletion of the old row back.
          const replaced = await transaction.write(sql.replaceExpired, [
            data,
            createdAt,
            userId,
            expiresAt,
            newKey,
            time,
          ]);
          if (replaced.affectedRows === 0) {
            throw new Error(
              `MySQL store: rotate() was given a new key that holds a live session in ${location}; nothing was changed.`,
            );
          }
          return true;
        });
      }),

    touch: (key, expiresAt) =>
      withTable(
        async () => (await runner.write(sql.touch, [expiresAt, key, now()])).affectedRows > 0,
      ),

    destroy: (key) =>
      withTable(async () => {
        await runner.write(sql.delete, [key]);
      }),

    async clearExpired(clearOptions: ClearExpiredOptions = {}) {
      const limit = clearOptions.batchSize ?? DEFAULT_CLEAR_EXPIRED_BATCH_SIZE;
      if (!Number.isSafeInteger(limit) || limit < 1) {
        throw new RangeError(
          `clearExpired: option "batchSize" must be a positive integer, got ${String(limit)}. ` +
            `Leave it out for ${DEFAULT_CLEAR_EXPIRED_BATCH_SIZE}.`,
        );
      }
      return withTable(async () => {
        // One cut-off for the whole run, so the loop ends even while records keep expiring.
        const time = now();
        const statement = sql.deleteExpiredBatch(limit);
        let removed = 0;
        for (;;) {
          const { affectedRows } = await runner.write(statement, [time]);
          removed += affectedRows;
          if (affectedRows > 0) clearOptions.onProgress?.(removed);
          if (affectedRows < limit) return removed;
        }
      });
    },

    listUserSessions: (userId) =>
      withTable(async () => {
        const rows = await runner.rows(sql.selectUserSessions, [userId, now()]);
        return rows.map((row) => ({
          key: String(row.key),
          createdAt: Number(row.created_at),
          expiresAt: Number(row.expires_at),
          data: parseData(row.data),
        }));
      }),

    destroyUserSessions: (userId, destroyOptions: { exceptKey?: string } = {}) =>
      withTable(async () => {
        const parameters = [userId, destroyOptions.exceptKey ?? null, now()];
        // Only live sessions count as destroyed; the expired ones go too, uncounted.
        const live = await runner.write(sql.deleteLiveUserSessions, parameters);
        await runner.write(sql.deleteExpiredUserSessions, parameters);
        return live.affectedRows;
      }),

    listSessions: createSessionLister(runner, sql, withTable, now),
    ...createSessionOperations(runner, pagingSql(quotedTable), withTable, now),

    stats: () =>
      withTable(async () => {
        const [row] = await runner.rows(sql.stats, [now()]);
        // SUM answers DECIMAL, which mysql2 returns as a string.
        return {
          count: Number(row?.count ?? 0),
          expired: Number(row?.expired ?? 0),
          bytes: Number(row?.bytes ?? 0),
        };
      }),

    async ready() {
      try {
        await prepare();
      } catch (error) {
        throw explainSetupError('ready()', error, location);
      }
    },

    async migrate() {
      if (closed) throw new Error(`MySQL store on ${location} is closed.`);
      try {
        await inspectServer(runner, location);
        return await migrateTable(runner, table, location);
      } catch (error) {
        throw explainSetupError('migrate()', error, location);
      }
    },

    async close() {
      closed = true;
      await source.close();
    },
  };
}

/** Refuses an owner the `user_id` column cannot hold, rather than failing with a server error. */
function checkUserId(userId: string | null): void {
  if (userId === null || userId.length <= MAX_USER_ID_LENGTH) return;
  if ([...userId].length <= MAX_USER_ID_LENGTH) return;
  throw new SessionDataError(
    `The session's user id is longer than the ${MAX_USER_ID_LENGTH} characters the MySQL store's user_id column holds. Use a shorter id, such as the user's primary key.`,
  );
}
