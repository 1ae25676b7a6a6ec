/**
 * `tessera-session migrate`: creates the store's table and indexes where missing
 * (stores with a schema: PostgreSQL; MySQL once it has one). Idempotent, so
 * it can run on every deploy; the application then runs with `createTable:
 * false` under a database user that may not create tables.
 *
 * For PostgreSQL the table is named in the URL: `--store "postgres://…/app?table=auth.sessions"`.
 * @module
 */

import type { Awaitable, SessionStore } from '../../core/index.js';
import { maskStoreUrl } from '../../stores/index.js';
import type { CommandInput } from '../context.js';

/** What a store's `migrate()` answers: the table, and what the run created. */
export interface MigrationReport {
  /** The table's name, as configured. */
  readonly table?: string | undefined;
  /** What this run created, e.g. `table "tessera_sessions"`; empty when all was there. */
  readonly created?: readonly string[] | undefined;
}

/** A store with a schema to create. */
type MigratableStore = SessionStore & { migrate(): Awaitable<MigrationReport | undefined> };

function hasMigrate(store: SessionStore): store is MigratableStore {
  return typeof (store as Partial<MigratableStore>).migrate === 'function';
}

/**
 * Runs the store's `migrate()` and says what it created; for a store without
 * a schema, says there is nothing to migrate. Exit 0 either way.
 */
export async function runMigrate({ stdout, storeUrl, useStore }: CommandInput): Promise<number> {
  const where = maskStoreUrl(storeUrl);
  const message = await useStore(async (store) => {
    if (!hasMigrate(store)) return `The ${store.name} store has no schema: nothing to migrate.`;
    const report = await store.migrate();
    // A store that does not say what it did: it did whatever was needed.
    if (report?.created === undefined) return `Migrated the ${store.name} store in ${where}.`;
    if (report.created.length > 0) return `Created ${listWords(report.created)} in ${where}.`;
    const what = report.table === undefined ? 'the schema' : `table "${report.table}"`;
    return `Nothing to migrate: ${what} in ${where} is up to date.`;
  });
  stdout.write(`${message}\n`);
  return 0;
}

/** `a`, `a and b`, `a, b and c`. */
function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}
