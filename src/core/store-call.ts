/**
 * Calling a store: any failure becomes a {@link SessionStoreError} naming the
 * store and the operation, which adapters answer with 503.
 * @module
 */

import { isPromiseLike } from './awaitable.js';
import { SessionDataError, type SessionError, SessionStoreError } from './errors.js';
import type { Awaitable } from './store.js';

/** Runs one store operation, synchronously when the store answers synchronously. */
export function callStore<T>(
  store: string,
  operation: string,
  run: () => Awaitable<T>,
): Awaitable<T> {
  try {
    const result = run();
    if (isPromiseLike(result)) {
      return Promise.resolve(result).catch((error: unknown) => {
        throw describeStoreFailure(store, operation, error);
      });
    }
    return result;
  } catch (error) {
    throw describeStoreFailure(store, operation, error);
  }
}

/**
 * A store that refuses a value it cannot hold (MariaDB's nesting limit, a lone
 * surrogate) reports a data error, the app's to fix (500), not an unavailable
 * store (503): it stays as it is.
 */
export function describeStoreFailure(
  store: string,
  operation: string,
  error: unknown,
): SessionError {
  return error instanceof SessionDataError ? error : new SessionStoreError(store, operation, error);
}
