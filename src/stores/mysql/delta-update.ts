/**
 * A delta applied by the server in one UPDATE:
 *
 * ```sql
 * UPDATE t SET data = JSON_SET(JSON_REMOVE(data, '$."gone"'), '$."new"', JSON_EXTRACT(?, '$')),
 *   expires_at = ? WHERE `key` = ? AND expires_at > ?
 * ```
 *
 * No row is read into JavaScript, so a key another request writes meanwhile is
 * kept (the lost-update race of expressjs/session#606), and a missing or expired
 * record matches no row: the update answers false and writes nothing, so a
 * logout in a concurrent request wins (connect-redis#328).
 *
 * Values go through `JSON_EXTRACT(?, '$')`, which parses the text into a JSON
 * value on both servers: a bare `?` would be stored as a JSON *string*, and
 * `CAST(? AS JSON)` does not exist in MariaDB.
 *
 * @module
 */

import type { SessionDelta } from '../../core/store.js';
import { memberPath } from './json-path.js';
import { MARIADB_MAX_JSON_DEPTH, toJsonText } from './json-text.js';
import type { SqlValue } from './runner.js';

/** Keys one statement sets or removes at most; a larger delta takes the transaction path. */
export const MAX_KEYS_PER_STATEMENT = 32;

/** One UPDATE to run. */
export interface DeltaStatement {
  readonly sql: string;
  readonly parameters: SqlValue[];
}

/** Builds delta statements for one table, caching the SQL of each shape. */
export type DeltaStatementBuilder = (
  key: string,
  delta: SessionDelta,
  now: number,
  mariadb: boolean,
) => DeltaStatement | undefined;

/**
 * Creates the builder for `quotedTable`. It answers `undefined` when the delta
 * touches more than {@link MAX_KEYS_PER_STATEMENT} keys.
 *
 * Each statement is prepared once per connection and kept. So that deltas of
 * every size do not fill the server's `max_prepared_stmt_count`, the count of
 * set and removed keys is rounded up to a power of two by repeating the last
 * one (setting a key twice to one value, or removing it twice, changes
 * nothing): at most 7 × 7 × 2 shapes.
 */
export function createDeltaStatementBuilder(quotedTable: string): DeltaStatementBuilder {
  const shapes = new Map<string, string>();

  const sqlFor = (setCount: number, removeCount: number, setUser: boolean): string => {
    const shape = `${setCount}:${removeCount}:${setUser ? 1 : 0}`;
    let sql = shapes.get(shape);
    if (sql === undefined) {
      let data = 'data';
      if (removeCount > 0) data = `JSON_REMOVE(${data}${', ?'.repeat(removeCount)})`;
      if (setCount > 0) data = `JSON_SET(${data}${", ?, JSON_EXTRACT(?, '$')".repeat(setCount)})`;
      // The WHERE clause is evaluated before any assignment: an expired row is never written.
      const assignments = [
        ...(data === 'data' ? [] : [`data = ${data}`]),
        'expires_at = ?',
        ...(setUser ? ['user_id = ?'] : []),
      ];
      sql = `UPDATE ${quotedTable} SET ${assignments.join(', ')} WHERE \`key\` = ? AND expires_at > ?`;
      shapes.set(shape, sql);
    }
    return sql;
  };

  return (key, delta, now, mariadb) => {
    const setKeys = Object.keys(delta.set);
    if (setKeys.length + delta.remove.length > MAX_KEYS_PER_STATEMENT) return undefined;
    const valueDepth = mariadb ? MARIADB_MAX_JSON_DEPTH - 1 : undefined;
    const removed = delta.remove.map(memberPath);
    const set = setKeys.flatMap((name) => [
      memberPath(name),
      toJsonText(delta.set[name]!, name, valueDepth),
    ]);
    const removeCount = padToPowerOfTwo(removed, 1);
    const setCount = padToPowerOfTwo(set, 2);
    const parameters: SqlValue[] = [...removed, ...set];
    const setUser = delta.userId !== undefined;
    parameters.push(delta.expiresAt);
    if (setUser) parameters.push(delta.userId ?? null);
    parameters.push(key, now);
    return { sql: sqlFor(setCount, removeCount, setUser), parameters };
  };
}

/**
 * Pads `items` (groups of `width`) to 0 or a power of two groups by repeating
 * the last group; answers the number of groups.
 */
function padToPowerOfTwo(items: string[], width: number): number {
  const count = items.length / width;
  if (count === 0) return 0;
  let size = 1;
  while (size < count) size *= 2;
  const last = items.slice(-width);
  for (let index = count; index < size; index += 1) items.push(...last);
  return size;
}
