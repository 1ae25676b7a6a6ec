/**
 * Values that may or may not be promises. Stores answer synchronously when they
 * can (memory, SQLite), and the core keeps such answers synchronous, so a
 * request on those stores costs no microtask.
 * @module
 */

import type { Awaitable } from './store.js';

/** Whether a value is a promise (or any thenable): the one check the core and every adapter use. */
export function isPromiseLike<T>(value: Awaitable<T> | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** Continues synchronously when the value is ready, asynchronously when it is a promise. */
export function whenReady<T, R>(
  value: T | PromiseLike<T>,
  next: (value: T) => R | PromiseLike<R>,
): R | Promise<R> {
  return isPromiseLike(value) ? Promise.resolve(value).then(next) : (next(value) as R | Promise<R>);
}
