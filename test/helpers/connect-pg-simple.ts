/**
 * connect-pg-simple (an express-session store with no types of its own) on
 * the shared PostgreSQL, in a schema of its own: it names its index
 * `IDX_session_expire` whatever the table, so two of its tables in one schema
 * collide.
 *
 * ```ts
 * const legacy = openConnectPgSimple(`tessera_x_${RUN}`);
 * beforeAll(() => legacy.createSchema());
 * afterAll(() => legacy.close());
 * ```
 *
 * @module
 */
import { createRequire } from 'node:module';
import session from 'express-session';
import pg from 'pg';
import type { ExpressSessionStoreLike } from '../../src/stores/express-session/index.js';
import { SERVER_URLS } from './servers.js';

/** The part of connect-pg-simple's store the specs use. */
export interface ConnectPgSimpleStore extends ExpressSessionStoreLike {
  close(): Promise<void>;
}

type ConnectPgSimpleClass = new (options: {
  pool: pg.Pool;
  schemaName: string;
  createTableIfMissing: boolean;
  pruneSessionInterval: false;
}) => ConnectPgSimpleStore;

const require = createRequire(import.meta.url);
const connectPgSimple = require('connect-pg-simple') as (
  module: typeof session,
) => ConnectPgSimpleClass;

/** A connect-pg-simple store, its pool and its schema. */
export interface LegacyPostgres {
  readonly schema: string;
  readonly pool: pg.Pool;
  readonly store: ConnectPgSimpleStore;
  /** Creates the schema; the store creates its table on first use. */
  createSchema(): Promise<void>;
  /** Closes the store, drops the schema with everything in it, ends the pool. */
  close(): Promise<void>;
}

/** A connect-pg-simple store in `schema`, never pruning on its own (the specs decide what expires). */
export function openConnectPgSimple(schema: string, { max = 4 } = {}): LegacyPostgres {
  const pool = new pg.Pool({ connectionString: SERVER_URLS.postgres, max });
  const store = new (connectPgSimple(session))({
    pool,
    schemaName: schema,
    createTableIfMissing: true,
    pruneSessionInterval: false,
  });
  return {
    schema,
    pool,
    store,
    async createSchema() {
      await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    },
    async close() {
      await store.close();
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
    },
  };
}
