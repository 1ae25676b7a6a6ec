/**
 * A reversible encoding for the strings PostgreSQL cannot hold.
 *
 * `jsonb` and `text` refuse the NUL character (`\u0000 cannot be converted to
 * text`), and `jsonb` refuses a lone UTF-16 surrogate (`Unicode low surrogate
 * must follow a high surrogate`); the driver would even turn a lone surrogate
 * in a `text` parameter into U+FFFD without a word. Session data may hold any
 * JavaScript string, so every string the store writes (data keys, string
 * values, user ids) goes through {@link encodeText}:
 *
 * | in the string      | stored as                          |
 * | ------------------ | ---------------------------------- |
 * | `\u0001` (marker)  | `\u0001` `1`                       |
 * | `\u0000`           | `\u0001` `0`                       |
 * | lone surrogate     | `\u0001` `u` and 4 lower-case hex  |
 *
 * Strings without any of the three are stored unchanged, and whole documents
 * are only walked when their JSON text shows one of them (a cheap `test` on
 * the text), so the common case costs one regular-expression scan.
 *
 * @module
 */

import { type JsonValue, type StoredData, setOwnEntry } from '../../core/store.js';

const MARKER = '\u0001';
/** A character that needs escaping: NUL, the marker, or any surrogate (pairs are checked after). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL and the marker are what this codec escapes.
const SPECIAL_CHARACTER = /[\u0000\u0001\ud800-\udfff]/;
/**
 * What `JSON.stringify` writes for those characters: `\u0000`, `\u0001`, and a
 * lone surrogate as `\udXXX` (well-formed JSON.stringify, ES2019). A literal
 * backslash before "u0000" also matches; the slow path then finds nothing to do.
 */
const SPECIAL_ESCAPE = /\\u(?:000[01]|d[89a-f])/;

/** The string as stored: unchanged unless it holds NUL, the marker or a lone surrogate. */
export function encodeText(text: string): string {
  if (!SPECIAL_CHARACTER.test(text)) return text;
  let encoded = '';
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0) {
      encoded += `${MARKER}0`;
    } else if (code === 1) {
      encoded += `${MARKER}1`;
    } else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(index + 1))) {
      encoded += text.slice(index, index + 2);
      index++;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      encoded += `${MARKER}u${code.toString(16)}`;
    } else {
      encoded += text[index];
    }
  }
  return encoded;
}

/** The string as the application wrote it; text without the marker is returned as is. */
export function decodeText(text: string): string {
  if (!text.includes(MARKER)) return text;
  let decoded = '';
  for (let index = 0; index < text.length; index++) {
    const character = text[index];
    const designator = character === MARKER ? text[index + 1] : undefined;
    if (designator === '0') {
      decoded += '\u0000';
      index++;
    } else if (designator === '1') {
      decoded += MARKER;
      index++;
    } else if (designator === 'u' && /^[0-9a-f]{4}$/.test(text.slice(index + 2, index + 6))) {
      decoded += String.fromCharCode(Number.parseInt(text.slice(index + 2, index + 6), 16));
      index += 5;
    } else {
      // A marker this codec did not write (a row edited by hand): kept as it is.
      decoded += character;
    }
  }
  return decoded;
}

/** Session data as JSON text `jsonb` accepts. */
export function encodeDataJson(data: StoredData): string {
  const json = JSON.stringify(data);
  return SPECIAL_ESCAPE.test(json) ? JSON.stringify(mapStrings(data, encodeText)) : json;
}

/**
 * Session data from the JSON text of a `jsonb` column (PostgreSQL writes the
 * marker as `\u0001`). `JSON.parse` keeps a `"__proto__"` key as plain data.
 */
export function decodeDataJson(json: string): StoredData {
  const data = JSON.parse(json) as StoredData;
  return json.includes('\\u0001') ? (mapStrings(data, decodeText) as StoredData) : data;
}

/** A copy of `value` with every string, object keys included, passed through `convert`. */
function mapStrings(value: JsonValue, convert: (text: string) => string): JsonValue {
  if (typeof value === 'string') return convert(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, convert));
  const result: StoredData = {};
  for (const key of Object.keys(value))
    setOwnEntry(result, convert(key), mapStrings(value[key]!, convert));
  return result;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
