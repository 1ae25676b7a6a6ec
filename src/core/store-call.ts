/**
 * Calling a store: any failure becomes a {@link SessionStoreError} naming the
 * store and the operation, which adapters answer with 503. Each call is an
 * operation on the `tessera:store` diagnostics channel when someone listens
 * (or the manager writes debug lines); otherwise it costs one check.
 * @module
 */

import { isPromiseLike } from './awaitable.js';
import type { DebugOutput } from './debug-output.js';
import { diagnosticsChannels } from './diagnostics.js';
import { SessionDataError, type SessionError, SessionStoreError } from './errors.js';
import type { Awaitable, SessionStore } from './store.js';
import { traceStoreOperation } from './trace-call.js';

const storeChannel = diagnosticsChannels.store;

/**
 * Runs one store operation, synchronously when the store answers
 * synchronously. `operation` is the store method's name; `key` (the store
 * key it addresses, if one) is only written to the debug output, and only
 * with `showIds`.
 */
export function callStore<T>(
  store: SessionStore,
  operation: string,
  run: () => Awaitable<T>,
  debug?: DebugOutput,
  key?: string,
): Awaitable<T> {
  try {
    const result =
      debug === undefined && !storeChannel.hasSubscribers
        ? run()
        : traceStoreOperation(store, operation, run, debug, key);
    if (isPromiseLike(result)) {
      return Promise.resolve(result).catch((error: unknown) => {
        throw describeStoreFailure(store.name, operation, error);
      });
    }
    return result;
  } catch (error) {
    throw describeStoreFailure(store.name, operation, error);
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
