/**
 * Calls one method of an express-session store and answers a promise.
 *
 * @module
 */

import type { ExpressSessionCallback } from './store-like.js';

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** `error` as an `Error`: stores sometimes throw or reject with other values. */
function asError(error: unknown, what: string): Error {
  return error instanceof Error
    ? error
    : new Error(`${what} failed with ${String(error)}`, { cause: error });
}

/**
 * Runs `call` with a callback and settles with what the callback receives:
 * rejects when it gets an error (any truthy first argument, as express-session
 * checks), resolves with the value otherwise. A callback called synchronously
 * (express-session's own test suite has such a store) works; a second call is
 * ignored. A method that throws, or returns a promise that rejects before
 * calling back, rejects too: a store outage is never swallowed.
 */
export function callStore<T>(
  what: string,
  call: (callback: ExpressSessionCallback<T>) => unknown,
): Promise<T | undefined> {
  return new Promise<T | undefined>((resolve, reject) => {
    let settled = false;
    const callback: ExpressSessionCallback<T> = (error, value) => {
      if (settled) return;
      settled = true;
      if (error) reject(asError(error, what));
      else resolve(value);
    };
    try {
      const returned = call(callback);
      if (isThenable(returned)) {
        returned.then(undefined, (error: unknown) =>
          callback(error || new Error(`${what} rejected with ${String(error)}`)),
        );
      }
    } catch (error) {
      callback(error || new Error(`${what} threw ${String(error)}`));
    }
  });
}
