/**
 * The sessions table's name: checked once, then quoted for SQL and used to
 * name the indexes.
 *
 * @module
 */

/** A checked table name and the SQL spellings derived from it. */
export interface TableName {
  /** As given: `tessera_sessions` or `auth.tessera_sessions`. */
  readonly name: string;
  /** The schema part, when the name has one. */
  readonly schema: string | undefined;
  /** The table part, without the schema. */
  readonly table: string;
  /** Quoted for SQL: `"auth"."tessera_sessions"`. */
  readonly sql: string;
  /** The index on `expires_at` (it lives in the table's schema). */
  readonly expiresIndex: string;
  /** The partial index on `user_id`. */
  readonly userIndex: string;
  /** The index pages by creation walk: `(created_at, key, expires_at)`. */
  readonly createdIndex: string;
  /** The index pages by last use walk: `(expires_at, key)`. */
  readonly lastUsedIndex: string;
  /** The partial index one user's pages walk: `(user_id, created_at, key, expires_at)`. */
  readonly userPageIndex: string;
}

/**
 * Longest table part: PostgreSQL cuts names at 63 bytes, and the index names
 * add up to 15 characters (`_expires_at_idx`), which must stay apart.
 */
export const MAX_TABLE_NAME_LENGTH = 48;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_SCHEMA_NAME_LENGTH = 63;

/** Whether `name` is a plain SQL name, optionally schema-qualified (`schema.table`). */
export function isValidTableName(name: unknown): name is string {
  if (typeof name !== 'string') return false;
  const parts = name.split('.');
  if (parts.length > 2 || !parts.every((part) => IDENTIFIER.test(part))) return false;
  const table = parts.at(-1)!;
  const schema = parts.length === 2 ? parts[0]! : '';
  return table.length <= MAX_TABLE_NAME_LENGTH && schema.length <= MAX_SCHEMA_NAME_LENGTH;
}

/** Splits and quotes a name that {@link isValidTableName} accepted. */
export function parseTableName(name: string): TableName {
  const parts = name.split('.');
  const table = parts.at(-1)!;
  const schema = parts.length === 2 ? parts[0] : undefined;
  // Quoted, so the name is used exactly as written (case included).
  const quote = (identifier: string) => `"${identifier}"`;
  return Object.freeze({
    name,
    schema,
    table,
    sql: schema === undefined ? quote(table) : `${quote(schema)}.${quote(table)}`,
    expiresIndex: `${table}_expires_at_idx`,
    userIndex: `${table}_user_id_idx`,
    createdIndex: `${table}_created_idx`,
    lastUsedIndex: `${table}_lastused_idx`,
    userPageIndex: `${table}_user_page_idx`,
  });
}

/** An index name as `to_regclass` finds it: in the table's schema, or on the search path. */
export function qualifiedIndexName(tableName: TableName, index: string): string {
  return tableName.schema === undefined ? `"${index}"` : `"${tableName.schema}"."${index}"`;
}
