/**
 * The text of `tessera-session --help`.
 * @module
 */

import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT } from './commands/list.js';
import { DEFAULT_STORE_URL, STORE_URL_VARIABLE } from './open-store.js';

/** Usage of every command, printed by `--help` and after a usage error. */
export const USAGE = `Usage: tessera-session <command> [options] [--store <url>]

Commands:
  stats [--json]               How many sessions the store holds, how many expired, and their size.
  list [--user <id>] [--order created|last-used] [--limit <n>] [--cursor <c>]
       [--show-data] [--json [--paged]]
                               One page of live sessions, newest first: store key, user,
                               created, expires, and the names and size of their data;
                               then "Next page: tessera-session list --cursor <c> …", the
                               command printing the next page (with --json on stderr).
  list --count [--user <id>] [--json]
                               How many live sessions there are (of one user).
  inspect <id or key> [--json] One live session as JSON, its data included.
  revoke <id or key> [--dry-run]
                               Destroy one session, and say whether it was live.
  revoke --user <id> [--dry-run]
                               Destroy every session of one user ("log out everywhere"),
                               printing their store keys first.
  clear-expired                Remove expired sessions (run it from cron).
  legacy-count [--json]        How many sessions an express-session store still holds, while
                               the drop-in's upgradeTo moves them to Tessera: --store names
                               connect-redis's Redis (redis://host:6379?prefix=sess:) or
                               connect-pg-simple's PostgreSQL (postgres://…/db?table=session,
                               ?table=schema.name or &schema=name). Prints the number.
  admin [--port <n>] [--host <address>]
                               Serve the session admin pages (overview, charts, sessions of a
                               user, revoke) on 127.0.0.1 and print a one-time login URL.
                               Runs until Ctrl+C.
  migrate                      Create what the store needs where missing: the SQLite file and
                               table, the files store's directory, the PostgreSQL or MySQL table.
                               The only command that creates anything; the others fail, saying
                               so, when the database, directory or table is missing.

  <id or key> is the session cookie's value, or the store key "list" shows (the
  SHA-256 digest of the id: the store never holds the id itself).

Options:
  --store <url>   The session store, e.g. sqlite:./sessions.db, file:./sessions,
                  redis://host:6379, postgres://user:password@host:5432/db?table=sessions,
                  mysql://user:password@host:3306/db
                  (default: $${STORE_URL_VARIABLE}, else ${DEFAULT_STORE_URL}).
  --json          stats, list, inspect, legacy-count: print JSON.
  --user <id>     list: only this user's sessions. revoke: all of this user's sessions.
  --limit <n>     list: at most n sessions a page (default: ${DEFAULT_LIST_LIMIT}, at most ${MAX_LIST_LIMIT}).
  --order <o>     list: "created" (default: by creation) or "last-used" (by the last
                  visit that saved the session: its expiry), newest first.
  --cursor <c>    list: the page after the one that printed this cursor (same --order
                  and --user). A walking store (files, Redis) reads every record per page.
  --paged         list --json: print { "sessions": [...], "nextCursor": "<c>" or null }
                  instead of the array.
  --count         list: print the number of live sessions instead.
  --dry-run       revoke: show what would be revoked, and revoke nothing.
  --show-data     list: print the sessions' values too. By default only their keys and
                  size are shown: values may hold secrets.
  --port <n>      admin: the port to serve on (default: 0, any free port; the URL says which).
  --host <addr>   admin: the address to bind (default: 127.0.0.1, this machine only; another
                  exposes the admin to the network, with a warning).
  --version       Print the version of tessera-session.
  -h, --help      Show this help.

Exit codes: 0 done; 1 the store failed (cannot be opened or reached, refused the
credentials, its database, directory or table is missing) or inspect found no live
session; 2 bad command line or store URL.
`;
