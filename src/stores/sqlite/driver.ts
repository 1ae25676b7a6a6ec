/**
 * The few things the store needs from a SQLite driver, met by two drivers:
 * better-sqlite3 (an optional peer dependency) and Node's built-in
 * `node:sqlite` (Node 22.13+). Which one a store uses is decided in
 * `driver-choice.ts`.
 *
 * @module
 */

import { createRequire } from 'node:module';
import type { SqliteDriver } from './driver-choice.js';

export type { SqliteDriver, SqliteDriverName } from './driver-choice.js';

/** A prepared statement: positional parameters, or one object of named ones. */
export interface SqliteStatement {
  /** Runs a statement that changes rows. */
  run(...parameters: unknown[]): { changes: number | bigint };
  /** The first row, or `undefined`. */
  get(...parameters: unknown[]): unknown;
  /** Every row. */
  all(...parameters: unknown[]): unknown[];
}

/** An open database, whichever driver opened it. */
export interface SqliteConnection {
  /** Which driver opened it. */
  readonly driver: 'better-sqlite3' | 'node:sqlite';
  /** The driver's own database object. */
  readonly raw: object;
  /** The file's path, or `':memory:'`. */
  readonly location: string;
  /** Whether the database is still open. */
  readonly isOpen: boolean;
  /** Runs SQL that returns no rows (schema, pragmas). */
  exec(sql: string): void;
  /** Prepares a statement. */
  prepare(sql: string): SqliteStatement;
  /** Closes the database. */
  close(): void;
}

interface BetterSqliteDatabase {
  readonly open: boolean;
  readonly name: string;
  exec(sql: string): unknown;
  prepare(sql: string): SqliteStatement & { safeIntegers(on: boolean): SqliteStatement };
  close(): unknown;
}

interface NodeSqliteDatabase {
  readonly isOpen: boolean;
  location(): string | null;
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  close(): void;
}

const require = createRequire(import.meta.url);

/** Opens a database file (or `':memory:'`) with the driver it was made for. */
export type SqliteOpener = (path: string) => SqliteConnection;

/**
 * Loads a driver picked by `pickDriver` and answers what opens files with it.
 *
 * @throws Error when better-sqlite3 is installed but its native addon does not
 *   load (built for another Node, or for another platform); the message says
 *   how to rebuild it.
 */
export function loadDriver(driver: SqliteDriver): SqliteOpener {
  if (driver === 'node:sqlite') {
    const { DatabaseSync } = require('node:sqlite') as {
      DatabaseSync: new (path: string) => NodeSqliteDatabase;
    };
    return (path) => wrapNodeSqlite(new DatabaseSync(path));
  }
  const Database = loadBetterSqlite();
  return (path) => wrapBetterSqlite(new Database(path));
}

/** better-sqlite3's constructor, once its native addon was seen to load. */
let betterSqlite: (new (path: string) => BetterSqliteDatabase) | undefined;

/** better-sqlite3's constructor; its addon loads on first use, so the first call opens a database in memory. */
function loadBetterSqlite(): new (path: string) => BetterSqliteDatabase {
  if (betterSqlite !== undefined) return betterSqlite;
  try {
    const Database = require('better-sqlite3') as new (path: string) => BetterSqliteDatabase;
    new Database(':memory:').close();
    betterSqlite = Database;
    return Database;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `createSqliteStore: better-sqlite3 is installed but does not load on Node ${process.versions.node}: ${reason}. ` +
        "Rebuild it for this Node (npm rebuild better-sqlite3), or pass driver: 'node:sqlite' on Node 22.13 or later.",
      { cause: error },
    );
  }
}

/** Wraps a database the caller opened with either driver. */
export function wrapConnection(database: unknown): SqliteConnection {
  const candidate = database as Partial<BetterSqliteDatabase & NodeSqliteDatabase> | null;
  if (typeof candidate?.prepare !== 'function' || typeof candidate.exec !== 'function') {
    throw new TypeError(
      'createSqliteStore: option "database" must be an open better-sqlite3 Database or node:sqlite DatabaseSync.',
    );
  }
  return 'isOpen' in candidate
    ? wrapNodeSqlite(candidate as NodeSqliteDatabase)
    : wrapBetterSqlite(candidate as BetterSqliteDatabase);
}

function wrapBetterSqlite(database: BetterSqliteDatabase): SqliteConnection {
  return {
    driver: 'better-sqlite3',
    raw: database,
    location: database.name,
    get isOpen() {
      return database.open;
    },
    exec: (sql) => void database.exec(sql),
    // Numbers, never BigInts, even when the caller's database defaults to safe integers.
    prepare: (sql) => database.prepare(sql).safeIntegers(false),
    close: () => void database.close(),
  };
}

function wrapNodeSqlite(database: NodeSqliteDatabase): SqliteConnection {
  return {
    driver: 'node:sqlite',
    raw: database,
    location: database.isOpen ? (database.location() ?? ':memory:') : ':memory:',
    get isOpen() {
      return database.isOpen;
    },
    exec: (sql) => database.exec(sql),
    prepare: (sql) => database.prepare(sql),
    close: () => database.close(),
  };
}
