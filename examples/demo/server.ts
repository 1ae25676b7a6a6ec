/**
 * Starts the demo: `npm start`.
 *
 * Environment:
 * - `PORT`: the port to listen on (default 3000).
 * - `SESSION_STORE`: a store URL such as `sqlite:./sessions.db` or `memory:`;
 *   by default the library's SQLite store at `.tessera/sessions.db`.
 *
 * @module
 */
import type { SessionStore } from '../../src/core/store.js';
import { createStoreFromUrl } from '../../src/stores/index.js';
import { createDemoApp } from './app.js';

const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, got ${JSON.stringify(process.env.PORT)}`);
  process.exit(1);
}

const storeUrl = process.env.SESSION_STORE;
let store: SessionStore | undefined;
try {
  // Fail fast at startup, with one line and no stack trace: an unknown scheme,
  // a malformed URL, a missing driver, an unreachable server or bad credentials
  // are named here (password masked) rather than as 503s on the first requests.
  store = storeUrl ? await createStoreFromUrl(storeUrl) : undefined;
  await store?.ready?.();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  await store?.close?.();
  process.exit(1);
}
const app = createDemoApp(store ? { store } : {});

const server = app.listen(port, (error?: Error) => {
  if (error) {
    console.error(`Cannot listen on port ${port}: ${error.message}`);
    process.exit(1);
  }
  const address = server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : port;
  console.log(`Tessera demo listening on http://localhost:${actualPort}`);
});

function shutDown(): void {
  server.close(async () => {
    await store?.close?.();
    process.exit(0);
  });
  server.closeAllConnections();
}

process.once('SIGINT', shutDown);
process.once('SIGTERM', shutDown);
