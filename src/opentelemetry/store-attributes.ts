/**
 * What a store span and the store metrics say about the store: the OTel
 * semantic conventions' database attributes where the store is a database
 * client (https://opentelemetry.io/docs/specs/semconv/database/database-spans/),
 * and Tessera's own `tessera.store` on every one.
 * @module
 */

import type { Attributes } from '@opentelemetry/api';
import type { SessionStore } from '../core/index.js';

/**
 * `db.system.name` per store name, from the semantic conventions' list of
 * well-known values. The MySQL store serves MariaDB as well and cannot tell
 * them apart without a query, so both are `mysql`. Stores not listed (memory,
 * files, cookies, `cached-*`, your own) are no database client: their spans
 * carry `tessera.store` and no `db.system.name` (`other_sql` would claim SQL).
 */
export const DB_SYSTEM_NAMES: Readonly<Record<string, string>> = Object.freeze({
  sqlite: 'sqlite',
  postgres: 'postgresql',
  mysql: 'mysql',
  redis: 'redis',
});

/** What the spans and data points of one store say about it, computed once per store and name. */
export interface StoreDescription {
  /** `tessera.store`, `db.system.name` (databases only), `db.collection.name` (stores with a table). */
  readonly attributes: Attributes;
  /** The span name's `{target}`: the table, or for a store that is no database its name; `''` for none. */
  readonly target: string;
}

// Per store object and name: a cookie store's load names the manager's store ("cookie")
// while its revocation store's own operations name that one ("redis").
const descriptions = new WeakMap<object, Map<string, StoreDescription>>();

/**
 * The attributes of `store`, named `storeName` in the event. Only the store's
 * name and its table's name are read: never a key, a URL or a credential.
 */
export function describeStore(
  storeName: string,
  store: SessionStore | undefined,
): StoreDescription {
  const known = store === undefined ? undefined : descriptions.get(store);
  const cached = known?.get(storeName);
  if (cached !== undefined) return cached;
  const system = Object.hasOwn(DB_SYSTEM_NAMES, storeName) ? DB_SYSTEM_NAMES[storeName] : undefined;
  const table = readTable(store);
  const attributes: Attributes = { 'tessera.store': storeName };
  if (system !== undefined) attributes['db.system.name'] = system;
  if (system !== undefined && table !== undefined) attributes['db.collection.name'] = table;
  // A database span's {target} is its collection, omitted when unknown (semconv "Name");
  // a store that is no database has no convention: its name says where the call went.
  const target = system === undefined ? storeName : (table ?? '');
  const description: StoreDescription = Object.freeze({
    attributes: Object.freeze(attributes),
    target,
  });
  if (store !== undefined) {
    if (known === undefined) descriptions.set(store, new Map([[storeName, description]]));
    else known.set(storeName, description);
  }
  return description;
}

/** The `table` a SQL store exposes (PostgreSQL's and MySQL's do), when it is a non-empty string. */
function readTable(store: SessionStore | undefined): string | undefined {
  if (store === undefined) return undefined;
  const table: unknown = (store as { readonly table?: unknown }).table;
  return typeof table === 'string' && table !== '' ? table : undefined;
}
