/**
 * Turns a failure of `ready()` or `migrate()` into a {@link SessionConfigError}
 * that names the server (password masked) and what to check.
 *
 * @module
 */

import { SessionConfigError } from '../../core/errors.js';
import { errorNumber } from './schema.js';

/** Server error numbers met when connecting or creating the table. */
const ER_DBACCESS_DENIED_ERROR = 1044;
const ER_ACCESS_DENIED_ERROR = 1045;
const ER_BAD_DB_ERROR = 1049;
const ER_TABLEACCESS_DENIED_ERROR = 1142;
// MariaDB answers a refused login with this one instead of 1045 now and then
// (seen for unknown users: about 1 in 6 attempts on MariaDB 10.11).
const ER_ACCESS_DENIED_NO_PASSWORD_ERROR = 1698;

/** What went wrong, in words, and what to check. */
function advice(error: unknown, location: string): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (errorNumber(error)) {
    case ER_ACCESS_DENIED_ERROR:
    case ER_ACCESS_DENIED_NO_PASSWORD_ERROR:
      return `access denied to ${location}: check the user name and password in the URL (and that the user may connect from this host)`;
    case ER_DBACCESS_DENIED_ERROR:
      return `the user of ${location} may not use its database: grant it access (GRANT SELECT, INSERT, UPDATE, DELETE ON <database>.* TO …) or fix the database in the URL`;
    case ER_BAD_DB_ERROR:
      return `unknown database in ${location}: create it (CREATE DATABASE …) or fix the database name in the URL's path`;
    case ER_TABLEACCESS_DENIED_ERROR:
      return `the user of ${location} lacks a privilege on the sessions table (to create it: CREATE; to add a missing index: ALTER; to use it: SELECT, INSERT, UPDATE, DELETE). Grant them, or create the table with \`npx tessera-session migrate\` as a user who may`;
  }
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused by ${location}: check the host and port in the URL, and that the server is running`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host of ${location} not found: check the host name in the URL`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${location} cannot be reached (no answer in time): check the host and port in the URL, and any firewall between`;
  }
  return `${location} failed`;
}

/** A {@link SessionConfigError} for `error`; one already is passes through unchanged. */
export function explainSetupError(
  operation: 'ready()' | 'migrate()',
  error: unknown,
  location: string,
): SessionConfigError {
  if (error instanceof SessionConfigError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  const explained = new SessionConfigError(
    `MySQL store: ${operation} failed: ${advice(error, location)}. (${detail})`,
  );
  Object.defineProperty(explained, 'cause', {
    value: error,
    enumerable: false,
    configurable: true,
  });
  return explained;
}
