/**
 * The MySQL store's table: its definition, the check that it is there, and
 * the migration that creates it and its indexes.
 *
 * @module
 */

import { SessionConfigError } from '../../core/errors.js';
import type { StoreMigrationResult } from '../../core/store.js';
import type { Row, SqlRunner } from './runner.js';

/** MySQL/MariaDB error numbers the schema code tells apart. */
const ER_BAD_FIELD_ERROR = 1054;
const ER_DUP_KEYNAME = 1061;
const ER_NO_SUCH_TABLE = 1146;

/** What the store learns of the server before its first statement. */
export interface ServerInfo {
  /** MariaDB, whose JSON functions stop at 32 levels of nesting (MySQL: 100). */
  readonly mariadb: boolean;
  /** `VERSION()`, e.g. `10.11.19-MariaDB` or `8.4.3`. */
  readonly version: string;
}

/** Characters `user_id` holds (VARCHAR counts characters, not bytes). */
export const MAX_USER_ID_LENGTH = 255;

/** Indexes the store's queries need: each is there when some index starts with its columns. */
const INDEXES: ReadonlyArray<{ name: string; columns: readonly string[] }> = [
  // clearExpired and stats; pageSessions by last use walks it backwards: InnoDB
  // ends every secondary index with the primary key, so it is (expires_at, key).
  { name: 'idx_expires_at', columns: ['expires_at'] },
  // listUserSessions and destroyUserSessions (logging a user out everywhere, expressjs/session#504).
  { name: 'idx_user_id', columns: ['user_id'] },
  // Issue 13: pageSessions by creation walks it backwards from the cursor; the
  // expiry at the end lets the overview count live sessions per hour from the index alone.
  { name: 'idx_created', columns: ['created_at', 'key', 'expires_at'] },
  // One user's pages by creation, and the overview's sessions per user.
  { name: 'idx_user_created', columns: ['user_id', 'created_at', 'key', 'expires_at'] },
];

/** An index's column list in SQL. */
function columnList(columns: readonly string[]): string {
  return columns.map((column) => (column === 'key' ? '`key`' : column)).join(', ');
}

/**
 * The table. The key is a SHA-256 digest in hex: ASCII with a binary collation
 * compares it exactly and keeps the primary key small. `data JSON` is a real
 * JSON type on MySQL and `LONGTEXT` with a `JSON_VALID` check on MariaDB; the
 * table's utf8mb4 charset applies to it there, and to `user_id`. Times are
 * milliseconds since the epoch, as the core hands them.
 */
export function createTableSql(quotedTable: string): string {
  return `CREATE TABLE IF NOT EXISTS ${quotedTable} (
  \`key\` VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  data JSON NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  user_id VARCHAR(${MAX_USER_ID_LENGTH}) NULL,
  PRIMARY KEY (\`key\`),
  ${INDEXES.map((index) => `INDEX ${index.name} (${columnList(index.columns)})`).join(',\n  ')}
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin`;
}

/** The server's flavour; rejects when the connection has no database selected. */
export async function inspectServer(runner: SqlRunner, location: string): Promise<ServerInfo> {
  const [row] = await runner.rows('SELECT VERSION() AS version, DATABASE() AS db', []);
  if (row?.db === null || row?.db === undefined) {
    throw new SessionConfigError(
      `MySQL store: no database is selected on ${location}. Name one in the URL's path ("mysql://user:password@host:3306/<database>"), or in the pool's "database" option.`,
    );
  }
  const version = String(row.version);
  return { version, mariadb: /mariadb/i.test(version) };
}

/** Whether the table is there with every column the store uses; throws on other errors. */
export async function findTable(
  runner: SqlRunner,
  quotedTable: string,
): Promise<'present' | 'missing' | { missingColumn: string }> {
  try {
    await runner.rows(
      `SELECT \`key\`, data, created_at, expires_at, user_id FROM ${quotedTable} WHERE 1 = 0`,
      [],
    );
    return 'present';
  } catch (error) {
    const number = errorNumber(error);
    if (number === ER_NO_SUCH_TABLE) return 'missing';
    if (number === ER_BAD_FIELD_ERROR) {
      const column = /'([^']+)'/.exec(String((error as Error).message))?.[1] ?? 'a column';
      return { missingColumn: column };
    }
    throw error;
  }
}

