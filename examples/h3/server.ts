/**
 * Serves the example on Node with h3's `serve()` (srvx): `PORT` and `HOST`
 * from the environment, sessions in SQLite at `SESSION_DB`.
 *
 * @module
 */
import { serve } from 'h3';
import { createSqliteStore } from 'tessera-session/stores/sqlite';
import { createApp } from './app.ts';

// The store creates the file's folder.
const database = process.env.SESSION_DB ?? '.data/sessions.sqlite';
const { app, close } = createApp(createSqliteStore({ path: database }));

const server = serve(app, { silent: true });
await server.ready();
console.log(`h3 example listening on ${server.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await server.close();
    await close();
    process.exit(0);
  });
}
