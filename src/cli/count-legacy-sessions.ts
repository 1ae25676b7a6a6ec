/**
 * Counting the sessions an express-session deployment's store still holds,
 * for `tessera-session legacy-count`: connect-redis keys on Redis and
 * connect-pg-simple's live rows on PostgreSQL, read straight from the server
 * (no Tessera store is opened, nothing is written).
 *
 * @module
 */

import { maskStoreUrl } from '../stores/index.js';
import { CliError, EXIT_FAILURE, EXIT_USAGE } from './cli-error.js';

/** connect-redis's default key prefix. */
export const DEFAULT_CONNECT_REDIS_PREFIX = 'sess:';

/** connect-pg-simple's default table. */
export const DEFAULT_CONNECT_PG_SIMPLE_TABLE = 'session';

/** Keys asked for per SCAN step: a hint to Redis, which never blocks for long on one step. */
const SCAN_COUNT = 1000;

/** What was counted, and where. */
export interface LegacySessionCount {
  /** The express-session store whose records were counted. */
  readonly store: 'connect-redis' | 'connect-pg-simple';
  /** Where: `prefix "sess:"` or `table "public"."session"`. */
  readonly where: string;
  /** Live sessions held. */
  readonly sessions: number;
}

/** The part of a node-redis client used here (its types need not be installed). */
interface RedisClientLike {
  connect(): Promise<unknown>;
  sendCommand(args: string[]): Promise<unknown>;
  destroy?(): unknown;
  disconnect?(): Promise<unknown>;
  on(event: 'error', listener: (error: unknown) => void): unknown;
}

/** The part of node-postgres used here. */
interface PgClientLike {
  connect(): Promise<unknown>;
  query(text: string, values: unknown[]): Promise<{ rows: { sessions: string }[] }>;
  end(): Promise<unknown>;
  on(event: 'error', listener: (error: unknown) => void): unknown;
}

/**
 * Counts the legacy sessions at `url`: `redis://…[?prefix=sess:]` (connect-redis
 * keys under the prefix, by SCAN MATCH, so Redis is never blocked) or
 * `postgres://…[?table=[schema.]session][&schema=…]` (connect-pg-simple's rows
 * whose `expire` has not passed, as its `get` reads them). Throws a
 * {@link CliError}: exit 2 for another scheme or a bad parameter, exit 1 when
 * the server fails or the table is missing.
 */
export async function countLegacySessions(url: string): Promise<LegacySessionCount> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw unsupported(url);
  }
  switch (parsed.protocol) {
    case 'redis:':
    case 'rediss:':
      return countConnectRedis(parsed);
    case 'postgres:':
    case 'postgresql:':
      return countConnectPgSimple(parsed);
    default:
      throw unsupported(url);
  }
}

function unsupported(url: string): CliError {
  return new CliError(
    EXIT_USAGE,
    `legacy-count counts the sessions of connect-redis (--store "redis://host:6379?prefix=sess:") ` +
      `or connect-pg-simple (--store "postgres://user:password@host:5432/db?table=session"); ` +
      `got ${JSON.stringify(maskStoreUrl(url))}.`,
  );
}

/** Escapes what SCAN's MATCH treats specially, so the prefix matches only itself. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\^]/g, (character) => `\\${character}`);
}

async function countConnectRedis(url: URL): Promise<LegacySessionCount> {
  const prefix = url.searchParams.get('prefix') ?? DEFAULT_CONNECT_REDIS_PREFIX;
  const connection = new URL(url);
  connection.search = '';
  const { createClient } = (await import('redis')) as unknown as {
    createClient(options: object): RedisClientLike;
  };
  const client = createClient({
    url: connection.toString(),
    // One attempt: a command-line tool reports an unreachable server instead of retrying forever.
    socket: { reconnectStrategy: false, connectTimeout: 5000 },
  });
  client.on('error', () => {
    // Reported by the failing command itself.
  });
  await client.connect();
  try {
    const pattern = `${escapeGlob(prefix)}*`;
    let cursor = '0';
    let sessions = 0;
    do {
      const [next, keys] = (await client.sendCommand([
        'SCAN',
        cursor,
        'MATCH',
        pattern,
        'COUNT',
        String(SCAN_COUNT),
      ])) as [string, string[]];
      cursor = String(next);
      sessions += keys.length;
    } while (cursor !== '0');
    return { store: 'connect-redis', where: `prefix ${JSON.stringify(prefix)}`, sessions };
  } finally {
    if (client.destroy) client.destroy();
    else await client.disconnect?.();
  }
}

/** `"name"`, with any `"` doubled: connect-pg-simple quotes its names the same way. */
function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The table from `?table=` (`name` or `schema.name`) and `?schema=`, quoted. */
function readTable(url: URL): string {
  const given = url.searchParams.get('table') ?? DEFAULT_CONNECT_PG_SIMPLE_TABLE;
  let schema = url.searchParams.get('schema') ?? undefined;
  let table = given;
  if (schema === undefined && given.includes('.')) {
    [schema, table] = given.split('.', 2) as [string, string];
  }
  if (table === '' || schema === '') {
    throw new CliError(
      EXIT_USAGE,
      `Store URL ${JSON.stringify(maskStoreUrl(url.toString()))}: "table" and "schema" must not be empty ` +
        "(connect-pg-simple's tableName and schemaName, e.g. ?table=session&schema=public).",
    );
  }
  return schema === undefined
    ? quoteIdentifier(table)
    : `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
}

async function countConnectPgSimple(url: URL): Promise<LegacySessionCount> {
  const table = readTable(url);
  const connection = new URL(url);
  connection.searchParams.delete('table');
  connection.searchParams.delete('schema');
  const pg = (await import('pg')) as unknown as {
    default?: { Client: new (options: object) => PgClientLike };
    Client?: new (options: object) => PgClientLike;
  };
  const Client = pg.default?.Client ?? pg.Client!;
  const client = new Client({
    connectionString: connection.toString(),
    connectionTimeoutMillis: 5000,
  });
  client.on('error', () => {
    // Reported by the failing query itself.
  });
  await client.connect();
  try {
    // As connect-pg-simple's get(): a row is live while expire >= to_timestamp(now).
    const { rows } = await client.query(
      `SELECT count(*) AS sessions FROM ${table} WHERE expire >= to_timestamp($1)`,
      [Date.now() / 1000],
    );
    return {
      store: 'connect-pg-simple',
      where: `table ${table}`,
      sessions: Number(rows[0]?.sessions ?? 0),
    };
  } catch (error) {
    if ((error as { code?: unknown }).code === '42P01') {
      throw new CliError(
        EXIT_FAILURE,
        `Store error at ${maskStoreUrl(url.toString())}: connect-pg-simple's table ${table} does not exist. ` +
          'Name the table connect-pg-simple uses with ?table=name (and ?schema=name, or ?table=schema.name).',
        { cause: error },
      );
    }
    throw error;
  } finally {
    await client.end();
  }
}
