/**
 * Every server-side store, opened fresh for one test file and cleaned up
 * afterwards: memory, SQLite (temp file), file (temp dir), and Redis,
 * PostgreSQL, MySQL on the shared servers (`SERVER_URLS`) with a prefix or
 * table unique to the run. The server-backed ones carry their probe, so a
 * test gates them with `describeWithServer`.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { SessionStore } from '../../src/core/store.js';
import { createFileStore } from '../../src/stores/file/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { createSqliteStore } from '../../src/stores/sqlite/index.js';
import { probeServer, SERVER_URLS, type ServerProbe } from './servers.js';
import { createTempDir } from './temp-dir.js';

/** A store opened for a test, and how to remove everything it wrote. */
export interface OpenedStore {
  store: SessionStore;
  /** Closes the store and removes its data (temp dir, Redis keys, table). */
  cleanup(): Promise<void>;
}

/** One kind of server-side store. */
export interface StoreKind {
  name: string;
  /** The shared server it needs; `undefined` for the in-process stores. */
  probe: ServerProbe | undefined;
  open(): Promise<OpenedStore>;
}

const RUN = randomBytes(4).toString('hex');
let count = 0;
const unique = (label: string): string => `tessera_sec_${RUN}_${label}_${++count}`;

/** Probes the shared servers (once per test file) and lists every server-side store. */
export async function serverSideStores(): Promise<StoreKind[]> {
  const [redis, postgres, mysql] = await Promise.all([
    probeServer('redis', SERVER_URLS.redis),
    probeServer('postgres', SERVER_URLS.postgres),
    probeServer('mysql', SERVER_URLS.mysql),
  ]);
  return [
    {
      name: 'memory',
      probe: undefined,
      open: async () => {
        const store = createMemoryStore();
        return { store, cleanup: async () => store.close?.() };
      },
    },
    {
      name: 'sqlite',
      probe: undefined,
      open: async () => {
        const temp = await createTempDir('tessera-sec-sqlite-');
        const store = createSqliteStore({ path: temp.file('sessions.db') });
        return {
          store,
          cleanup: async () => {
            await store.close?.();
            await temp.remove();
          },
        };
      },
    },
    {
      name: 'file',
      probe: undefined,
      open: async () => {
        const temp = await createTempDir('tessera-sec-file-');
        const store = createFileStore({ directory: temp.file('sessions') });
        return {
          store,
          cleanup: async () => {
            await store.close?.();
            await temp.remove();
          },
        };
      },
    },
    {
      name: 'redis',
      probe: redis,
      open: async () => {
        const { createRedisStore } = await import('../../src/stores/redis/index.js');
        const { createClient } = await import('redis');
        const prefix = `${unique('redis')}:`;
        const store = createRedisStore({ url: SERVER_URLS.redis, prefix });
        return {
          store,
          cleanup: async () => {
            await store.close?.();
            const raw = createClient({ url: SERVER_URLS.redis });
            await raw.connect();
            for await (const keys of raw.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
              if (keys.length > 0) await raw.del(keys);
            }
            await raw.quit();
          },
        };
      },
    },
    {
      name: 'postgres',
      probe: postgres,
      open: async () => {
        const { createPostgresStore } = await import('../../src/stores/postgres/index.js');
        const pg = (await import('pg')).default;
        const table = unique('pg');
        const store = createPostgresStore({ url: SERVER_URLS.postgres, table });
        return {
          store,
          cleanup: async () => {
            await store.close?.();
            const admin = new pg.Client({ connectionString: SERVER_URLS.postgres });
            await admin.connect();
            await admin.query(`DROP TABLE IF EXISTS "${table}"`);
            await admin.end();
          },
        };
      },
    },
    {
      name: 'mysql',
      probe: mysql,
      open: async () => {
        const { createMysqlStore } = await import('../../src/stores/mysql/index.js');
        const mysql2 = (await import('mysql2/promise')).default;
        const table = unique('my');
        const store = createMysqlStore({ url: SERVER_URLS.mysql, table });
        return {
          store,
          cleanup: async () => {
            await store.close?.();
            const admin = await mysql2.createConnection(SERVER_URLS.mysql);
            await admin.query(`DROP TABLE IF EXISTS \`${table}\``);
            await admin.end();
          },
        };
      },
    },
  ];
}

/** Counts the store's reads (and the keys asked for), passing every call through. */
export function countingStore(inner: SessionStore): SessionStore & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    name: inner.name,
    read: (key) => {
      reads.push(key);
      return inner.read(key);
    },
    create: (key, record) => inner.create(key, record),
    update: (key, delta) => inner.update(key, delta),
    rotate: (oldKey, newKey, record) => inner.rotate(oldKey, newKey, record),
    touch: (key, expiresAt) => inner.touch(key, expiresAt),
    destroy: (key) => inner.destroy(key),
    clearExpired: () => inner.clearExpired(),
    close: () => inner.close?.(),
  };
}
