/**
 * The text of `tessera-session --help`.
 * @module
 */

import { DEFAULT_STORE_URL, STORE_URL_VARIABLE } from './open-store.js';

/** Usage of every command, printed by `--help` and after a usage error. */
export const USAGE = `Usage: tessera-session <command> [--store <url>]

Commands:
  clear-expired          Remove expired sessions from the store.
  inspect <session id>   Print a live session as JSON; the id is the session cookie's value.
  migrate                Create the store's table and indexes where missing (PostgreSQL, MySQL/MariaDB);
                         stores without a schema have nothing to migrate.
  stats                  Print how many sessions the store holds, how many expired, and their size.

Options:
  --store <url>   The session store, e.g. sqlite:./sessions.db or
                  postgres://user:password@host:5432/db?table=tessera_sessions
                  (default: $${STORE_URL_VARIABLE}, else ${DEFAULT_STORE_URL}).
  -h, --help      Show this help.

Exit codes: 0 done, 1 not found or store error, 2 bad command line or store URL.
`;