/**
 * Creates the table when missing, or checks it. With `createTable` false a
 * missing table is a {@link SessionConfigError} that says how to create it.
 */
export async function ensureTable(
  runner: SqlRunner,
  table: string,
  settings: { createTable: boolean; location: string; migrateCommand: string },
): Promise<void> {
  const quoted = `\`${table}\``;
  const found = await findTable(runner, quoted);
  if (found === 'present') return;
  if (found === 'missing' && settings.createTable) {
    // Created only when missing, so a user without the CREATE privilege can use an existing table.
    await runner.query(createTableSql(quoted));
    return;
  }
  if (found === 'missing') {
    throw new SessionConfigError(
      `MySQL store: table "${table}" does not exist in the database of ${settings.location}. ` +
        `Create it with \`${settings.migrateCommand}\` (or store.migrate()), ` +
        'or pass createTable: true to let the store create it on first use.',
    );
  }
  throw wrongShape(table, settings.location, found.missingColumn);
}

/** What `migrate()` did. */
export interface MysqlMigrationResult extends StoreMigrationResult {
  /** The table's name. */
  readonly table: string;
  /** What this run created, e.g. `['table "tessera_sessions"']`; empty when all was there. */
  readonly created: readonly string[];
}

/**
 * Creates the table if missing and adds any of its indexes that are missing;
 * running it again changes nothing. Two processes may run it at once.
 */
export async function migrateTable(
  runner: SqlRunner,
  table: string,
  location: string,
): Promise<MysqlMigrationResult> {
  const quoted = `\`${table}\``;
  const created: string[] = [];
  let found = await findTable(runner, quoted);
  if (found === 'missing') {
    await runner.query(createTableSql(quoted));
    created.push(`table "${table}"`);
    found = await findTable(runner, quoted);
  }
  if (found !== 'present') {
    throw wrongShape(table, location, found === 'missing' ? '`key`' : found.missingColumn);
  }
  if (created.length > 0) return { table, created };
  const indexRows = (await runner.query(`SHOW INDEX FROM ${quoted}`)) as Row[];
  // Each index's columns in order, e.g. "created_at,key,expires_at".
  const existing = new Map<string, string[]>();
  for (const row of [...indexRows].sort(
    (a, b) => Number(a.Seq_in_index) - Number(b.Seq_in_index),
  )) {
    const name = String(row.Key_name);
    existing.set(name, [...(existing.get(name) ?? []), String(row.Column_name).toLowerCase()]);
  }
  const isCovered = (columns: readonly string[]) =>
    [...existing.values()].some((present) =>
      columns.every((column, position) => present[position] === column),
    );
  for (const index of INDEXES) {
    if (isCovered(index.columns)) continue;
    try {
      await runner.query(
        `ALTER TABLE ${quoted} ADD INDEX ${index.name} (${columnList(index.columns)})`,
      );
      created.push(`index "${index.name}"`);
    } catch (error) {
      // Another process added it first.
      if (errorNumber(error) !== ER_DUP_KEYNAME) throw error;
    }
  }
  return { table, created };
}

function wrongShape(table: string, location: string, column: string): SessionConfigError {
  return new SessionConfigError(
    `MySQL store: table "${table}" in the database of ${location} is not a Tessera sessions table (column ${column} is missing). ` +
      'Pass another name in option "table", or drop that table and let the store create it.',
  );
}

/** The server's error number of a driver error, if any. */
export function errorNumber(error: unknown): number | undefined {
  const errno = (error as { errno?: unknown } | null)?.errno;
  return typeof errno === 'number' ? errno : undefined;
}
