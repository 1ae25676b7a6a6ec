/**
 * How an option's wrong value is shown in a store's error message.
 * @module
 */

/** A short description of `value`: strings quoted, functions and objects named by kind. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}
