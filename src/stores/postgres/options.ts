/**
 * Options of the PostgreSQL store, their defaults and their checks.
 *
 * @module
 */

import type { Pool } from 'pg';
import { checkOptionKeys, optionKeys } from '../../core/check-option-keys.js';
import { SessionConfigError } from '../../core/errors.js';
import { describeValue } from '../describe-value.js';
import { maskStoreUrl } from '../mask-url.js';
import { isValidTableName, MAX_TABLE_NAME_LENGTH } from './table-name.js';

/** How {@link createPostgresStore} is configured: `url` or `pool`, exactly one. */
export interface PostgresStoreOptions {
  /**
   * Where the database is, e.g. `postgres://app:secret@db:5432/app`
   * (`postgresql://` too; `?sslmode=require` and the other parameters of
   * node-postgres' connection strings work). The store creates a pool on it,
   * owns it and ends it in `close()`. Not allowed together with `pool`.
   *
   * @defaultValue none: give `url` or `pool`
   */
  readonly url?: string | undefined;
  /**
   * A node-postgres `Pool` you created, to keep sessions on instead of opening
   * one. The store never ends it (close only what you opened); configure its
   * `connectionTimeoutMillis` yourself so a down server fails fast, and give it
   * an `'error'` listener (or pass `onError`, which the store then attaches).
   *
   * @defaultValue none: give `url` or `pool`
   */
  readonly pool?: Pool | undefined;
  /**
   * The table holding sessions: a plain SQL name (letters, digits and
   * underscores, not starting with a digit, at most 48 characters),
   * optionally schema-qualified: `auth.sessions`. Used exactly as written
   * (quoted), so `Sessions` and `sessions` are two tables.
   *
   * @defaultValue `'tessera_sessions'`
   */
  readonly table?: string | undefined;
  /**
   * Create the table and its indexes (`CREATE TABLE IF NOT EXISTS`) on first
   * use. With `false` the store expects them to exist (created by
   * `npx tessera-session migrate --store <url>` or `store.migrate()`) and fails with a
   * message saying so when they do not: for a database user without the
   * CREATE privilege.
   *
   * @defaultValue `true`
   */
  readonly createTable?: boolean | undefined;
  /**
   * How long connecting to the server (or waiting for a free connection of
   * the pool) may take before the operation fails, in milliseconds. Only for
   * the pool the store creates from `url`.
   *
   * @defaultValue `2_000`
   */
  readonly connectionTimeoutMillis?: number | undefined;
  /**
   * How long one statement may run before it fails, in milliseconds: the
   * client gives up waiting for the answer (so a server that stopped
   * answering fails the request instead of hanging it), and on the pool the
   * store creates the server cancels it too (`statement_timeout`).
   *
   * @defaultValue `5_000`
   */
  readonly queryTimeoutMillis?: number | undefined;
  /**
   * Most connections the pool the store creates keeps open. Only for `url`.
   *
   * @defaultValue `10`
   */
  readonly maxConnections?: number | undefined;
  /**
   * Send each statement as a named prepared statement, parsed and planned
   * once per connection. Turn it off behind a connection pooler in
   * transaction mode that does not support them (PgBouncer before 1.21).
   *
   * @defaultValue `true`
   */
  readonly preparedStatements?: boolean | undefined;
  /**
   * Told about errors that happen outside any operation: a pooled connection
   * that dies while idle (server restart, network cut). node-postgres' pool
   * crashes the process on such an error unless something listens, so the
   * store always listens on the pool it creates; on a pool you pass, it
   * listens only when `onError` is given. Errors of operations are not
   * reported here: they reject the operation.
   *
   * @defaultValue none: background errors are ignored (the pool replaces the connection)
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

/** Defaults of {@link PostgresStoreOptions} (`url`, `pool` and `onError` have none). */
export const DEFAULT_POSTGRES_STORE_OPTIONS: Readonly<{
  table: string;
  createTable: boolean;
  connectionTimeoutMillis: number;
  queryTimeoutMillis: number;
  maxConnections: number;
  preparedStatements: boolean;
  /** The clock, in milliseconds since the epoch. */
  now: () => number;
}> = Object.freeze({
  table: 'tessera_sessions',
  createTable: true,
  connectionTimeoutMillis: 2_000,
  queryTimeoutMillis: 5_000,
  maxConnections: 10,
  preparedStatements: true,
  // A wrapper rather than `Date.now` itself, so fake timers installed later are honoured.
  now: () => Date.now(),
});

/** The options a PostgreSQL store runs with once defaults are filled in. */
export type ResolvedPostgresStoreOptions = Readonly<
  typeof DEFAULT_POSTGRES_STORE_OPTIONS & {
    url: string | undefined;
    pool: Pool | undefined;
    /** Told about errors the store handled without failing an operation. */
    onError: ((error: unknown) => void) | undefined;
  }
>;

/** The keys of {@link PostgresStoreOptions}: those of {@link DEFAULT_POSTGRES_STORE_OPTIONS}, and those without a default. */
const OPTION_KEYS = optionKeys<PostgresStoreOptions>()(DEFAULT_POSTGRES_STORE_OPTIONS, [
  'url',
  'pool',
  'onError',
]);

/** Options that shape a pool, so they mean nothing when a pool is given. */
const POOL_ONLY_OPTIONS = ['connectionTimeoutMillis', 'maxConnections'] as const;
/** Query parameters of a store URL that only {@link createStoreFromUrl} reads. */
const STORE_URL_PARAMETERS = ['table', 'createTable'] as const;

/** Merges `options` over the defaults (without changing `options`) and checks the result. */
export function resolvePostgresStoreOptions(
  options: PostgresStoreOptions,
): ResolvedPostgresStoreOptions {
  if (options === null || typeof options !== 'object') {
    throw configError(
      `the options must be an object, got ${describeValue(options)}. ` +
        'Pass { url: "postgres://…" } or { pool }.',
    );
  }
  checkOptionKeys(options, OPTION_KEYS, 'createPostgresStore()', { scope: 'store' });
  const resolved: ResolvedPostgresStoreOptions = {
    url: options.url,
    pool: options.pool,
    table: options.table ?? DEFAULT_POSTGRES_STORE_OPTIONS.table,
    createTable: options.createTable ?? DEFAULT_POSTGRES_STORE_OPTIONS.createTable,
    connectionTimeoutMillis:
      options.connectionTimeoutMillis ?? DEFAULT_POSTGRES_STORE_OPTIONS.connectionTimeoutMillis,
    queryTimeoutMillis:
      options.queryTimeoutMillis ?? DEFAULT_POSTGRES_STORE_OPTIONS.queryTimeoutMillis,
    maxConnections: options.maxConnections ?? DEFAULT_POSTGRES_STORE_OPTIONS.maxConnections,
    preparedStatements:
      options.preparedStatements ?? DEFAULT_POSTGRES_STORE_OPTIONS.preparedStatements,
    onError: options.onError,
    now: options.now ?? DEFAULT_POSTGRES_STORE_OPTIONS.now,
  };
  checkConnection(resolved, options);
  if (!isValidTableName(resolved.table)) {
    throw configError(
      `option "table" must be a plain SQL name (letters, digits, underscores; not starting with a digit; ` +
        `at most ${MAX_TABLE_NAME_LENGTH} characters), optionally schema-qualified, got ${describeValue(resolved.table)}. ` +
        'Pass a name such as "tessera_sessions" or "auth.sessions", or leave it out for the default.',
    );
  }
  checkBoolean('createTable', resolved.createTable);
  checkBoolean('preparedStatements', resolved.preparedStatements);
  checkMilliseconds('connectionTimeoutMillis', resolved.connectionTimeoutMillis);
  checkMilliseconds('queryTimeoutMillis', resolved.queryTimeoutMillis);
  if (!Number.isSafeInteger(resolved.maxConnections) || resolved.maxConnections < 1) {
    throw configError(
      `option "maxConnections" must be a positive integer, got ${describeValue(resolved.maxConnections)}. ` +
        `Pass a number of connections such as 10, or leave it out for the default.`,
    );
  }
  if (resolved.onError !== undefined && typeof resolved.onError !== 'function') {
    throw configError(
      `option "onError" must be a function (error) => void, got ${describeValue(resolved.onError)}.`,
    );
  }
  if (typeof resolved.now !== 'function') {
    throw configError(
      `option "now" must be a function returning milliseconds since the epoch, got ${describeValue(resolved.now)}. ` +
        'Leave it out to use Date.now().',
    );
  }
  return Object.freeze(resolved);
}

/** Exactly one of `url` and `pool`, each well-formed, and no pool-shaping option beside a pool. */
function checkConnection(
  resolved: ResolvedPostgresStoreOptions,
  given: PostgresStoreOptions,
): void {
  const { url, pool } = resolved;
  if (url !== undefined && pool !== undefined) {
    throw configError(
      'options "url" and "pool" exclude each other. ' +
        'Pass "url" to let the store open (and close) its own pool, or "pool" to use one you created.',
    );
  }
  if (url === undefined && pool === undefined) {
    throw configError(
      'give option "url" (e.g. "postgres://user:password@localhost:5432/app") or option "pool" (a pg.Pool you created).',
    );
  }
  if (pool !== undefined) {
    const candidate = pool as Partial<Pool> | null;
    if (typeof candidate?.query !== 'function' || typeof candidate.connect !== 'function') {
      throw configError(
        `option "pool" must be a pg.Pool (new pg.Pool({ … }) from the "pg" package), got ${describeValue(pool)}.`,
      );
    }
    for (const name of POOL_ONLY_OPTIONS) {
      if (given[name] !== undefined) {
        throw configError(
          `option "${name}" only shapes the pool the store creates from "url"; ` +
            'set it on the pool you pass instead (new pg.Pool({ … })), or pass "url".',
        );
      }
    }
    return;
  }
  let parsed: URL;
  try {
    if (typeof url !== 'string') throw new TypeError('not a string');
    parsed = new URL(url);
  } catch {
    throw configError(
      `option "url" must be a postgres:// URL, got ${describeValue(typeof url === 'string' ? maskStoreUrl(url) : url)}. ` +
        'Pass e.g. "postgres://user:password@localhost:5432/app".',
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw configError(
      `option "url" must use the postgres: or postgresql: scheme, got ${JSON.stringify(maskStoreUrl(url!))}. ` +
        'Pass e.g. "postgres://user:password@localhost:5432/app".',
    );
  }
  for (const name of STORE_URL_PARAMETERS) {
    if (parsed.searchParams.has(name)) {
      throw configError(
        `option "url" has a "${name}" query parameter, which only createStoreFromUrl() and the tessera CLI read. ` +
          `Pass option "${name}" instead, and leave it out of the URL.`,
      );
    }
  }
}

function checkBoolean(name: string, value: unknown): void {
  if (typeof value !== 'boolean') {
    throw configError(
      `option "${name}" must be true or false, got ${describeValue(value)}. Leave it out for the default.`,
    );
  }
}

function checkMilliseconds(name: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw configError(
      `option "${name}" must be a positive whole number of milliseconds, got ${describeValue(value)}. ` +
        'Pass e.g. 2000, or leave it out for the default.',
    );
  }
}

function configError(detail: string): SessionConfigError {
  return new SessionConfigError(`createPostgresStore: ${detail}`);
}
