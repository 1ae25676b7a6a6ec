/**
 * A delta applied inside SQLite in one UPDATE: `json_set` for the changed keys,
 * `json_remove` for the removed ones. No row is read into JavaScript, so an
 * update costs one statement. Statements are prepared once per shape (how many
 * keys set and removed) and cached.
 *
 * @module
 */

import type { SessionDelta } from '../../core/store.js';
import type { SqliteConnection, SqliteStatement } from './driver.js';

/** Keys SQLite's JSON path syntax can quote (`$."key"`); others take the read-modify-write path. */
const isPathableKey = (key: string): boolean => {
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    if (code < 0x20 || code === 0x22 || code === 0x5c) return false; // control, '"', '\\'
  }
  return true;
};
const MAX_CACHED_SHAPES = 64;
const MAX_KEYS_PER_STATEMENT = 32;

/** Applies deltas with one statement; answers `undefined` when a delta needs the fallback. */
export type DeltaUpdater = (key: string, delta: SessionDelta, now: number) => boolean | undefined;

export function createDeltaUpdater(database: SqliteConnection, quotedTable: string): DeltaUpdater {
  const shapes = new Map<string, SqliteStatement>();

  const statementFor = (setCount: number, removeCount: number): SqliteStatement => {
    const shape = `${setCount}:${removeCount}`;
    let statement = shapes.get(shape);
    if (statement === undefined) {
      let expression = 'data';
      if (removeCount > 0) expression = `json_remove(${expression}${', ?'.repeat(removeCount)})`;
      if (setCount > 0) expression = `json_set(${expression}${', ?, json(?)'.repeat(setCount)})`;
      statement = database.prepare(
        `UPDATE ${quotedTable} SET data = ${expression}, expires_at = ?,
             user_id = CASE WHEN ? THEN ? ELSE user_id END
           WHERE key = ? AND expires_at > ?`,
      );
      if (shapes.size < MAX_CACHED_SHAPES) shapes.set(shape, statement);
    }
    return statement;
  };

  return (key, delta, now) => {
    const setKeys = Object.keys(delta.set);
    if (setKeys.length + delta.remove.length > MAX_KEYS_PER_STATEMENT) return undefined;
    const parameters: unknown[] = [];
    for (const name of delta.remove) {
      if (!isPathableKey(name)) return undefined;
      parameters.push(`$."${name}"`);
    }
    for (const name of setKeys) {
      if (!isPathableKey(name)) return undefined;
      parameters.push(`$."${name}"`, JSON.stringify(delta.set[name]));
    }
    const setUser = delta.userId === undefined ? 0 : 1;
    parameters.push(delta.expiresAt, setUser, delta.userId ?? null, key, now);
    return Number(statementFor(setKeys.length, delta.remove.length).run(...parameters).changes) > 0;
  };
}
