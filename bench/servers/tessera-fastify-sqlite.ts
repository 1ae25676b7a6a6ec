/** Tessera's Fastify plugin with its SQLite store on a temporary file. */
import { getSession, tesseraSession } from '../../src/adapters/fastify/index.js';
import { createSqliteStore } from '../../src/stores/sqlite/index.js';
import { startFastifyBenchServer } from './fastify-app.js';

interface CounterData {
  counter: number;
}

const path = process.env.SQLITE_PATH;
if (!path) throw new Error('SQLITE_PATH must be set');
await startFastifyBenchServer({
  // The app's onClose closes the store.
  register: (app) => app.register(tesseraSession, { store: createSqliteStore({ path }) }),
  counter: {
    hit(request) {
      const session = getSession<CounterData>(request);
      const counter = session.get('counter', 0) + 1;
      session.set('counter', counter);
      return counter;
    },
    read: (request) => getSession<CounterData>(request).get('counter', 0),
  },
});
