/**
 * The MySQL store's options from a store URL alone, for `createStoreFromUrl()`
 * and the `tessera-session` CLI: `mysql://user:password@host:3306/app?table=sessions`
 * (`mariadb://` too).
 *
 * Four query parameters are the store's, taken out of the URL before mysql2
 * sees it: `table`, `createTable` (`true` or `false`), `connectTimeout` and
 * `queryTimeout` (milliseconds). Every other parameter (`connectionLimit`,
 * `ssl`, …) is mysql2's own. Reading them opens nothing and loads no driver.
 *
 * @module
 */

import { SessionConfigError } from '../../core/errors.js';
import { maskStoreUrl } from '../mask-url.js';
import { type MysqlStoreOptions, STORE_PARAMETERS } from './options.js';

/**
 * The options a `mysql:` or `mariadb:` URL names; the store's own parameters
 * become options. With `create: false` the store creates no table, whatever
 * `?createTable=` says.
 */
export function mysqlStoreOptionsFromUrl(
  url: string,
  { create }: { readonly create: boolean } = { create: true },
): MysqlStoreOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SessionConfigError(
      `Store URL ${JSON.stringify(maskStoreUrl(url))} is not a URL; use e.g. "mysql://user:password@localhost:3306/app".`,
    );
  }
  const parameters = parsed.searchParams;
  const options: { -readonly [Name in keyof MysqlStoreOptions]: MysqlStoreOptions[Name] } = {};
  const table = parameters.get('table');
  if (table !== null) options.table = table;
  const createTable = parameters.get('createTable');
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
  for (const name of ['connectTimeout', 'queryTimeout'] as const) {
    const value = parameters.get(name);
    // Checked by createMysqlStore, which names the option.
    if (value !== null) options[name] = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  }
  if (Object.keys(options).length === 0) return { url };
  for (const name of STORE_PARAMETERS) parameters.delete(name);
  return { ...options, url: parsed.toString() };
}
