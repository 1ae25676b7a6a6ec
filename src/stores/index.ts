/**
 * Opens a store from a URL, e.g. from an environment variable:
 * `sqlite:./sessions.db`, `sqlite::memory:`, `memory:` (`memory:?maxEntries=1000`),
 * `file:./sessions`, `redis://host:6379?prefix=app:`, `postgres://…?table=name`.
 * Each store's module (and driver) is loaded only when its scheme is used.
 *
 * `{ create: false }` opens a store without creating anything (no SQLite file,
 * directory or table): what `tessera-session` does for every command but `migrate`.
 * @module tessera-session/stores
 */

import { SessionConfigError, type SessionStore } from '../core/index.js';
import { maskStoreUrl } from './mask-url.js';

export { maskStoreUrl } from './mask-url.js';

/** How {@link createStoreFromUrl} opens the store. */
export interface StoreFromUrlOptions {
  /**
   * Create what the store needs where missing: the SQLite database file, its
   * directory and table; the files store's directory; the PostgreSQL or MySQL
   * table (unless the URL says `createTable=false`). With `false` nothing is
   * created, whatever the URL says, and a missing file, directory or table is
   * an error (when the store opens, or from its `ready()` and operations)
   * that names it and says how to create it. Redis and memory stores have
   * nothing to create.
   *
   * @defaultValue `true`
   */
  readonly create?: boolean | undefined;
}

/** Defaults of {@link StoreFromUrlOptions}. */
export const DEFAULT_STORE_FROM_URL_OPTIONS: Readonly<{ create: boolean }> = Object.freeze({
  create: true,
});

type ResolvedStoreFromUrlOptions = Readonly<{ create: boolean }>;

/**
 * One URL scheme: how its URL becomes a store's options (checked, opening
 * nothing and loading no driver), and how the store is opened.
 */
interface StoreScheme {
  check(url: URL, raw: string, options: ResolvedStoreFromUrlOptions): Promise<void>;
  open(url: URL, raw: string, options: ResolvedStoreFromUrlOptions): Promise<SessionStore>;
}

/** A scheme from its options reader, and loaders of their check and of the factory. */
function defineScheme<Options>(
  readOptions: (url: URL, raw: string, options: ResolvedStoreFromUrlOptions) => Promise<Options>,
  loadCheck: () => Promise<(options: Options) => unknown>,
  loadFactory: () => Promise<(options: Options) => SessionStore>,
): StoreScheme {
  return {
    async check(url, raw, options) {
      const given = await readOptions(url, raw, options);
      (await loadCheck())(given);
    },
    async open(url, raw, options) {
      const given = await readOptions(url, raw, options);
      return (await loadFactory())(given);
    },
  };
}

// sqlite:./sessions.db, sqlite:///abs/path.db, sqlite::memory:, or sqlite: for the default.
const sqliteScheme = defineScheme(
  async (_url, raw, { create }) => {
    const path =
      decodeURIComponent(raw.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '')) || undefined;
    return { ...(path === undefined ? {} : { path }), ...(create ? {} : { createTable: false }) };
  },
  async () => (await import('./sqlite/options.js')).resolveSqliteStoreOptions,
  async () => (await import('./sqlite/index.js')).createSqliteStore,
);

// memory: or memory:?maxEntries=1000.
const memoryScheme = defineScheme(
  async (url) => {
    const maxEntries = url.searchParams.get('maxEntries');
    return maxEntries === null ? {} : { maxEntries: Number(maxEntries) };
  },
  async () => (await import('./memory/options.js')).resolveMemoryStoreOptions,
  async () => (await import('./memory/index.js')).createMemoryStore,
);

// redis://[:password@]host:6379[/db][?prefix=tessera:]; node-redis ignores the query string.
const redisScheme = defineScheme(
  async (url, raw) => {
    const prefix = url.searchParams.get('prefix') ?? undefined;
    return { url: raw, ...(prefix === undefined ? {} : { prefix }) };
  },
  async () => (await import('./redis/options.js')).resolveRedisStoreOptions,
  async () => (await import('./redis/index.js')).createRedisStore,
);

// file:./sessions (relative to the working directory), file:///abs/path, or file: for the default.
const fileScheme = defineScheme(
  async (_url, raw, { create }) => ({
    ...(await import('./file/from-url.js')).fileStoreOptionsFromUrl(raw),
    ...(create ? {} : { createDirectory: false }),
  }),
  async () => (await import('./file/options.js')).resolveFileStoreOptions,
  async () => (await import('./file/index.js')).createFileStore,
);

