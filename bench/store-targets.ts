/**
 * The stores `bench/stores.ts` measures, each beside its raw driver running
 * the same commands the store sends (the store's own SQL or Redis commands,
 * written out by hand without the store's code around them).
 */
import { join } from 'node:path';
import type { SessionDelta, SessionRecord, SessionStore } from '../src/core/store.js';
import { createSqliteStore } from '../src/stores/sqlite/index.js';

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

export const STORE_BENCH_TARGETS: readonly StoreBenchTarget[] = [sqlite];
