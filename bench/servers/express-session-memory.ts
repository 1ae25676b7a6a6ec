/** express-session with its default MemoryStore. */
import session from 'express-session';
import { startBenchServer } from './express-app.js';
import { expressSessionCounter, expressSessionOptions } from './express-session-counter.js';

startBenchServer({
  middleware: [session({ ...expressSessionOptions, store: new session.MemoryStore() })],
  counter: expressSessionCounter,
});
