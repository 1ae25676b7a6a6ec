/** Express with no session middleware: the baseline for the Express competitors. */
import { startBenchServer } from './express-app.js';

startBenchServer({
  middleware: [],
  counter: { hit: () => 0, read: () => 0 },
});
