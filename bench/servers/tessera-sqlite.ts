/** Tessera on Express with its SQLite store on a temporary file. */
import { createSqliteStore } from '../../src/stores/sqlite/index.js';
import { startTesseraServer } from './tessera-express.js';

const path = process.env.SQLITE_PATH;
if (!path) throw new Error('SQLITE_PATH must be set');
startTesseraServer(createSqliteStore({ path }));
