/**
 * The stores `bench/scale.ts` grows to a million sessions, and how each is
 * filled fast (in bulk, not one request at a time: the fill is set-up, not
 * what is measured).
 */
import { join } from 'node:path';
import type { SessionRecord, SessionStore } from '../src/core/store.js';
import { createSqliteStore } from '../src/stores/sqlite/index.js';

export interface OpenedTarget {
  store: SessionStore;
  /** Adds the records, reporting progress now and then. */
  fill(
    records: Iterable<[string, SessionRecord]>,
    onProgress?: (done: number) => void,
  ): Promise<void>;
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

export const SCALE_TARGETS: readonly ScaleTarget[] = [sqlite];
