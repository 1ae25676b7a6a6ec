/** The express-session drop-in on Tessera's memory store (as `tessera-memory`: room for 100,000 sessions). */
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { startDropInServer } from './dropin-express.js';

startDropInServer(createMemoryStore({ maxEntries: 100_000 }));
