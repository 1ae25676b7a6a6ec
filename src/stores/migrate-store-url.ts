/**
 * The `--store` argument that `npx tessera-session migrate` needs for a SQL
 * store's table, as the stores' "table is missing" messages print it.
 * @module
 */

/**
 * The store URL naming `table`, quoted for a shell: the masked URL (the user
 * puts the password back) with `?table=` unless the table is the default one;
 * `<url>` when the store was given a pool and has no URL to show.
 */
export function formatMigrateStoreUrl(
  maskedUrl: string | undefined,
  table: string,
  defaultTable: string,
): string {
  const base = maskedUrl ?? '<url>';
  const withTable =
    table === defaultTable ? base : `${base}${base.includes('?') ? '&' : '?'}table=${table}`;
  return maskedUrl === undefined ? withTable : `'${withTable}'`;
}
