/**
 * express-session with better-sqlite3-session-store on a temporary file, with
 * the pragmas Tessera's SQLite store sets on its own database (WAL, NORMAL
 * sync), so both pay the same durability cost.
 */
import Database from 'better-sqlite3';
import connectSqlite from 'better-sqlite3-session-store';
import session from 'express-session';
import { startBenchServer } from './express-app.js';
import { expressSessionCounter, expressSessionOptions } from './express-session-counter.js';

const path = process.env.SQLITE_PATH;
if (!path) throw new Error('SQLITE_PATH must be set');
const db = new Database(path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
const SqliteStore = connectSqlite(session);

startBenchServer({
  middleware: [session({ ...expressSessionOptions, store: new SqliteStore({ client: db }) })],
  counter: expressSessionCounter,
  close: () => db.close(),
});
