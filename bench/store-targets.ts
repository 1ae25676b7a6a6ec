/**
 * The stores `bench/stores.ts` measures, each beside its raw driver running
 * the same commands the store sends (the store's own SQL or Redis commands,
 * written out by hand without the store's code around them).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { createClient } from 'redis';
import type { SessionDelta, SessionRecord, SessionStore } from '../src/core/store.js';
import { createMysqlStore } from '../src/stores/mysql/index.js';
import { createPostgresStore } from '../src/stores/postgres/index.js';
import { createRedisStore } from '../src/stores/redis/index.js';
import { createKeyLayout, dataField } from '../src/stores/redis/keys.js';
import { decodeRecord } from '../src/stores/redis/record-codec.js';
import { UPDATE_SCRIPT } from '../src/stores/redis/scripts.js';
import { createSqliteStore } from '../src/stores/sqlite/index.js';
import { probeServer, SERVER_URLS } from '../test/helpers/server-probe.js';

/** What is measured on each side. */
export interface Operations {
  read(key: string): unknown;
  write(key: string, delta: SessionDelta): unknown;
}

export interface OpenedStoreTarget {
  /** The store, for seeding; its `read`/`update` are the measured store side. */
  store: SessionStore & Operations;
  /** The same commands through the driver directly. */
  raw: Operations;
  /** What the raw side does, for the report. */
  description: string;
  close(): Promise<void>;
}

export interface StoreBenchTarget {
  name: string;
  unavailable(): Promise<string | undefined>;
  open(workDir: string): Promise<OpenedStoreTarget>;
}

/** A store seen through the two measured operations. */
function storeOperations(store: SessionStore): SessionStore & Operations {
  return Object.assign(Object.create(store) as SessionStore, {
    read: (key: string) => store.read(key),
    write: (key: string, delta: SessionDelta) => store.update(key, delta),
  });
}

const sqlite: StoreBenchTarget = {
  name: 'sqlite',
  unavailable: async () => undefined,
  async open(workDir) {
    const store = createSqliteStore({ path: join(workDir, 'stores.db') });
    const db = store.connection;
    const select = db.prepare(
      'SELECT key, data, created_at, expires_at, user_id FROM tessera_sessions WHERE key = ? AND expires_at > ?',
    );
    const update = db.prepare(
      `UPDATE tessera_sessions SET data = json_set(data, ?, json(?)), expires_at = ?,
         user_id = CASE WHEN ? THEN ? ELSE user_id END WHERE key = ? AND expires_at > ?`,
    );
    return {
      store: storeOperations(store),
      description:
        'better-sqlite3/node:sqlite: the same SELECT + JSON.parse, the same json_set UPDATE',
      raw: {
        read(key) {
          const row = select.get(key, Date.now()) as { data: string } | undefined;
          if (row === undefined) return null;
          const record: SessionRecord = {
            ...(row as unknown as SessionRecord),
            data: JSON.parse(row.data),
          };
          return record;
        },
        write(key, delta) {
          const [name] = Object.keys(delta.set);
          const result = update.run(
            `$."${name}"`,
            JSON.stringify(delta.set[name!]),
            delta.expiresAt,
            0,
            null,
            key,
            Date.now(),
          );
          return Number(result.changes) === 1;
        },
      },
      close: async () => store.close(),
    };
  },
};

const KEEP_EXPIRED_MS = 5 * 60_000;

const redis: StoreBenchTarget = {
  name: 'redis',
  async unavailable() {
    const probe = await probeServer('redis', SERVER_URLS.redis);
    return probe.available ? undefined : probe.reason;
  },
  async open() {
    const prefix = `tessera-bench-${randomBytes(4).toString('hex')}:`;
    const store = createRedisStore({ url: SERVER_URLS.redis, prefix });
    await store.ready();
    const client = createClient({ url: SERVER_URLS.redis });
    await client.connect();
    const keys = createKeyLayout(prefix);
    await client.sendCommand(['SCRIPT', 'LOAD', UPDATE_SCRIPT.source]);
    return {
      store: storeOperations(store),
      description: 'node-redis client: the same HGETALL + decode, the same EVALSHA update script',
      raw: {
        async read(key) {
          const sessionKey = keys.session(key);
          return decodeRecord(await client.sendCommand(['HGETALL', sessionKey]), Date.now());
        },
        async write(key, delta) {
          const args: string[] = [];
          for (const name of Object.keys(delta.set)) {
            args.push(dataField(name), JSON.stringify(delta.set[name]));
          }
          const now = Date.now();
          const reply = await client.sendCommand([
            'EVALSHA',
            UPDATE_SCRIPT.sha1,
            '1',
            keys.session(key),
            String(now),
            String(delta.expiresAt),
            String(delta.expiresAt + KEEP_EXPIRED_MS),
            'keep',
            '',
            '0',
            ...args,
          ]);
          return Array.isArray(reply) && Number(reply[0]) === 1;
        },
      },
      async close() {
        for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
          if (batch.length > 0) await client.del(batch);
        }
        await client.close();
        await store.close();
      },
    };
  },
};

