/**
 * Runs the store's statements with a deadline. mysql2 bounds connecting
 * (`connectTimeout`) but not a statement, nor the wait for a free connection:
 * a server that stops answering would hold every pooled connection forever and
 * queue every later request behind them. Here each operation has
 * `queryTimeout` milliseconds in all; past it the operation rejects and its
 * connection is destroyed, so the pool opens a fresh one when the server is back.
 *
 * Statements are prepared (`execute`): values travel apart from the SQL, so no
 * escaping is involved whatever the server's `sql_mode` (`NO_BACKSLASH_ESCAPES`
 * breaks client-side escaping), and mysql2 caches each statement per connection.
 *
 * @module
 */

import type { Pool, PoolConnection } from 'mysql2/promise';

/** The callback pool under a mysql2/promise pool (`pool.pool`). */
interface CorePool {
  getConnection(callback: (error: Error | null, connection: CoreConnection) => void): void;
}
interface CoreConnection {
  execute(
    options: { sql: string },
    values: SqlValue[],
    callback: (error: Error | null, result: unknown) => void,
  ): void;
  release(): void;
  destroy(): void;
}

/** A statement parameter: the store binds only strings, numbers and NULL. */
export type SqlValue = string | number | null;

/** A row as the store's SELECTs return it. */
export type Row = Record<string, unknown>;

/** The OK packet of a write. */
export interface WriteResult {
  /** Rows the statement matched (the pools run with FOUND_ROWS), or inserted/deleted. */
  readonly affectedRows: number;
}

/** Prepared statements on one connection, or each on any pooled connection. */
export interface Statements {
  /** Rows of one SELECT. */
  rows(sql: string, parameters: SqlValue[]): Promise<Row[]>;
  /** The OK packet of one INSERT, UPDATE or DELETE. */
  write(sql: string, parameters: SqlValue[]): Promise<WriteResult>;
}

/** The statements of one transaction. */
export interface TransactionStatements extends Statements {
  /**
   * Rows of one SELECT without parameters, through the text protocol (for
   * statements whose values are written in; see paging-statements.ts).
   */
  textRows(sql: string): Promise<Row[]>;
}

/** Runs statements, each operation within the deadline. */
export interface SqlRunner extends Statements {
  /** Runs `work` in one transaction on one connection; rolled back when it throws. */
  transaction<T>(work: (statements: TransactionStatements) => Promise<T>): Promise<T>;
  /**
   * Runs a statement without parameters through the text protocol (DDL and
   * SHOW are not worth preparing) and answers its rows or OK packet.
   */
  query(sql: string): Promise<Row[] | WriteResult>;
}

/** The error an operation rejects with when the deadline passes; `code` is `'ETIMEDOUT'`. */
export class StoreTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(location: string, timeoutMs: number) {
    super(
      `No answer from ${location} within ${timeoutMs} ms (option "queryTimeout"); the connection was dropped.`,
    );
    this.name = 'StoreTimeoutError';
  }
}

const ER_LOCK_DEADLOCK = 1213;
const MAX_DEADLOCK_TRIES = 5;

// Query-level settings that override a given pool's, so its rows come back as
// the store reads them: objects keyed by column name, values converted.
const STATEMENT_OPTIONS = Object.freeze({
  rowsAsArray: false,
  nestTables: false,
  namedPlaceholders: false,
  typeCast: true,
});

