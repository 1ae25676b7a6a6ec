/**
 * Options of the MySQL / MariaDB store, their defaults and their checks.
 *
 * @module
 */

import type { Pool as CallbackPool } from 'mysql2';
import type { Pool } from 'mysql2/promise';
import { checkOptionKeys, optionKeys } from '../../core/check-option-keys.js';
import { SessionConfigError } from '../../core/errors.js';
import { describeValue } from '../describe-value.js';
import { maskStoreUrl } from '../mask-url.js';

/** A mysql2 pool: from `mysql2/promise`, or a callback pool from `mysql2` (its `.promise()` is used). */
export type MysqlPool = Pool | CallbackPool;

/** How {@link createMysqlStore} is configured. Pass exactly one of `url` and `pool`. */
export interface MysqlStoreOptions {
  /**
   * The server and database, e.g. `mysql://user:password@127.0.0.1:3306/app`
   * (`mariadb://` is the same). The store opens a mysql2 pool on it and closes
   * it in `close()`. mysql2's pool settings may be given as query parameters,
   * e.g. `?connectionLimit=20`; the store's own options may not (pass them as
   * options). Not allowed together with `pool`.
   *
   * @defaultValue none: pass `url` or `pool`
   */
  readonly url?: string | undefined;
  /**
   * A mysql2 pool you opened, used instead of opening one from `url`. The store
   * never closes it (close only what you opened) and adds no listener to it. It
   * must keep mysql2's default `FOUND_ROWS` flag and a `utf8mb4` charset (the
   * defaults). Not allowed together with `url`.
   *
   * @defaultValue none: pass `url` or `pool`
   */
  readonly pool?: MysqlPool | undefined;
  /**
   * The table holding sessions: letters, digits and underscores, not starting
   * with a digit, at most 64 characters.
   *
   * @defaultValue `'tessera_sessions'`
   */
  readonly table?: string | undefined;
  /**
   * Whether the store creates its table (and indexes) on first use, or in
   * `ready()`, when it is missing. With `false`, a missing table is an error
   * that tells how to create it: `npx tessera-session migrate --store <url>`, or `migrate()`.
   *
   * @defaultValue `true`
   */
  readonly createTable?: boolean | undefined;
  /**
   * Milliseconds to wait for a new connection (TCP and handshake) before
   * failing, so an unreachable server fails requests fast. Only for a pool the
   * store opens from `url`; set `connectTimeout` on a pool you pass yourself.
   *
   * @defaultValue `2_000`
   */
  readonly connectTimeout?: number | undefined;
  /**
   * Milliseconds one operation may take, waiting for a free connection
   * included. Past it the operation rejects and its connection is destroyed
   * (a statement that never answers would otherwise hold it forever).
   *
   * @defaultValue `5_000`
   */
  readonly queryTimeout?: number | undefined;
  /**
   * Called with errors of the store's own pool that no operation is waiting
   * for, such as a connection lost while idle. The pool replaces such
   * connections by itself. Ignored with `pool` (its events are yours).
   *
   * @defaultValue a function that ignores the error
   */
  readonly onError?: ((error: unknown) => void) | undefined;
  /**
   * The clock, in milliseconds since the epoch, used to decide expiry.
   * Replace it in tests to move time without waiting.
   *
   * @defaultValue `() => Date.now()`
   */
  readonly now?: (() => number) | undefined;
}

/** Defaults of {@link MysqlStoreOptions} (`url` and `pool` have none). */
export const DEFAULT_MYSQL_STORE_OPTIONS: Readonly<{
  table: string;
  createTable: boolean;
  connectTimeout: number;
  queryTimeout: number;
  /** Told about errors the store handled without failing an operation. */
  onError: (error: unknown) => void;
  /** The clock, in milliseconds since the epoch. */
  now: () => number;
}> = Object.freeze({
  table: 'tessera_sessions',
  createTable: true,
  connectTimeout: 2_000,
  queryTimeout: 5_000,
  onError: () => {},
  // A wrapper rather than `Date.now` itself, so fake timers installed later are honoured.
  now: () => Date.now(),
});

/** The options a MySQL store runs with once defaults are filled in. */
export type ResolvedMysqlStoreOptions = Readonly<{
  url: string | undefined;
  pool: MysqlPool | undefined;
  table: string;
  createTable: boolean;
  connectTimeout: number;
  queryTimeout: number;
  /** Told about errors the store handled without failing an operation. */
  onError: (error: unknown) => void;
  /** The clock, in milliseconds since the epoch. */
  now: () => number;
}>;

/** The keys of {@link MysqlStoreOptions}: those of {@link DEFAULT_MYSQL_STORE_OPTIONS}, and `url` and `pool`. */
const OPTION_KEYS = optionKeys<MysqlStoreOptions>()(DEFAULT_MYSQL_STORE_OPTIONS, ['url', 'pool']);

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const SCHEMES = ['mysql:', 'mariadb:'];
/** Store options that store URLs may carry as query parameters (see `from-url.ts`). */
export const STORE_PARAMETERS: readonly string[] = Object.freeze([
  'table',
  'createTable',
  'connectTimeout',
  'queryTimeout',
]);
// setTimeout fires at once for delays above 2^31 - 1 ms.
const MAX_TIMEOUT = 2_147_483_647;

