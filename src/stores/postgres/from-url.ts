/**
 * The PostgreSQL store from a store URL alone, for `createStoreFromUrl()` and
 * the `tessera-session` CLI: `postgres://user:password@host:5432/db?table=auth.sessions`.
 *
 * Two query parameters are the store's, and are taken out of the URL before
 * node-postgres sees it: `table` and `createTable` (`true` or `false`). Every
 * other parameter (`sslmode`, `application_name`, …) is node-postgres' own.
 *
 * @module
 */

import { SessionConfigError } from '../../core/errors.js';
import { maskStoreUrl } from '../mask-url.js';
import { createPostgresStore, type PostgresStore } from './index.js';
import type { PostgresStoreOptions } from './options.js';

/** Creates the store a `postgres:` or `postgresql:` URL names; `?table=` and `?createTable=` become options. */
export function createPostgresStoreFromUrl(url: string): PostgresStore {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SessionConfigError(
      `Store URL ${JSON.stringify(maskStoreUrl(url))} is not a URL; use e.g. "postgres://user:password@localhost:5432/app".`,
    );
  }
  const table = parsed.searchParams.get('table');
  const createTable = parsed.searchParams.get('createTable');
  if (table === null && createTable === null) return createPostgresStore({ url });

  parsed.searchParams.delete('table');
  parsed.searchParams.delete('createTable');
  const options: { -readonly [Name in keyof PostgresStoreOptions]: PostgresStoreOptions[Name] } = {
    url: parsed.toString(),
  };
  if (table !== null) options.table = table;
  if (createTable !== null) {
    if (createTable !== 'true' && createTable !== 'false') {
      throw new SessionConfigError(
        `Store URL ${JSON.stringify(maskStoreUrl(url))}: the "createTable" parameter must be true or false, ` +
          `got ${JSON.stringify(createTable)}.`,
      );
    }
    options.createTable = createTable === 'true';
  }
  return createPostgresStore(options);
}
