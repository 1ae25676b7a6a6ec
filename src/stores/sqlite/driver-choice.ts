/**
 * Which SQLite driver the store opens its file with. better-sqlite3 is an
 * optional peer dependency, so the choice depends on what the app installed as
 * well as on the running Node:
 *
 * | Node | `'auto'` picks |
 * | --- | --- |
 * | 24.15 and later 24.x, 25.7+, 26+ | `node:sqlite`: built in, and silent |
 * | 22.13+, 24.0 – 24.14 | better-sqlite3 when installed, else `node:sqlite` (Node prints one `ExperimentalWarning`) |
 * | 20 | better-sqlite3 when installed, else a {@link SessionConfigError} saying what to install |
 *
 * `node:sqlite` is preferred wherever Node loads it without a word: it needs no
 * native build, and better-sqlite3 below 13 aborts the process on Node ≥ 24.19
 * when a statement is garbage-collected (`RemoveEnvironmentCleanupHook`
 * assertion, WiseLibs/better-sqlite3#1515), while 13 needs Node ≥ 22. Where
 * Node still calls `node:sqlite` experimental it prints a warning the first time
 * it is loaded, and Tessera never prints unless asked, so an installed
 * better-sqlite3 goes first there.
 *
 * @module
 */

import { createRequire, isBuiltin } from 'node:module';
import { SessionConfigError } from '../../core/errors.js';

/**
 * Which driver to use. `'auto'`: `node:sqlite` where Node loads it silently
 * (24.15+), else better-sqlite3 when the app installed it, else `node:sqlite`
 * where Node has it (22.13+, which prints one `ExperimentalWarning`).
 */
export type SqliteDriverName = 'auto' | 'better-sqlite3' | 'node:sqlite';

/** A driver the store can open a file with. */
export type SqliteDriver = Exclude<SqliteDriverName, 'auto'>;

/** What the choice of driver depends on. */
export interface SqliteDriverSupport {
  /** The running Node's version, as in `process.versions.node` (`'22.13.0'`). */
  readonly nodeVersion: string;
  /** Whether Node has `node:sqlite` without a flag (Node 22.13 and later). */
  readonly hasNodeSqlite: boolean;
  /** Whether better-sqlite3 can be found from this package, that is, the app installed it. */
  readonly hasBetterSqlite: boolean;
}

const require = createRequire(import.meta.url);

/** Wording shared by the messages below. */
const INSTALL_BETTER_SQLITE = 'install better-sqlite3 (npm install better-sqlite3)';
const NODE_SQLITE_FROM = 'Node 22.13';

/**
 * What this process offers: its Node version, whether `node:sqlite` is built
 * in, and whether better-sqlite3 resolves from here. Loads neither driver, so
 * nothing is printed.
 */
export function detectDriverSupport(): SqliteDriverSupport {
  return {
    nodeVersion: process.versions.node,
    // True for an unflagged node:sqlite only: Node 22.5 – 22.12 need --experimental-sqlite.
    hasNodeSqlite: isBuiltin('node:sqlite'),
    hasBetterSqlite: isResolvable('better-sqlite3'),
  };
}

/**
 * Whether Node loads `node:sqlite` without printing an `ExperimentalWarning`:
 * from 24.15 in Node 24, 25.7 in Node 25, and every Node from 26 (the module
 * became a release candidate in nodejs/node#61262).
 */
export function isNodeSqliteQuiet(nodeVersion: string): boolean {
  const [major = 0, minor = 0] = nodeVersion.split('.').map(Number);
  return major >= 26 || (major === 25 && minor >= 7) || (major === 24 && minor >= 15);
}

/**
 * The driver a store opens its file with. `'auto'`: `node:sqlite` where Node
 * loads it silently (24.15+), else better-sqlite3 when the app installed it,
 * else `node:sqlite` where Node has it (22.13+, which prints one
 * `ExperimentalWarning`). A named driver is taken as it is, once it is known to
 * be there.
 *
 * @throws {@link SessionConfigError} when the driver asked for, or any driver
 *   for `'auto'`, is missing; the message says what to install or which Node to run.
 */
export function pickDriver(
  name: SqliteDriverName,
  support: SqliteDriverSupport = detectDriverSupport(),
): SqliteDriver {
  const { nodeVersion, hasNodeSqlite, hasBetterSqlite } = support;
  if (name === 'better-sqlite3') {
    if (hasBetterSqlite) return name;
    throw new SessionConfigError(
      `createSqliteStore: option "driver" is 'better-sqlite3', but better-sqlite3 is not installed (it is an optional peer dependency). ` +
        (hasNodeSqlite
          ? `Either ${INSTALL_BETTER_SQLITE}, or leave "driver" out to use Node's built-in node:sqlite.`
          : `${capitalize(INSTALL_BETTER_SQLITE)}.`),
    );
  }
  if (name === 'node:sqlite') {
    if (hasNodeSqlite) return name;
    throw new SessionConfigError(
      `createSqliteStore: option "driver" is 'node:sqlite', but Node ${nodeVersion} does not have it (it is built in from ${NODE_SQLITE_FROM}). ` +
        (hasBetterSqlite
          ? `Run on ${NODE_SQLITE_FROM} or later, or leave "driver" out to use the installed better-sqlite3.`
          : `Run on ${NODE_SQLITE_FROM} or later, or ${INSTALL_BETTER_SQLITE} and leave "driver" out.`),
    );
  }
  if (hasNodeSqlite && isNodeSqliteQuiet(nodeVersion)) return 'node:sqlite';
  if (hasBetterSqlite) return 'better-sqlite3';
  if (hasNodeSqlite) return 'node:sqlite';
  throw new SessionConfigError(
    `createSqliteStore: no SQLite driver on Node ${nodeVersion}: better-sqlite3 is not installed, and Node's built-in node:sqlite arrived in ${NODE_SQLITE_FROM}. ` +
      `Either ${INSTALL_BETTER_SQLITE}, or run on ${NODE_SQLITE_FROM} or later, where node:sqlite is built in (and silent from Node 24.15).`,
  );
}

/** Whether `specifier` resolves from this package, without loading it. */
function isResolvable(specifier: string): boolean {
  try {
    require.resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
