/** Tessera's Express middleware with a given store, shared by the Tessera competitors. */
import { createSessionMiddleware, getSession } from '../../src/adapters/express/index.js';
import type { SessionStore } from '../../src/core/store.js';
import { startBenchServer } from './express-app.js';

interface CounterData {
  counter: number;
}

/** Serves the bench routes with Tessera on `store`; `cleanUp` runs on shutdown, before the store closes. */
export function startTesseraServer(store: SessionStore, cleanUp?: () => Promise<void>): void {
  const middleware = createSessionMiddleware({ store });
  startBenchServer({
    middleware: [middleware],
    counter: {
      hit(req) {
        const session = getSession<CounterData>(req);
        const counter = session.get('counter', 0) + 1;
        session.set('counter', counter);
        return counter;
      },
      read: (req) => getSession<CounterData>(req).get('counter', 0),
    },
    close: async () => {
      await cleanUp?.();
      await middleware.close();
    },
  });
}
