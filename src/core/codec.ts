/**
 * Turns session values into JSON that stores persist, and back.
 *
 * JSON, never a code-executing format (the pickle/Marshal RCEs of Django 1.5 and
 * Rails < 4.1). Beyond plain JSON, `Date` round-trips as `Date`: it is written as
 * `{"$date": "<ISO>"}`; a user object that itself has the single key `$date` or
 * `$obj` is escaped as `{"$obj": {...}}`, so no user value is ever misread.
 * Keys such as `__proto__` stay plain data: objects are built with
 * `defineProperty`, never by assignment.
 * @module
 */

import { SessionDataError } from './errors.js';
import { type JsonValue, setOwnEntry } from './store.js';

/** Nesting deeper than this is refused (deeply nested input could exhaust the stack). */
export const MAX_VALUE_DEPTH = 64;

const DATE_TAG = '$date';
const OBJECT_TAG = '$obj';

/**
 * Encodes one session value. Throws {@link SessionDataError} naming the key and
 * the path when the value cannot be stored: functions, symbols, bigints,
 * `undefined` at the top level, non-finite numbers, class instances (Map, Set,
 * RegExp, …), cycles, invalid dates, and nesting deeper than {@link MAX_VALUE_DEPTH}.
 */
export function encodeValue(key: string, value: unknown): JsonValue {
  if (value === undefined) {
    throw new SessionDataError(
      `Session value for key "${key}" is undefined; use session.delete("${key}") to remove a key.`,
    );
  }
  return encodeNode(value, key, key, new Set(), 0);
}

function encodeNode(
  value: unknown,
  key: string,
  path: string,
  ancestors: Set<object>,
  depth: number,
): JsonValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (Number.isFinite(value)) return value;
      return refuse(key, path, `${value} is not a finite number`);
    case 'object':
      break;
    default:
      return refuse(key, path, `a ${typeof value} cannot be stored`);
  }
  if (value === null) return null;
  if (depth >= MAX_VALUE_DEPTH)
    return refuse(key, path, `nesting is deeper than ${MAX_VALUE_DEPTH}`);
  if (ancestors.has(value)) return refuse(key, path, 'it contains a cycle');
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return refuse(key, path, 'it is an invalid Date');
    return { [DATE_TAG]: value.toISOString() };
  }
  ancestors.add(value);
  let encoded: JsonValue;
  if (Array.isArray(value)) {
    encoded = value.map((item, index) =>
      item === undefined ? null : encodeNode(item, key, `${path}[${index}]`, ancestors, depth + 1),
    );
  } else {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const kind = (value as object).constructor?.name ?? 'class';
      return refuse(
        key,
        path,
        `a ${kind} instance cannot be stored; store plain objects and arrays`,
      );
    }
    const object: { [key: string]: JsonValue } = {};
    const keys = Object.keys(value);
    for (const name of keys) {
      const child = (value as Record<string, unknown>)[name];
      if (child === undefined) continue; // as JSON.stringify does
      setOwnEntry(object, name, encodeNode(child, key, `${path}.${name}`, ancestors, depth + 1));
    }
    encoded = isTagShaped(keys) ? { [OBJECT_TAG]: object } : object;
  }
  ancestors.delete(value);
  return encoded;
}

function isTagShaped(keys: string[]): boolean {
  return keys.length === 1 && (keys[0] === DATE_TAG || keys[0] === OBJECT_TAG);
}

function refuse(key: string, path: string, reason: string): never {
  throw new SessionDataError(
    `Session value for key "${key}" cannot be stored (at ${path}): ${reason}.`,
  );
}

/**
 * Decodes a stored value **in place** (stores hand out fresh copies) and
 * returns it: tagged dates become `Date`, escaped objects are unwrapped.
 */
export function decodeValue(value: JsonValue): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = decodeValue(value[i]!) as JsonValue;
    return value;
  }
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const only = value[keys[0]!]!;
    if (keys[0] === DATE_TAG && typeof only === 'string') return new Date(only);
    if (
      keys[0] === OBJECT_TAG &&
      typeof only === 'object' &&
      only !== null &&
      !Array.isArray(only)
    ) {
      return decodeChildren(only, Object.keys(only));
    }
  }
  return decodeChildren(value, keys);
}

function decodeChildren(object: { [key: string]: JsonValue }, keys: string[]): object {
  for (const name of keys) {
    const child = object[name]!;
    if (typeof child === 'object' && child !== null)
      setOwnEntry(object, name, decodeValue(child) as JsonValue);
  }
  return object;
}
