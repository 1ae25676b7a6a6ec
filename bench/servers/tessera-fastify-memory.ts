/** Tessera's Fastify plugin with its in-process memory store. */
import { getSession, tesseraSession } from '../../src/adapters/fastify/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { startFastifyBenchServer } from './fastify-app.js';

interface CounterData {
  counter: number;
}

await startFastifyBenchServer({
  register: (app) =>
    app.register(tesseraSession, { store: createMemoryStore({ maxEntries: 100_000 }) }),
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