const postgres: StoreBenchTarget = {
  name: 'postgres',
  async unavailable() {
    const probe = await probeServer('postgres', SERVER_URLS.postgres);
    return probe.available ? undefined : probe.reason;
  },
  async open() {
    const table = `tessera_bench_${randomBytes(4).toString('hex')}`;
    const store = createPostgresStore({ url: SERVER_URLS.postgres, table });
    await store.ready();
    const pool = new pg.Pool({ connectionString: SERVER_URLS.postgres, max: 10 });
    const select = {
      name: 'raw-select',
      text: `SELECT data::text AS data, created_at, expires_at, user_id FROM "${table}" WHERE key = $1 AND expires_at > $2`,
    };
    const update = {
      name: 'raw-update',
      text: `UPDATE "${table}" SET data = (data - $2::text[]) || $3::jsonb, expires_at = $4,
               user_id = CASE WHEN $5::boolean THEN $6::text ELSE user_id END
             WHERE key = $1 AND expires_at > $7`,
    };
    return {
      store: storeOperations(store),
      description:
        'pg Pool (10 connections, as the store): the same named SELECT + JSON.parse, the same jsonb UPDATE',
      raw: {
        async read(key) {
          const { rows } = await pool.query({ ...select, values: [key, Date.now()] });
          const row = rows[0] as
            | { data: string; created_at: string; expires_at: string; user_id: string | null }
            | undefined;
          if (row === undefined) return null;
          return {
            data: JSON.parse(row.data),
            createdAt: Number(row.created_at),
            expiresAt: Number(row.expires_at),
            userId: row.user_id,
          } satisfies SessionRecord;
        },
        async write(key, delta) {
          const result = await pool.query({
            ...update,
            values: [
              key,
              delta.remove,
              JSON.stringify(delta.set),
              delta.expiresAt,
              false,
              null,
              Date.now(),
            ],
          });
          return result.rowCount === 1;
        },
      },
      async close() {
        await pool.query(`DROP TABLE IF EXISTS "${table}"`);
        await pool.end();
        await store.close();
      },
    };
  },
};

const mysqlTarget: StoreBenchTarget = {
  name: 'mysql',
  async unavailable() {
    const probe = await probeServer('mysql', SERVER_URLS.mysql);
    return probe.available ? undefined : probe.reason;
  },
  async open() {
    const table = `tessera_bench_${randomBytes(4).toString('hex')}`;
    const store = createMysqlStore({ url: SERVER_URLS.mysql, table });
    await store.ready();
    const pool = mysql.createPool({ uri: SERVER_URLS.mysql, connectionLimit: 10 });
    const select = `SELECT CAST(data AS CHAR CHARACTER SET utf8mb4) AS data, created_at, expires_at, user_id FROM \`${table}\` WHERE \`key\` = ? AND expires_at > ?`;
    const update = `UPDATE \`${table}\` SET data = JSON_SET(data, ?, JSON_EXTRACT(?, '$')), expires_at = ? WHERE \`key\` = ? AND expires_at > ?`;
    return {
      store: storeOperations(store),
      description:
        'mysql2 pool (10 connections): the same prepared SELECT + JSON.parse, the same JSON_SET UPDATE',
      raw: {
        async read(key) {
          const [rows] = await pool.execute(select, [key, Date.now()]);
          const row = (
            rows as {
              data: string;
              created_at: number;
              expires_at: number;
              user_id: string | null;
            }[]
          )[0];
          if (row === undefined) return null;
          return {
            data: JSON.parse(row.data),
            createdAt: Number(row.created_at),
            expiresAt: Number(row.expires_at),
            userId: row.user_id,
          } satisfies SessionRecord;
        },
        async write(key, delta) {
          const [name] = Object.keys(delta.set);
          const [result] = await pool.execute(update, [
            `$."${name}"`,
            JSON.stringify(delta.set[name!]),
            delta.expiresAt,
            key,
            Date.now(),
          ]);
          return (result as { affectedRows: number }).affectedRows === 1;
        },
      },
      async close() {
        await pool.query(`DROP TABLE IF EXISTS \`${table}\``);
        await pool.end();
        await store.close();
      },
    };
  },
};

export const STORE_BENCH_TARGETS: readonly StoreBenchTarget[] = [
  sqlite,
  redis,
  postgres,
  mysqlTarget,
];
