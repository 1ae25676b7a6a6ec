/**
 * A session store in a PostgreSQL table, through node-postgres (`pg`).
 * Suited to several application servers sharing one database.
 *
 * ```ts
 * const store = createPostgresStore({ url: process.env.DATABASE_URL });
 * await store.ready(); // fail at startup, with a clear message, rather than on the first request
 * app.use(createSessionMiddleware({ store }));
 * ```
 *
 * Every operation is one statement; a delta is applied inside the server
 * (`jsonb` `-` and `||`), so concurrent requests never lose each other's keys.
 * See `docs/store-postgres.md`.
 *
 * @module tessera-session/stores/postgres
 */

import type { Pool, QueryResult, QueryResultRow } from 'pg';
import { SessionConfigError } from '../../core/errors.js';
import type {
  AsyncSessionStoreWith,
  ClearExpiredOptions,
  OptionalSessionStoreMethod,
  SessionRecord,
  StoreStats,
} from '../../core/store.js';
import {
  type ErrorScene,
  explainOperationError,
  explainSetupError,
  isMissingTable,
  missingTableMessage,
} from './errors.js';
import { createSessionLister } from './list-sessions.js';
import { type PostgresStoreOptions, resolvePostgresStoreOptions } from './options.js';
import { createSessionOperations } from './page-sessions.js';
import { createPagingStatements } from './paging-statements.js';
import { openStorePool } from './pool.js';
import { checkSchema, type MigrationResult, migrateSchema } from './schema.js';
import {
  createStatements,
  type SessionRow,
  type Statement,
  type TimedQueryConfig,
} from './statements.js';
import { parseTableName } from './table-name.js';
import { decodeDataJson, decodeText, encodeDataJson, encodeText } from './text-codec.js';

export {
  DEFAULT_POSTGRES_STORE_OPTIONS,
  type PostgresStoreOptions,
  type ResolvedPostgresStoreOptions,
} from './options.js';
export { POSTGRES_SIZE_SAMPLE } from './page-sessions.js';
export type { MigrationResult } from './schema.js';

/** Rows removed per statement by {@link PostgresStore.clearExpired} unless told otherwise. */
export const DEFAULT_CLEAR_EXPIRED_BATCH_SIZE = 10_000;

/** The options of every store's `clearExpired` (the contract's, also exported from `tessera-session`). */
export type { ClearExpiredOptions } from '../../core/store.js';

/** A session store backed by PostgreSQL; every method answers a promise, and the optional ones are all present. */
export interface PostgresStore extends AsyncSessionStoreWith<OptionalSessionStoreMethod> {
  /** The pool in use: the one the store created from `url`, or the one passed as `pool`. */
  readonly pool: Pool;
  /** The table's name, as configured (`tessera_sessions`, `auth.sessions`). */
  readonly table: string;
  /** One statement (`WITH … DELETE … RETURNING` then `INSERT … SELECT`); rejects when `newKey` has a row. */
  rotate(oldKey: string, newKey: string, record: SessionRecord): Promise<boolean>;
  /**
   * Removes every expired record, in batches of `batchSize` (default
   * {@link DEFAULT_CLEAR_EXPIRED_BATCH_SIZE}, `10_000`), each its own short
   * transaction, and answers how many were removed.
   */
  clearExpired(options?: ClearExpiredOptions): Promise<number>;
  /** Counts; `bytes` is the size of the data as stored (`pg_column_size`, compressed). */
  stats(): Promise<StoreStats>;
  /**
   * Connects, checks the credentials and the database, and creates the table
   * (with `createTable`) or checks that it exists. Rejects with a
   * {@link SessionConfigError} naming the server (password masked) and what to check.
   */
  ready(): Promise<void>;
  /**
   * Creates the table and its indexes where missing, and answers what it
   * created (nothing when all was there). Safe to run any number of times,
   * from several processes at once. What `npx tessera-session migrate` runs.
   */
  migrate(): Promise<MigrationResult>;
  /** Ends the pool if the store created it; a pool passed as `pool` stays open. */
  close(): Promise<void>;
}

/**
 * Creates a session store on a PostgreSQL table. Synchronous: nothing is
 * connected until the first operation (or `ready()`).
 *
 * @throws SessionConfigError when an option is invalid.
 */
