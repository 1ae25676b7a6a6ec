/** The package ships no types (0.1.0 removed them). */
declare module 'better-sqlite3-session-store' {
  import type { Database } from 'better-sqlite3';
  import type session from 'express-session';

  interface SqliteStoreOptions {
    client: Database;
    expired?: { clear?: boolean; intervalMs?: number };
  }
  type SqliteStoreClass = new (options: SqliteStoreOptions) => session.Store;

  export default function connect(expressSession: typeof session): SqliteStoreClass;
}
