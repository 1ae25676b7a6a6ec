/** The express-session drop-in with its default store: the express-session-compatible MemoryStore (a callback store). */
import { startDropInServer } from './dropin-express.js';

startDropInServer(undefined);
