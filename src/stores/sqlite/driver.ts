/**
 * The few things the store needs from a SQLite driver, met by two drivers:
 * better-sqlite3 (Node 20 and 22) and Node's built-in `node:sqlite` (Node 24+).
 *
 * Why two: better-sqlite3 below 13 aborts the process on Node ≥ 24.19 when a
 * statement is garbage-collected (`RemoveEnvironmentCleanupHook` assertion,
 * WiseLibs/better-sqlite3#1515), and 13 needs Node ≥ 22. `node:sqlite` needs no
 * native build at all.
 *
 * @module
 */

import { createRequire } from 'node:module';

/** Which driver to use; `'auto'`: `node:sqlite` on Node 24 and later, else better-sqlite3. */
export type SqliteDriverName = 'auto' | 'better-sqlite3' | 'node:sqlite';

/** A prepared statement: positional parameters, or one object of named ones. */
export interface SqliteStatement {
  run(...parameters: unknown[]): { changes: number | bigint };
  get(...parameters: unknown[]): unknown;
  all(...parameters: unknown[]): unknown[];
}

/** An open database, whichever driver opened it. */
export interface SqliteConnection {
  readonly driver: 'better-sqlite3' | 'node:sqlite';
  /** The driver's own database object. */
  readonly raw: object;
  /** The file's path, or `':memory:'`. */
  readonly location: string;
  readonly isOpen: boolean;
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
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

/** The driver `'auto'` stands for on this Node. */
export function pickDriver(name: SqliteDriverName): 'better-sqlite3' | 'node:sqlite' {
  if (name !== 'auto') return name;
  const major = Number(process.versions.node.split('.')[0]);
  return major >= 24 ? 'node:sqlite' : 'better-sqlite3';
}

/** Opens a database file (or `':memory:'`) with the chosen driver. */
export function openConnection(
  path: string,
  driver: 'better-sqlite3' | 'node:sqlite',
): SqliteConnection {
  if (driver === 'node:sqlite') {
    const { DatabaseSync } = require('node:sqlite') as {
      DatabaseSync: new (path: string) => NodeSqliteDatabase;
    };
    return wrapNodeSqlite(new DatabaseSync(path));
  }
  const Database = require('better-sqlite3') as new (path: string) => BetterSqliteDatabase;
  return wrapBetterSqlite(new Database(path));
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
