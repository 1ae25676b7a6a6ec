/**
 * `tessera-session migrate`: creates what the store needs where missing: the
 * SQLite database file and its table, the files store's directory, the
 * PostgreSQL or MySQL table and its indexes. The only command that creates
 * anything. Idempotent, so it can run on every deploy; the application then
 * runs with `createTable: false` under a database user that may not create tables.
 *
 * For PostgreSQL and MySQL the table is named in the URL:
 * `--store "postgres://…/app?table=auth.sessions"`.
 * @module
 */

import type { StoreMigrationResult } from '../../core/index.js';
import { maskStoreUrl } from '../../stores/index.js';
import type { CommandInput } from '../context.js';

/**
 * Runs the store's `migrate()` and says what it created; for a store without
 * a schema (Redis), checks that it answers and says there is nothing to
 * migrate. Exit 0 either way.
 */
export async function runMigrate({ stdout, storeUrl, useStore }: CommandInput): Promise<number> {
  const where = maskStoreUrl(storeUrl);
  const message = await useStore(
    async (store) => {
      if (store.migrate === undefined) {
        // A deploy step that migrates should still fail on a wrong URL or password.
        await store.ready?.();
        return `The ${store.name} store has no schema: nothing to migrate.`;
      }
      // Partial: a store written in JavaScript may answer nothing at all.
      const report: Partial<StoreMigrationResult> | undefined = await store.migrate();
      // A store that does not say what it did: it did whatever was needed.
      if (report?.created === undefined) return `Migrated the ${store.name} store in ${where}.`;
      if (report.created.length > 0) return `Created ${listWords(report.created)} in ${where}.`;
      if (report.table === undefined) return `Nothing to migrate: ${where} is up to date.`;
      return `Nothing to migrate: table "${report.table}" in ${where} is up to date.`;
    },
    { create: true },
  );
  stdout.write(`${message}\n`);
  return 0;
}

/** `a`, `a and b`, `a, b and c`. */
function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}