export function createPostgresStore(options: PostgresStoreOptions): PostgresStore {
  const resolved = resolvePostgresStoreOptions(options);
  const { now, queryTimeoutMillis, createTable } = resolved;
  const table = parseTableName(resolved.table);
  const storePool = openStorePool(resolved);
  const { pool } = storePool;
  const scene: ErrorScene = {
    target: storePool.target,
    table,
    createTable,
    connectionTimeoutMillis: storePool.connectionTimeoutMillis,
  };
  const statements = createStatements(table, resolved.preparedStatements);
  const pagingStatements = createPagingStatements(table, resolved.preparedStatements);

  // With createTable, the first operation creates the table; every later one
  // skips straight to its statement.
  let tableReady = !createTable;
  let creating: Promise<MigrationResult> | undefined;
  const ensureTable = (): Promise<MigrationResult> => {
    creating ??= migrateSchema(pool, table).then(
      (result) => {
        tableReady = true;
        return result;
      },
      (error: unknown) => {
        creating = undefined; // the next operation tries again (the server may be back)
        throw error;
      },
    );
    return creating;
  };

  const run = async <Row extends QueryResultRow>(
    statement: Statement,
    values: unknown[],
  ): Promise<QueryResult<Row>> => {
    try {
      if (!tableReady) await ensureTable();
      const config: TimedQueryConfig = {
        text: statement.text,
        values,
        query_timeout: queryTimeoutMillis,
      };
      if (statement.name !== undefined) config.name = statement.name;
      return await pool.query<Row>(config);
    } catch (error) {
      if (createTable && isMissingTable(error)) {
        // Dropped while in use: created again by the next operation.
        tableReady = false;
        creating = undefined;
      }
      const explained = explainOperationError(error, scene);
      throw explained === error && !tableReady ? explainSetupError(error, scene) : explained;
    }
  };

  const clearExpired = async (clearOptions: ClearExpiredOptions = {}): Promise<number> => {
    const limit = clearOptions.batchSize ?? DEFAULT_CLEAR_EXPIRED_BATCH_SIZE;
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new SessionConfigError(
        `clearExpired: option "batchSize" must be a positive integer, got ${String(limit)}. ` +
          `Leave it out for ${DEFAULT_CLEAR_EXPIRED_BATCH_SIZE}.`,
      );
    }
    // One cut-off for the whole run, so the loop ends even while records keep expiring.
    const cutoff = now();
    let removed = 0;
    for (;;) {
      const result = await run(statements.deleteExpiredBatch, [cutoff, limit]);
      const count = result.rowCount ?? 0;
      removed += count;
      if (count > 0) clearOptions.onProgress?.(removed);
      if (count < limit) return removed;
    }
  };

  return {
    name: 'postgres',
    pool,
    table: table.name,

    async read(key) {
      const result = await run<Omit<SessionRow, 'key'>>(statements.selectLive, [
        encodeText(key),
        now(),
      ]);
      const row = result.rows[0];
      if (row === undefined) return null;
      return {
        data: decodeDataJson(row.data),
        expiresAt: Number(row.expires_at),
        createdAt: Number(row.created_at),
        userId: row.user_id === null ? null : decodeText(row.user_id),
      };
    },

    async create(key, record) {
      // Encoded before anything is awaited: later changes to the caller's objects are not seen.
      const values = [
        encodeText(key),
        encodeDataJson(record.data),
        record.createdAt,
        record.expiresAt,
        record.userId === null ? null : encodeText(record.userId),
        now(),
      ];
      return (await run(statements.insert, values)).rowCount === 1;
    },

    async update(key, delta) {
      const values = [
        encodeText(key),
        delta.remove.map(encodeText),
        encodeDataJson(delta.set),
        delta.expiresAt,
        delta.userId !== undefined,
        delta.userId === undefined || delta.userId === null ? null : encodeText(delta.userId),
        now(),
      ];
      return (await run(statements.update, values)).rowCount === 1;
    },

    async rotate(oldKey, newKey, record) {
      const values = [
        encodeText(oldKey),
        encodeText(newKey),
        encodeDataJson(record.data),
        record.createdAt,
        record.expiresAt,
        record.userId === null ? null : encodeText(record.userId),
        now(),
      ];
      return (await run(statements.rotate, values)).rowCount === 1;
    },

    async touch(key, expiresAt) {
      return (await run(statements.touch, [encodeText(key), expiresAt, now()])).rowCount === 1;
    },

    async destroy(key) {
      await run(statements.delete, [encodeText(key)]);
    },

    clearExpired,

    async listUserSessions(userId) {
      const result = await run<Omit<SessionRow, 'user_id'>>(statements.selectUserSessions, [
        encodeText(userId),
        now(),
      ]);
      return result.rows.map((row) => ({
        key: decodeText(row.key),
        createdAt: Number(row.created_at),
        expiresAt: Number(row.expires_at),
        data: decodeDataJson(row.data),
      }));
    },

    async destroyUserSessions(userId, destroyOptions = {}) {
      const exceptKey = destroyOptions.exceptKey;
      const result = await run<{ live: string | number }>(statements.deleteUserSessions, [
        encodeText(userId),
        exceptKey === undefined ? null : encodeText(exceptKey),
        now(),
      ]);
      return Number(result.rows[0]?.live ?? 0);
    },

    listSessions: createSessionLister(run, statements, now),
    ...createSessionOperations(run, pagingStatements, now),

    async stats() {
      const result = await run<{ count: string; expired: string; bytes: string }>(
        statements.selectStats,
        [now()],
      );
      const row = result.rows[0];
      return {
        count: Number(row?.count ?? 0),
        expired: Number(row?.expired ?? 0),
        bytes: Number(row?.bytes ?? 0),
      };
    },

    async ready() {
      try {
        await pool.query({
          text: 'SELECT 1',
          query_timeout: queryTimeoutMillis,
        } as TimedQueryConfig);
        if (createTable) await ensureTable();
        await checkSchema(pool, table, queryTimeoutMillis);
      } catch (error) {
        if (isMissingTable(error)) throw new SessionConfigError(missingTableMessage(scene));
        throw explainSetupError(error, scene);
      }
    },

    async migrate() {
      try {
        const result = await migrateSchema(pool, table);
        tableReady = true;
        return result;
      } catch (error) {
        throw explainSetupError(error, scene);
      }
    },

    close() {
      return storePool.release();
    },
  };
}