/** Creates the runner for `pool`; `location` names the server in timeout messages. */
export function createSqlRunner(pool: Pool, location: string, timeoutMs: number): SqlRunner {
  /** Runs `work` on a pooled connection within the deadline. */
  function withConnection<T>(work: (connection: PoolConnection) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      let connection: PoolConnection | undefined;
      const timer = setTimeout(() => {
        settled = true;
        // The statement may never answer: only destroying the connection frees its pool slot.
        connection?.destroy();
        reject(new StoreTimeoutError(location, timeoutMs));
      }, timeoutMs);
      const settle = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        outcome();
      };
      pool.getConnection().then(
        (acquired) => {
          if (settled) {
            // Connected after the deadline: the connection is fine, give it back.
            acquired.release();
            return;
          }
          connection = acquired;
          work(acquired).then(
            (value) => {
              if (settled) return;
              acquired.release();
              settle(() => resolve(value));
            },
            (error: unknown) => {
              if (settled) return;
              // A connection that failed fatally has already left the pool; releasing it is harmless.
              acquired.release();
              settle(() => reject(error));
            },
          );
        },
        (error: unknown) => settle(() => reject(error)),
      );
    });
  }

  /**
   * One statement on a pooled connection, within the deadline, through the
   * driver's callback API: the promise wrapper's objects per call cost a
   * fifth of a read's time (`npm run bench:stores`).
   */
  function executeOnce<T>(sql: string, parameters: SqlValue[]): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      let connection: CoreConnection | undefined;
      const timer = setTimeout(() => {
        settled = true;
        connection?.destroy();
        reject(new StoreTimeoutError(location, timeoutMs));
      }, timeoutMs);
      core.getConnection((error, acquired) => {
        if (settled) {
          acquired?.release();
          return;
        }
        if (error) {
          settled = true;
          clearTimeout(timer);
          reject(error);
          return;
        }
        connection = acquired;
        acquired.execute({ sql, ...STATEMENT_OPTIONS }, parameters, (failure, result) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          acquired.release();
          if (failure) reject(failure);
          else resolve(result as T);
        });
      });
    });
  }
  const core = (pool as unknown as { pool: CorePool }).pool;

  return {
    rows: (sql, parameters) => retryDeadlocks(() => executeOnce<Row[]>(sql, parameters)),
    write: (sql, parameters) => retryDeadlocks(() => executeOnce<WriteResult>(sql, parameters)),
    query: (sql) => withConnection((connection) => queryOn(connection, sql)),
    transaction: (work) =>
      withConnection((connection) =>
        retryDeadlocks(async () => {
          await connection.beginTransaction();
          try {
            const value = await work({
              rows: (sql, parameters) => rowsOn(connection, sql, parameters),
              write: (sql, parameters) => writeOn(connection, sql, parameters),
              textRows: async (sql) => (await queryOn(connection, sql)) as Row[],
            });
            await connection.commit();
            return value;
          } catch (error) {
            await connection.rollback().catch(() => {
              // The connection is gone; the server rolls the transaction back itself.
            });
            throw error;
          }
        }),
      ),
  };
}

/**
 * Runs `attempt` again when InnoDB chose it as a deadlock victim: the server
 * rolled it back entirely, and the advice is to retry. Deadlocks happen when
 * statements lock one row through different indexes in different orders (by
 * primary key, or through `expires_at` or `user_id`); they are rare and
 * transient. The operation's deadline still bounds the retries.
 */
async function retryDeadlocks<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (
        tries >= MAX_DEADLOCK_TRIES ||
        (error as { errno?: unknown } | null)?.errno !== ER_LOCK_DEADLOCK
      ) {
        throw error;
      }
    }
  }
}

async function rowsOn(
  connection: PoolConnection,
  sql: string,
  parameters: SqlValue[],
): Promise<Row[]> {
  const [rows] = await connection.execute({ sql, ...STATEMENT_OPTIONS }, parameters);
  return rows as Row[];
}

/** One statement without parameters through the text protocol: its rows or OK packet. */
async function queryOn(connection: PoolConnection, sql: string): Promise<Row[] | WriteResult> {
  const [result] = await connection.query({ sql, ...STATEMENT_OPTIONS });
  return result as Row[] | WriteResult;
}

async function writeOn(
  connection: PoolConnection,
  sql: string,
  parameters: SqlValue[],
): Promise<WriteResult> {
  const [result] = await connection.execute({ sql, ...STATEMENT_OPTIONS }, parameters);
  return result as WriteResult;
}
