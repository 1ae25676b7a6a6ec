/**
 * The node-postgres pool the store talks through: the one it creates from a
 * URL (settings that make a down server fail fast), or the one it was given.
 * The only file of the store that loads the driver.
 *
 * @module
 */

import pg, { type Pool } from 'pg';
import { maskStoreUrl } from '../mask-url.js';
import type { ResolvedPostgresStoreOptions } from './options.js';

/** The pool in use and who owns it. */
export interface StorePool {
  readonly pool: Pool;
  /** Whether the store created the pool, and so ends it on close. */
  readonly owned: boolean;
  /** The server, for messages: the URL with its password masked. */
  readonly target: string;
  /** How long connecting may take, as the pool is set; `undefined` for no limit. */
  readonly connectionTimeoutMillis: number | undefined;
  /** Stops listening for the pool's errors and, when the store owns it, ends it. */
  release(): Promise<void>;
}

/** Creates the pool from `url`, or wraps the given one; attaches the error listener. */
export function openStorePool(options: ResolvedPostgresStoreOptions): StorePool {
  const owned = options.pool === undefined;
  const pool =
    options.pool ??
    new pg.Pool({
      connectionString: options.url,
      max: options.maxConnections,
      // Fail fast when the server is down or unreachable: connecting, and
      // waiting for a free connection, both give up after this long.
      connectionTimeoutMillis: options.connectionTimeoutMillis,
      // The server cancels a statement that runs too long; the client-side
      // limit (`query_timeout`) is set on every query, for given pools too.
      statement_timeout: options.queryTimeoutMillis,
      // Notice a peer that vanished (network cut) on idle connections.
      keepAlive: true,
      application_name: 'tessera-session',
    });
  // pg's Pool re-emits the error of an idle client (server restart, network
  // cut) and, like any EventEmitter, crashes the process when nobody listens
  // (node-postgres docs, "Pool: error event").
  const onError = (error: Error) => options.onError?.(error);
  const listening = owned || options.onError !== undefined;
  if (listening) pool.on('error', onError);
  let released = false;
  return {
    pool,
    owned,
    target: describeTarget(options.url, pool),
    connectionTimeoutMillis: owned
      ? options.connectionTimeoutMillis
      : (pool as { options?: Partial<pg.PoolConfig> }).options?.connectionTimeoutMillis,
    async release() {
      if (released) return;
      released = true;
      if (!owned) {
        if (listening) pool.off('error', onError);
        return;
      }
      // The listener stays: a client erroring while the pool shuts down must not crash the process.
      await pool.end();
    },
  };
}

/** `postgres://user:***@host:port/database`, from the URL or from a given pool's settings. */
function describeTarget(url: string | undefined, pool: Pool): string {
  if (url !== undefined) return maskStoreUrl(url);
  const settings = (pool as { options?: Partial<pg.PoolConfig> }).options ?? {};
  if (typeof settings.connectionString === 'string') return maskStoreUrl(settings.connectionString);
  const user = settings.user ?? pg.defaults.user ?? '';
  const host = settings.host ?? pg.defaults.host ?? 'localhost';
  const port = settings.port ?? pg.defaults.port ?? 5432;
  const database = settings.database ?? pg.defaults.database ?? '';
  const password = settings.password === undefined ? '' : ':***';
  return `postgres://${user}${password}@${host}:${port}/${database} (the given pool)`;
}
