/**
 * Running the demo app in-process for a test file, on a store of its own.
 *
 * @module
 */
import { createDemoApp } from '../../examples/demo/app.js';
import type { SessionStore } from '../../src/core/store.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { createSqliteStore } from '../../src/stores/sqlite/index.js';
import { CookieJarClient } from './cookie-jar-client.js';
import { listen } from './listen.js';
import { createTempDir } from './temp-dir.js';

export interface RunningDemo {
  baseUrl: string;
  store: SessionStore;
  /** A new client with an empty cookie jar: a new visitor. */
  client(): CookieJarClient;
  /** Stops the server, closes the store and removes its files. */
  close(): Promise<void>;
}

/**
 * Starts the demo on 127.0.0.1 with a memory store, or with SQLite in a
 * temporary file (removed by `close()`).
 */
export async function startDemoApp(
  options: { store?: 'memory' | 'sqlite' } = {},
): Promise<RunningDemo> {
  const dir = options.store === 'sqlite' ? await createTempDir('tessera-demo-') : undefined;
  const store = dir ? createSqliteStore({ path: dir.file('sessions.db') }) : createMemoryStore();
  const server = await listen(createDemoApp({ store }));
  return {
    baseUrl: server.baseUrl,
    store,
    client: () => new CookieJarClient(server.baseUrl),
    close: async () => {
      await server.close();
      await store.close?.();
      await dir?.remove();
    },
  };
}
