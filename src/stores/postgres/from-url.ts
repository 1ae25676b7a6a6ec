/**
 * The PostgreSQL store's options from a store URL alone, for
 * `createStoreFromUrl()` and the `tessera-session` CLI:
 * `postgres://user:password@host:5432/db?table=auth.sessions`.
 *
 * Two query parameters are the store's, and are taken out of the URL before
 * node-postgres sees it: `table` and `createTable` (`true` or `false`). Every
 * other parameter (`sslmode`, `application_name`, …) is node-postgres' own.
 * Reading them opens nothing and loads no driver.
 *
 * @module
 */

import { SessionConfigError } from '../../core/errors.js';
import { maskStoreUrl } from '../mask-url.js';
import type { PostgresStoreOptions } from './options.js';

/**
 * The options a `postgres:` or `postgresql:` URL names; `?table=` and
 * `?createTable=` become options. With `create: false` the store creates no
 * table, whatever `?createTable=` says.
 */
export function postgresStoreOptionsFromUrl(
  url: string,
  { create }: { readonly create: boolean } = { create: true },
): PostgresStoreOptions {
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
  if (table === null && createTable === null && create) return { url };

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
  if (!create) options.createTable = false;
  return options;
}