// postgres://user:password@host:5432/db?table=name&createTable=false; postgresql: too.
const postgresScheme = defineScheme(
  async (_url, raw, options) =>
    (await import('./postgres/from-url.js')).postgresStoreOptionsFromUrl(raw, options),
  async () => (await import('./postgres/options.js')).resolvePostgresStoreOptions,
  async () => (await import('./postgres/index.js')).createPostgresStore,
);

// mysql://user:password@host:3306/db?table=name&createTable=false; mariadb: too.
const mysqlScheme = defineScheme(
  async (_url, raw, options) =>
    (await import('./mysql/from-url.js')).mysqlStoreOptionsFromUrl(raw, options),
  async () => (await import('./mysql/options.js')).resolveMysqlStoreOptions,
  async () => (await import('./mysql/index.js')).createMysqlStore,
);

const SCHEMES: Readonly<Record<string, StoreScheme>> = Object.freeze({
  'sqlite:': sqliteScheme,
  'memory:': memoryScheme,
  'redis:': redisScheme,
  'rediss:': redisScheme,
  'file:': fileScheme,
  'postgres:': postgresScheme,
  'postgresql:': postgresScheme,
  'mysql:': mysqlScheme,
  'mariadb:': mysqlScheme,
});

/** The URL schemes {@link createStoreFromUrl} understands. */
export const SUPPORTED_STORE_SCHEMES: readonly string[] = Object.freeze(Object.keys(SCHEMES));

/**
 * Creates the store a URL names. Throws {@link SessionConfigError} for an
 * unknown scheme, a malformed URL or bad options, naming the URL with any
 * password masked; then whatever the store's factory throws (a SQLite file
 * that cannot be opened, a driver that is not installed, …).
 */
export async function createStoreFromUrl(
  url: string,
  options: StoreFromUrlOptions = {},
): Promise<SessionStore> {
  const resolved = resolveStoreFromUrlOptions(options);
  const { scheme, parsed } = findScheme(url);
  return scheme.open(parsed, url, resolved);
}

/**
 * Checks a store URL as {@link createStoreFromUrl} would, without opening
 * anything (no file, no connection, no driver loaded): the scheme, the URL's
 * shape and the options it carries. Throws what `createStoreFromUrl` would
 * throw for them, so a URL that passes fails to open only for what opening
 * meets (a missing file, a server that does not answer, …).
 */
export async function checkStoreUrl(url: string, options: StoreFromUrlOptions = {}): Promise<void> {
  const resolved = resolveStoreFromUrlOptions(options);
  const { scheme, parsed } = findScheme(url);
  await scheme.check(parsed, url, resolved);
}

function findScheme(url: string): { scheme: StoreScheme; parsed: URL } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SessionConfigError(
      `Store URL ${JSON.stringify(maskStoreUrl(url))} is not a URL; use e.g. "sqlite:./sessions.db" or "memory:".`,
    );
  }
  const scheme = SCHEMES[parsed.protocol];
  if (!scheme) {
    throw new SessionConfigError(
      `Store URL ${JSON.stringify(maskStoreUrl(url))} has an unsupported scheme "${parsed.protocol}"; ` +
        `supported: ${SUPPORTED_STORE_SCHEMES.join(', ')}.`,
    );
  }
  return { scheme, parsed };
}

/** Merges `options` over the defaults (without changing `options`) and checks the result. */
function resolveStoreFromUrlOptions(options: StoreFromUrlOptions): ResolvedStoreFromUrlOptions {
  if (typeof options !== 'object' || options === null) {
    throw new SessionConfigError(
      'createStoreFromUrl: the options must be an object such as { create: false }.',
    );
  }
  for (const name of Object.keys(options)) {
    if (!Object.hasOwn(DEFAULT_STORE_FROM_URL_OPTIONS, name)) {
      throw new SessionConfigError(
        `createStoreFromUrl: unknown option ${JSON.stringify(name)}; the only option is "create".`,
      );
    }
  }
  const create = options.create ?? DEFAULT_STORE_FROM_URL_OPTIONS.create;
  if (typeof create !== 'boolean') {
    throw new SessionConfigError(
      `createStoreFromUrl: option "create" must be true or false, got ${String(create)}. ` +
        'Leave it out to create what the store needs.',
    );
  }
  return Object.freeze({ create });
}
