/**
 * Turning driver and server errors into messages that say what to check.
 *
 * `ready()` and `migrate()` reject with a {@link SessionConfigError} naming
 * the server (password masked) and the likely fix; operations keep rejecting
 * with the driver's error, but a server that cannot be reached, or a missing
 * table, is named the same way (connect-pg-simple's bare `relation "session"
 * does not exist` is a known complaint: connect-pg-simple #26, #200, #254).
 *
 * @module
 */

import { SessionConfigError } from '../../core/errors.js';
import { formatMigrateStoreUrl } from '../migrate-store-url.js';
import { DEFAULT_POSTGRES_STORE_OPTIONS } from './options.js';
import type { TableName } from './table-name.js';

const DEFAULT_TABLE = DEFAULT_POSTGRES_STORE_OPTIONS.table;

/** SQLSTATE codes the store explains (PostgreSQL docs, appendix A). */
const SQLSTATE = Object.freeze({
  undefinedTable: '42P01',
  undefinedColumn: '42703',
  invalidSchemaName: '3F000',
  invalidCatalogName: '3D000',
  invalidPassword: '28P01',
  invalidAuthorization: '28000',
  insufficientPrivilege: '42501',
  adminShutdown: '57P01',
  crashShutdown: '57P02',
  cannotConnectNow: '57P03',
});

/** Node's socket error codes meaning "nothing there". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ETIMEDOUT',
]);
const UNKNOWN_HOST_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL']);

/** What the store knows when it explains an error. */
export interface ErrorScene {
  /** The server: the URL with its password masked. */
  target: string;
  table: TableName;
  /** Whether the store creates its table itself. */
  createTable: boolean;
  /** The pool's connection timeout, `undefined` for none (a given pool may have none). */
  connectionTimeoutMillis: number | undefined;
}

/** The `code` of a driver, server or socket error. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The error's own words. Node 20 reports a refused connection to a name with
 * several addresses (`localhost`) as an AggregateError with an empty message.
 */
export function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.message !== '') return error.message;
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map((inner) => describeCause(inner)).join('; ');
  }
  return errorCode(error) ?? error.name;
}

/** The message for a table that is not there, with both ways to create it. */
export function missingTableMessage(scene: ErrorScene): string {
  const { name } = scene.table;
  if (scene.createTable) {
    return `Table "${name}" does not exist in ${scene.target} (dropped while in use?); the next operation creates it again.`;
  }
  return (
    `Table "${name}" does not exist in ${scene.target}; ` +
    `run "npx tessera-session migrate --store ${migrateStoreUrl(scene)}" or pass createTable: true.`
  );
}

/** The store URL `migrate` takes for this table; a given pool's target is a description, not a URL. */
function migrateStoreUrl(scene: ErrorScene): string {
  const maskedUrl = /^postgres(ql)?:\/\/\S*$/.test(scene.target) ? scene.target : undefined;
  return formatMigrateStoreUrl(maskedUrl, scene.table.name, DEFAULT_TABLE);
}

/** `ready()` and `migrate()`: any failure as a {@link SessionConfigError} saying what to check. */
export function explainSetupError(error: unknown, scene: ErrorScene): SessionConfigError {
  if (error instanceof SessionConfigError) return error;
  const cause = describeCause(error);
  const code = errorCode(error);
  const where = `PostgreSQL session store at ${scene.target}`;
  let advice: string;
  switch (code) {
    case SQLSTATE.invalidPassword:
      advice = 'check the user name and password in the URL';
      break;
    case SQLSTATE.invalidAuthorization:
      advice = "check the user name in the URL and the server's pg_hba.conf";
      break;
    case SQLSTATE.invalidCatalogName:
      advice =
        'create the database (createdb <name>) or fix the database name at the end of the URL';
      break;
    case SQLSTATE.invalidSchemaName:
      advice = `create the schema (CREATE SCHEMA ${scene.table.schema ?? '<name>'}) or fix option "table"`;
      break;
    case SQLSTATE.insufficientPrivilege:
      advice =
        `the user may not create or use table "${scene.table.name}": run "npx tessera-session migrate --store <url>" ` +
        'as a user who may, then pass createTable: false; or grant the privilege';
      break;
    case SQLSTATE.undefinedColumn:
      advice = `table "${scene.table.name}" is not a Tessera sessions table: drop or rename it, or pick another option "table"`;
      break;
    case SQLSTATE.cannotConnectNow:
      advice = 'the server is starting up or shutting down; try again in a moment';
      break;
    default:
      if (code !== undefined && UNREACHABLE_CODES.has(code)) {
        advice =
          'nothing answers there: check the host and port in the URL, and that PostgreSQL is running';
      } else if (code !== undefined && UNKNOWN_HOST_CODES.has(code)) {
        advice = 'the host name is unknown: check the host in the URL';
      } else if (isConnectTimeout(error)) {
        advice =
          `no answer within ${scene.connectionTimeoutMillis ?? '?'} ms: check the host, port and firewall, ` +
          'or raise option "connectionTimeoutMillis"';
      } else if (/ssl|tls|certificate/i.test(cause)) {
        advice = 'check the TLS settings (sslmode in the URL) against what the server supports';
      } else {
        advice = 'check the URL and that the server is a reachable PostgreSQL';
      }
  }
  const failure = new SessionConfigError(`${where}: ${cause}; ${advice}.`);
  return withCause(failure, error);
}

/**
 * An operation's error: a missing table, or a server that cannot be reached,
 * gets a message naming the server; anything else is rejected as the driver
 * raised it (its SQLSTATE `code` intact).
 */
export function explainOperationError(error: unknown, scene: ErrorScene): unknown {
  const code = errorCode(error);
  if (code === SQLSTATE.undefinedTable) {
    return withCause(new SessionConfigError(missingTableMessage(scene)), error);
  }
  if (isConnectionFailure(error)) {
    return new Error(`PostgreSQL at ${scene.target} is unreachable: ${describeCause(error)}`, {
      cause: error,
    });
  }
  return error;
}

/** Whether the error is the table (or its schema) missing. */
export function isMissingTable(error: unknown): boolean {
  return errorCode(error) === SQLSTATE.undefinedTable;
}

/** Whether the connection, rather than the statement, failed. */
function isConnectionFailure(error: unknown): boolean {
  const code = errorCode(error);
  if (code !== undefined) {
    return (
      UNREACHABLE_CODES.has(code) ||
      UNKNOWN_HOST_CODES.has(code) ||
      code === SQLSTATE.adminShutdown ||
      code === SQLSTATE.crashShutdown ||
      code === SQLSTATE.cannotConnectNow
    );
  }
  return (
    isConnectTimeout(error) ||
    /Connection terminated|not queryable|Query read timeout/.test(describeCause(error))
  );
}

/** pg-pool's words for a connection that took longer than `connectionTimeoutMillis`. */
function isConnectTimeout(error: unknown): boolean {
  return /timeout exceeded when trying to connect|connection timeout/i.test(describeCause(error));
}

/** `SessionConfigError` takes no options; the cause is added the way `Error` would hold it. */
function withCause<T extends Error>(failure: T, cause: unknown): T {
  Object.defineProperty(failure, 'cause', {
    value: cause,
    enumerable: false,
    writable: true,
    configurable: true,
  });
  return failure;
}
