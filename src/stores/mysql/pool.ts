/**
 * The mysql2 pool a store works through: one it opens from a URL (and closes),
 * or one the application passes in (and keeps).
 *
 * @module
 */

import { createPool, type Pool } from 'mysql2/promise';
import { SessionConfigError } from '../../core/errors.js';
import { maskStoreUrl } from '../mask-url.js';
import type { MysqlPool } from './options.js';

/** mysql2's client capability flag that makes `affectedRows` count matched rows (protocol constant). */
const CLIENT_FOUND_ROWS = 2;

/** The pool in use, whoever opened it. */
export interface StorePool {
  /** The promise API of the pool. */
  readonly pool: Pool;
  /** Whether the store opened the pool, and so closes it. */
  readonly owned: boolean;
  /** Where the pool connects, for messages: the URL with its password masked. */
  readonly location: string;
  /** The URL with its password masked; undefined for a pool passed in. */
  readonly maskedUrl: string | undefined;
  /** Ends the pool if the store opened it; a pool passed in is left open. */
  close(): Promise<void>;
}

/** The parts of mysql2's connection configuration read here (not in its typings). */
interface ConnectionSettings {
  host?: unknown;
  port?: unknown;
  user?: unknown;
  database?: unknown;
  socketPath?: unknown;
  clientFlags?: unknown;
}

interface EventEmitterLike {
  on(event: 'error', listener: (error: unknown) => void): unknown;
}

/** The parts of mysql2's pool read here (not in its typings). */
interface PoolInternals {
  pool?: {
    config?: { connectionConfig?: ConnectionSettings };
    /** Emitted with each new core (callback) connection. */
    on?: (event: 'connection', listener: (connection: EventEmitterLike) => void) => unknown;
  };
}

/**
 * Opens a pool on `url`. Connecting is bounded by `connectTimeout`. Errors of
 * connections nobody is using (lost while idle) go to `onError`: mysql2 only
 * drops such a connection from the pool, and the application would never know.
 */
export function openPool(
  url: string,
  settings: { connectTimeout: number; onError: (error: unknown) => void },
): StorePool {
  const pool = createPool({
    uri: url,
    connectTimeout: settings.connectTimeout,
    // JSON text is UTF-8; utf8mb4 keeps emoji and other 4-byte characters.
    charset: 'utf8mb4',
    // Keepalive probes find a silently dropped connection in a minute, not the OS's two hours.
    enableKeepAlive: true,
    keepAliveInitialDelay: 30_000,
  });
  (pool as PoolInternals).pool?.on?.('connection', (connection) => {
    connection.on('error', (error: unknown) => settings.onError(error));
  });
  let closing: Promise<void> | undefined;
  return {
    pool,
    owned: true,
    location: maskStoreUrl(url),
    maskedUrl: maskStoreUrl(url),
    close: () => {
      closing ??= pool.end();
      return closing;
    },
  };
}

/**
 * Uses a pool the application opened. Refuses one whose connections drop
 * `FOUND_ROWS`: without it an UPDATE that changes nothing answers 0 rows, and
 * an update of an unchanged session would be taken for a missing one.
 */
export function adoptPool(given: MysqlPool): StorePool {
  const pool = isCallbackPool(given) ? given.promise() : given;
  const config = (pool as PoolInternals).pool?.config?.connectionConfig;
  if (typeof config?.clientFlags === 'number' && (config.clientFlags & CLIENT_FOUND_ROWS) === 0) {
    throw new SessionConfigError(
      'createMysqlStore: the pool in option "pool" was created without the FOUND_ROWS flag, which the store needs ' +
        'to tell an unchanged session from a missing one. Remove "-FOUND_ROWS" from the pool\'s "flags".',
    );
  }
  return {
    pool,
    owned: false,
    location: describeConfig(config),
    maskedUrl: undefined,
    close: async () => {},
  };
}

function isCallbackPool(pool: MysqlPool): pool is Extract<MysqlPool, { promise: unknown }> {
  return typeof (pool as { promise?: unknown }).promise === 'function';
}

/** A URL-like description of a pool's server (it holds no password). */
function describeConfig(settings: ConnectionSettings | undefined): string {
  if (settings === undefined) return 'the pool passed in option "pool"';
  const user = typeof settings.user === 'string' && settings.user !== '' ? `${settings.user}@` : '';
  const database = typeof settings.database === 'string' ? settings.database : '';
  const url =
    typeof settings.socketPath === 'string'
      ? `mysql://${user}localhost/${database}?socketPath=${settings.socketPath}`
      : `mysql://${user}${String(settings.host ?? 'localhost')}:${String(settings.port ?? 3306)}/${database}`;
  return `${url} (the pool passed in option "pool")`;
}
