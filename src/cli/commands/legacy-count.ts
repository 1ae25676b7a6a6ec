/**
 * `tessera-session legacy-count [--json]`: how many sessions an
 * express-session deployment's store still holds, to follow a live migration
 * with the drop-in's `upgradeTo` option: each legacy session moves to the
 * Tessera store on its next write, and the legacy store can go once this
 * reaches (about) zero.
 *
 * `--store` names the legacy store's server, not a Tessera store:
 * `redis://host:6379?prefix=sess:` (connect-redis) or
 * `postgres://user:password@host:5432/db?table=session` (connect-pg-simple).
 * @module
 */

import type { CommandInput } from '../context.js';
import { countLegacySessions } from '../count-legacy-sessions.js';
import { storeFailure } from '../open-store.js';

/**
 * Prints the number of live legacy sessions, or with `--json` one object
 * `{ "sessions", "store", "where" }`. Exit 1 when the server fails or the
 * table is missing, 2 for a store URL that names neither Redis nor PostgreSQL.
 */
export async function runLegacyCount({
  stdout,
  commandLine,
  storeUrl,
}: CommandInput): Promise<number> {
  let count: Awaited<ReturnType<typeof countLegacySessions>>;
  try {
    count = await countLegacySessions(storeUrl);
  } catch (error) {
    throw storeFailure(storeUrl, error);
  }
  if (commandLine.json) {
    stdout.write(`${JSON.stringify(count, null, 2)}\n`);
  } else {
    stdout.write(`${count.sessions}\n`);
  }
  return 0;
}
