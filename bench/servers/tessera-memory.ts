/** Tessera on Express with its in-process memory store. */
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { startTesseraServer } from './tessera-express.js';

startTesseraServer(createMemoryStore({ maxEntries: 100_000 }));
