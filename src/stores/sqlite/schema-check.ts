/**
 * What the store finds of its database and schema when it opens: with
 * `createTable: false` a missing file or table is an error that says how to
 * create it, and `migrate()` reports what was created.
 *
 * @module
 */

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { StoreMigrationResult } from '../../core/store.js';
import type { SqliteConnection } from './driver.js';
import { DEFAULT_SQLITE_STORE_OPTIONS } from './options.js';
import { indexNames } from './schema.js';

/** What {@link SqliteStore.migrate} answers. */
export interface SqliteMigrationResult extends StoreMigrationResult {
  /** The table's name. */
  readonly table: string;
  /**
   * What was created, by opening the store or by this call, e.g.
   * `['database file "/srv/app/sessions.db"', 'table "tessera_sessions"', …]`;
   * empty when all was there.
   */
  readonly created: readonly string[];
}

/** The schema objects `createSchema` makes, as `migrate()` names them. */
function schemaObjects(table: string): { type: string; name: string }[] {
  const index = indexNames(table);
  return [
    { type: 'table', name: table },
    { type: 'index', name: index.createdKey },
    { type: 'index', name: index.expiresKey },
    { type: 'index', name: index.userCreatedKey },
  ];
}

/**
 * The store's table and indexes missing from `database`, as `table "…"` and
 * `index "…"`. A file that is not a SQLite database fails here, with a message
 * naming it, before anything is written to it.
 */
export function findMissingSchema(
  database: SqliteConnection,
  table: string,
  location: string,
): string[] {
  const wanted = schemaObjects(table);
  let rows: { type: string; name: string }[];
  try {
    rows = database
      .prepare(
        `SELECT type, name FROM sqlite_master WHERE name IN (${wanted.map(() => '?').join(', ')})`,
      )
      .all(...wanted.map((object) => object.name)) as { type: string; name: string }[];
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `SQLite database ${JSON.stringify(location)} cannot be read: ${reason}. ` +
        'Check that the path (option "path", or the store URL) names the session database.',
      { cause: error },
    );
  }
  const present = new Set(rows.map((row) => `${row.type} ${row.name}`));
  return wanted
    .filter((object) => !present.has(`${object.type} ${object.name}`))
    .map((object) => `${object.type} "${object.name}"`);
}

/** Throws the error saying the database file is missing and how to create it, unless `path` exists. */
export function requireDatabaseFile(path: string, table: string): void {
  const absolutePath = resolve(path);
  if (existsSync(absolutePath)) return;
  throw new Error(
    `SQLite session database ${JSON.stringify(absolutePath)} does not exist. ${creationAdvice(absolutePath, table)}`,
  );
}

/** The error for a database without the store's table. */
export function missingTableError(location: string, table: string): Error {
  return new Error(
    `Table "${table}" does not exist in SQLite database ${JSON.stringify(location)}. ${creationAdvice(location, table)}`,
  );
}

/** Whether opening `path` would create the database file (for `migrate()`'s report only). */
export function isNewDatabaseFile(path: string): boolean {
  return path !== ':memory:' && !existsSync(resolve(path));
}

function creationAdvice(location: string, table: string): string {
  const start =
    'The application creates it when it first starts (unless its option "createTable" is false)';
  // A store URL names no table: the command only creates the default one.
  if (table !== DEFAULT_SQLITE_STORE_OPTIONS.table || location === ':memory:') return `${start}.`;
  // The sqlite: opener decodes %-escapes.
  const url = `sqlite:${location.replace(/%/g, '%25')}`;
  return `${start}, or create it now: npx tessera-session migrate --store '${url}'`;
}

/**
 * Checks the schema of a database the store just opened and answers what is
 * missing (for the store to create). With `createTable` false a missing table
 * throws instead, after `close` (the database the store opened, if any).
 */
export function checkOpenedSchema(
  database: SqliteConnection,
  table: string,
  createTable: boolean,
  close: () => void,
): string[] {
  try {
    const missing = findMissingSchema(database, table, database.location);
    if (!createTable && missing.includes(`table "${table}"`)) {
      throw missingTableError(database.location, table);
    }
    return missing;
  } catch (error) {
    close();
    throw error;
  }
}
