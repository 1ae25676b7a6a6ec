/**
 * Options of the cached store, their defaults and their checks.
 *
 * @module
 */

import { checkOptionKeys, optionKeys } from '../../core/check-option-keys.js';
import { SessionConfigError } from '../../core/errors.js';
import type { SessionStore } from '../../core/store.js';

/** How {@link createCachedStore} is configured: `cache` and `store` are required. */
export interface CachedStoreOptions {
  /**
   * The fast store read first: the memory store, a Redis store, any
   * {@link SessionStore}. It holds copies only; losing it loses nothing. Its
   * failures never fail a request: they go to `onError` and the durable
   * store answers instead. Give it a store of its own (not shared with
   * sessions written by other means).
   */
  readonly cache: SessionStore;
  /**
   * The durable store, the source of truth: every write reaches it first.
   * Its failures fail the request (HTTP 503). Once wrapped, write to it only
   * through the cached store, or cached copies may go stale.
   */
  readonly store: SessionStore;
  /**
   * Whether `close()` also closes `cache` and `store`. The cached store is
   * their only user once they are handed over, so by default it closes them;
   * pass `false` to keep them open (for example when they are shared).
   *
   * @defaultValue `true`
   */
  readonly closeInner?: boolean | undefined;
  /**
   * Receives every cache failure (a {@link SessionCacheError} whose `cause`
   * is the cache's error) while requests carry on with the durable store.
   * Send them to your logger; Django logs them as "Error saving to cache".
   *
   * @defaultValue a function that ignores them
   */
  readonly onError?: ((error: unknown) => void) | undefined;
}

/** The options a cached store runs with once defaults are filled in. */
export type ResolvedCachedStoreOptions = Readonly<{
  cache: SessionStore;
  store: SessionStore;
  closeInner: boolean;
  /** Told about errors the store handled without failing an operation. */
  onError: (error: unknown) => void;
}>;

/** Defaults of {@link CachedStoreOptions} (`cache` and `store` have none). */
export const DEFAULT_CACHED_STORE_OPTIONS: Readonly<{
  closeInner: boolean;
  /** Told about errors the store handled without failing an operation. */
  onError: (error: unknown) => void;
}> = Object.freeze({
  closeInner: true,
  onError: () => {},
});

/** The keys of {@link CachedStoreOptions}: those of {@link DEFAULT_CACHED_STORE_OPTIONS}, and `cache` and `store`. */
const OPTION_KEYS = optionKeys<CachedStoreOptions>()(DEFAULT_CACHED_STORE_OPTIONS, [
  'cache',
  'store',
]);

const REQUIRED_METHODS = ['read', 'create', 'update', 'touch', 'destroy', 'clearExpired'] as const;

/** Merges `options` over the defaults (without changing `options`) and checks the result. */
export function resolveCachedStoreOptions(options: CachedStoreOptions): ResolvedCachedStoreOptions {
  if (typeof options !== 'object' || options === null) {
    throw new SessionConfigError(
      'createCachedStore: pass an options object { cache, store }, for example ' +
        '{ cache: createMemoryStore(), store: createSqliteStore() }.',
    );
  }
  checkOptionKeys(options, OPTION_KEYS, 'createCachedStore()', { scope: 'store' });
  const resolved: ResolvedCachedStoreOptions = {
    cache: options.cache,
    store: options.store,
    closeInner: options.closeInner ?? DEFAULT_CACHED_STORE_OPTIONS.closeInner,
    onError: options.onError ?? DEFAULT_CACHED_STORE_OPTIONS.onError,
  };
  for (const name of ['cache', 'store'] as const) {
    const candidate: unknown = resolved[name];
    const missing = missingMethods(candidate);
    if (missing.length > 0) {
      const role = name === 'cache' ? 'the fast store read first' : 'the durable store';
      throw new SessionConfigError(
        `createCachedStore: option "${name}" must be a session store (${role}), ` +
          `but ${candidate === undefined ? 'it is missing' : `it lacks ${missing.join(', ')}`}. ` +
          'Pass a store such as createMemoryStore() or createSqliteStore().',
      );
    }
  }
  if (resolved.cache === resolved.store) {
    throw new SessionConfigError(
      'createCachedStore: options "cache" and "store" are the same store; pass a fast cache ' +
        '(such as createMemoryStore()) and a separate durable store.',
    );
  }
  if (typeof resolved.closeInner !== 'boolean') {
    throw new SessionConfigError(
      `createCachedStore: option "closeInner" must be true or false, got ${String(resolved.closeInner)}. ` +
        'Leave it out to close both stores with the cached store.',
    );
  }
  if (typeof resolved.onError !== 'function') {
    throw new SessionConfigError(
      'createCachedStore: option "onError" must be a function receiving the error. ' +
        'Leave it out to ignore cache failures.',
    );
  }
  return Object.freeze(resolved);
}

function missingMethods(candidate: unknown): string[] {
  if (typeof candidate !== 'object' || candidate === null) return [...REQUIRED_METHODS];
  const methods = candidate as Record<string, unknown>;
  return REQUIRED_METHODS.filter((method) => typeof methods[method] !== 'function');
}
