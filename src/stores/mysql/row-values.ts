/**
 * Column values of a session row as the store reads them back from mysql2.
 * @module
 */

import type { StoredData } from '../../core/store.js';
import type { Row } from './runner.js';

/** The owner column, as a string or null (a pool may return numbers as strings). */
export function userIdOf(row: Row): string | null {
  return row.user_id === null || row.user_id === undefined ? null : String(row.user_id);
}

/** The data column (text, or bytes when the pool returns binary strings); JSON.parse keeps `"__proto__"` as data. */
export function parseData(value: unknown): StoredData {
  if (typeof value === 'string') return JSON.parse(value) as StoredData;
  if (value instanceof Uint8Array)
    return JSON.parse(Buffer.from(value).toString('utf8')) as StoredData;
  throw new TypeError(
    `MySQL store: the data column came back as ${typeof value}, not text; does the pool set a custom "typeCast"?`,
  );
}
