/**
 * JSON paths naming one member of the session object, for `JSON_SET` and
 * `JSON_REMOVE`.
 *
 * @module
 */

/**
 * The path of the top-level member `key`: `$."key"`, the key written as a JSON
 * string literal. MySQL and MariaDB both read a quoted member name as a JSON
 * string, escapes included, so every key is reachable: `"`, `\`, `.`, `*`,
 * spaces, control characters, `__proto__`, any Unicode. Quoting also turns off
 * the wildcards `*` and `**`, which `JSON_SET` and `JSON_REMOVE` refuse.
 */
export function memberPath(key: string): string {
  return `$.${JSON.stringify(key)}`;
}