/** Merges `options` over the defaults (without changing `options`) and checks the result. */
export function resolveMysqlStoreOptions(options: MysqlStoreOptions): ResolvedMysqlStoreOptions {
  if (options === null || typeof options !== 'object') {
    throw new SessionConfigError(
      'createMysqlStore: pass an options object with "url" (e.g. "mysql://user:password@127.0.0.1:3306/app") or "pool".',
    );
  }
  checkOptionKeys(options, OPTION_KEYS, 'createMysqlStore()', { scope: 'store' });
  const resolved: ResolvedMysqlStoreOptions = {
    url: options.url,
    pool: options.pool,
    table: options.table ?? DEFAULT_MYSQL_STORE_OPTIONS.table,
    createTable: options.createTable ?? DEFAULT_MYSQL_STORE_OPTIONS.createTable,
    connectTimeout: options.connectTimeout ?? DEFAULT_MYSQL_STORE_OPTIONS.connectTimeout,
    queryTimeout: options.queryTimeout ?? DEFAULT_MYSQL_STORE_OPTIONS.queryTimeout,
    onError: options.onError ?? DEFAULT_MYSQL_STORE_OPTIONS.onError,
    now: options.now ?? DEFAULT_MYSQL_STORE_OPTIONS.now,
  };
  checkSource(resolved, options.connectTimeout !== undefined);
  if (typeof resolved.table !== 'string' || !TABLE_NAME.test(resolved.table)) {
    throw new SessionConfigError(
      `createMysqlStore: option "table" must be a plain SQL name (letters, digits, underscores; not starting with a digit; at most 64 characters), got ${describeValue(resolved.table)}. ` +
        'Pass a name such as "tessera_sessions", or leave it out for the default.',
    );
  }
  if (typeof resolved.createTable !== 'boolean') {
    throw new SessionConfigError(
      `createMysqlStore: option "createTable" must be true or false, got ${describeValue(resolved.createTable)}.`,
    );
  }
  checkTimeout('connectTimeout', resolved.connectTimeout);
  checkTimeout('queryTimeout', resolved.queryTimeout);
  if (typeof resolved.onError !== 'function') {
    throw new SessionConfigError(
      `createMysqlStore: option "onError" must be a function taking the error, got ${describeValue(resolved.onError)}. ` +
        'Leave it out to ignore background errors.',
    );
  }
  if (typeof resolved.now !== 'function') {
    throw new SessionConfigError(
      `createMysqlStore: option "now" must be a function returning milliseconds since the epoch, got ${describeValue(resolved.now)}. ` +
        'Leave it out to use Date.now().',
    );
  }
  return Object.freeze(resolved);
}

/** Exactly one of `url` and `pool`, each well-formed. */
function checkSource(resolved: ResolvedMysqlStoreOptions, connectTimeoutGiven: boolean): void {
  const { url, pool } = resolved;
  if (url !== undefined && pool !== undefined) {
    throw new SessionConfigError(
      'createMysqlStore: options "url" and "pool" exclude each other. ' +
        'Pass "url" to let the store open (and close) its pool, or "pool" to use one you opened.',
    );
  }
  if (url === undefined && pool === undefined) {
    throw new SessionConfigError(
      'createMysqlStore: pass option "url" (e.g. "mysql://user:password@127.0.0.1:3306/app") or option "pool" (a mysql2 pool you opened).',
    );
  }
  if (pool !== undefined) {
    if (typeof (pool as Partial<Pool>).getConnection !== 'function') {
      throw new SessionConfigError(
        `createMysqlStore: option "pool" must be a mysql2 pool (from createPool() of "mysql2" or "mysql2/promise"), got ${describeValue(pool)}.`,
      );
    }
    if (connectTimeoutGiven) {
      throw new SessionConfigError(
        'createMysqlStore: option "connectTimeout" applies only to a pool the store opens from "url". ' +
          'Set connectTimeout on the pool you pass in "pool" instead.',
      );
    }
    return;
  }
  if (typeof url !== 'string' || url === '') {
    throw new SessionConfigError(
      `createMysqlStore: option "url" must be a URL such as "mysql://user:password@127.0.0.1:3306/app", got ${describeValue(url)}.`,
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SessionConfigError(
      `createMysqlStore: option "url" (${JSON.stringify(maskStoreUrl(url))}) is not a URL; use e.g. "mysql://user:password@127.0.0.1:3306/app".`,
    );
  }
  if (!SCHEMES.includes(parsed.protocol)) {
    throw new SessionConfigError(
      `createMysqlStore: option "url" (${JSON.stringify(maskStoreUrl(url))}) must start with "mysql://" or "mariadb://".`,
    );
  }
  if (parsed.hostname === '' && !parsed.searchParams.has('socketPath')) {
    throw new SessionConfigError(
      `createMysqlStore: option "url" (${JSON.stringify(maskStoreUrl(url))}) names no host; use e.g. "mysql://user:password@127.0.0.1:3306/app".`,
    );
  }
  for (const name of STORE_PARAMETERS) {
    // mysql2 would ignore them, or (connectTimeout) have the option silently override them.
    if (parsed.searchParams.has(name)) {
      throw new SessionConfigError(
        `createMysqlStore: option "url" (${JSON.stringify(maskStoreUrl(url))}) has the parameter "${name}", which is the store's: ` +
          `pass it as option "${name}" instead. (createStoreFromUrl() and the tessera CLI take it in the URL.)`,
      );
    }
  }
  if (parsed.pathname.replace(/^\//, '') === '') {
    throw new SessionConfigError(
      `createMysqlStore: option "url" (${JSON.stringify(maskStoreUrl(url))}) names no database. ` +
        'Add it as the path: "mysql://user:password@host:3306/<database>".',
    );
  }
}

function checkTimeout(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_TIMEOUT) {
    throw new SessionConfigError(
      `createMysqlStore: option "${name}" must be a positive whole number of milliseconds, got ${describeValue(value)}. ` +
        `Pass e.g. ${DEFAULT_MYSQL_STORE_OPTIONS[name === 'connectTimeout' ? 'connectTimeout' : 'queryTimeout']}, or leave it out for the default.`,
    );
  }
}
