/**
 * The stores `bench/scale.ts` grows to a million sessions, and how each is
 * filled fast (in bulk, not one request at a time: the fill is set-up, not
 * what is measured).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { SessionRecord, SessionStore } from '../src/core/store.js';
import { createMysqlStore } from '../src/stores/mysql/index.js';
import { createPostgresStore } from '../src/stores/postgres/index.js';
import { createSqliteStore } from '../src/stores/sqlite/index.js';
import { probeServer, SERVER_URLS } from '../test/helpers/server-probe.js';

export interface OpenedTarget {
  store: SessionStore;
  /** Adds the records, reporting progress now and then. */
  fill(
    records: Iterable<[string, SessionRecord]>,
    onProgress?: (done: number) => void,
  ): Promise<void>;
  /** The server's settings the figures depend on (its cache size), recorded beside them. */
  describeServer?(): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export interface ScaleTarget {
  name: string;
  /** Why the target cannot run here, or `undefined`. */
  unavailable(): Promise<string | undefined>;
  open(workDir: string): Promise<OpenedTarget>;
}

const sqlite: ScaleTarget = {
  name: 'sqlite',
  unavailable: async () => undefined,
  async open(workDir) {
    const store = createSqliteStore({ path: join(workDir, 'scale.db') });
    return {
      store,
      async fill(records, onProgress) {
        // One transaction per 50,000 creates: the store's own statements, without a commit each.
        let done = 0;
        store.connection.exec('BEGIN');
        for (const [key, record] of records) {
          store.create(key, record);
          if (++done % 50_000 === 0) {
            store.connection.exec('COMMIT');
            onProgress?.(done);
            store.connection.exec('BEGIN');
          }
        }
        store.connection.exec('COMMIT');
      },
      close: async () => store.close(),
    };
  },
};

const BULK_ROWS = 5000;

/** Hands `records` to `insert` `BULK_ROWS` at a time, reporting progress every 50,000. */
async function insertInBatches(
  records: Iterable<[string, SessionRecord]>,
  onProgress: ((done: number) => void) | undefined,
  insert: (batch: ReadonlyArray<[string, SessionRecord]>) => Promise<void>,
): Promise<void> {
  let batch: [string, SessionRecord][] = [];
  let done = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await insert(batch);
    done += batch.length;
    batch = [];
    if (done % 50_000 === 0) onProgress?.(done);
  };
  for (const entry of records) {
    batch.push(entry);
    if (batch.length === BULK_ROWS) await flush();
  }
  await flush();
}

const postgres: ScaleTarget = {
  name: 'postgres',
  async unavailable() {
    const probe = await probeServer('postgres', SERVER_URLS.postgres);
    return probe.available ? undefined : probe.reason;
  },
  async open() {
    const table = `tessera_scale_${randomBytes(4).toString('hex')}`;
    const store = createPostgresStore({ url: SERVER_URLS.postgres, table });
    await store.ready();
    // Bulk rows through unnest(): the store's own table, filled 5,000 rows a statement.
    const insert = `INSERT INTO "${table}" (key, data, created_at, expires_at, user_id)
      SELECT * FROM unnest($1::text[], $2::jsonb[], $3::bigint[], $4::bigint[], $5::text[])`;
    return {
      store,
      async fill(records, onProgress) {
        await insertInBatches(records, onProgress, async (batch) => {
          await store.pool.query(insert, [
            batch.map(([key]) => key),
            batch.map(([, r]) => JSON.stringify(r.data)),
            batch.map(([, r]) => r.createdAt),
            batch.map(([, r]) => r.expiresAt),
            batch.map(([, r]) => r.userId),
          ]);
        });
        // As after any bulk load: statistics and the visibility map now, and the
        // load's WAL flushed, rather than autovacuum and a checkpoint during the reads.
        await store.pool.query(`VACUUM (ANALYZE) "${table}"`);
        await store.pool.query('CHECKPOINT');
      },
      async describeServer() {
        const { rows } = await store.pool.query(
          "SELECT version() AS version, current_setting('shared_buffers') AS shared_buffers",
        );
        return {
          version: String(rows[0]?.version),
          shared_buffers: String(rows[0]?.shared_buffers),
        };
      },
      async close() {
        await store.pool.query(`DROP TABLE IF EXISTS "${table}"`);
        await store.close();
      },
    };
  },
};

const mysql: ScaleTarget = {
  name: 'mysql',
  async unavailable() {
    const probe = await probeServer('mysql', SERVER_URLS.mysql);
    return probe.available ? undefined : probe.reason;
  },
  async open() {
    const table = `tessera_scale_${randomBytes(4).toString('hex')}`;
    const store = createMysqlStore({ url: SERVER_URLS.mysql, table });
    await store.ready();
    // Bulk rows: the store's own table, 5,000 rows a multi-row INSERT (mysql2 expands `VALUES ?`).
    const insert = `INSERT INTO \`${table}\` (\`key\`, data, created_at, expires_at, user_id) VALUES ?`;
    return {
      store,
      async fill(records, onProgress) {
        await insertInBatches(records, onProgress, async (batch) => {
          await store.pool.query(insert, [
            batch.map(([key, r]) => [
              key,
              JSON.stringify(r.data),
              r.createdAt,
              r.expiresAt,
              r.userId,
            ]),
          ]);
        });
        // As after any bulk load: fresh index statistics for the optimizer.
        await store.pool.query(`ANALYZE TABLE \`${table}\``);
      },
      async describeServer() {
        // InnoDB reads through its own buffer pool (O_DIRECT), not the OS cache:
        // the overview's speed depends on whether the indexes fit in it.
        const [rows] = await store.pool.query(
          'SELECT VERSION() AS version, @@innodb_buffer_pool_size AS pool',
        );
        const [row] = rows as Array<{ version: string; pool: number | string }>;
        return {
          version: String(row?.version),
          innodb_buffer_pool_size: `${Math.round(Number(row?.pool) / 1048576)} MiB`,
        };
      },
      async close() {
        await store.pool.query(`DROP TABLE IF EXISTS \`${table}\``);
        await store.close();
      },
    };
  },
};

export const SCALE_TARGETS: readonly ScaleTarget[] = [sqlite, postgres, mysql];
