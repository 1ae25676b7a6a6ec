/**
 * Session data as the JSON text sent to the server, refused early (with a
 * message naming the key) where MySQL or MariaDB would reject it or, worse,
 * store something else.
 *
 * @module
 */

import { SessionDataError } from '../../core/errors.js';
import type { JsonValue } from '../../core/store.js';

/**
 * Containers MariaDB's JSON functions handle on one path, the session object
 * included. At 32, MariaDB answers NULL with a warning instead of failing:
 * `JSON_SET` then writes `null` in place of the value. MySQL allows 100, more
 * than the core ever stores (its MAX_VALUE_DEPTH is 64, plus the session object).
 */
export const MARIADB_MAX_JSON_DEPTH = 31;

// A `\uD800`–`\uDFFF` escape not itself escaped: JSON.stringify writes lone
// surrogates this way (and only them), and both servers refuse them as invalid text.
const LONE_SURROGATE_ESCAPE = /(?<!\\)(?:\\\\)*\\u[dD][89abcdefABCDEF][0-9a-fA-F]{2}/;

/**
 * JSON text of one session value (or of the whole data when `key` is
 * undefined). `maxDepth` is the nesting the server allows for it, when limited.
 *
 * @throws SessionDataError when the text holds a lone surrogate or nests too deep.
 */
export function toJsonText(
  value: JsonValue | Record<string, JsonValue>,
  key: string | undefined,
  maxDepth: number | undefined,
): string {
  const text = JSON.stringify(value);
  const where = key === undefined ? 'Session data' : `Session key ${JSON.stringify(key)}`;
  if (LONE_SURROGATE_ESCAPE.test(text)) {
    throw new SessionDataError(
      `${where} cannot be stored in MySQL/MariaDB: it holds a lone UTF-16 surrogate (half of an emoji or other astral character, cut in two), which their JSON refuses. Store whole strings.`,
    );
  }
  if (maxDepth !== undefined && nestingDepth(value, maxDepth) > maxDepth) {
    throw new SessionDataError(
      `${where} cannot be stored in MariaDB: it nests objects and arrays deeper than MariaDB's JSON functions allow ` +
        `(${MARIADB_MAX_JSON_DEPTH} levels, the session object included). Store flatter data.`,
    );
  }
  return text;
}

/** Containers on the deepest path of `value`; counts stop just past `limit`. */
function nestingDepth(value: JsonValue, limit: number): number {
  if (typeof value !== 'object' || value === null) return 0;
  if (limit < 0) return 1;
  let deepest = 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  for (const child of children) {
    const depth = nestingDepth(child, limit - 1);
    if (depth > deepest) deepest = depth;
    if (deepest > limit - 1) break;
  }
  return 1 + deepest;
}
