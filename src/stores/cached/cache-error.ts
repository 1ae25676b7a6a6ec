/**
 * What the cached store hands to `onError` when its cache fails.
 *
 * @module
 */

/**
 * A cache failure the request survived: the durable store answered instead.
 * Never thrown; passed to the `onError` option. `cause` is the cache's error.
 */
export class SessionCacheError extends Error {
  /** The cache's store name, e.g. `"redis"`. */
  readonly cache: string;
  /** The cache method that failed, e.g. `"read"`. */
  readonly operation: string;
  constructor(cache: string, operation: string, consequence: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`Session cache "${cache}" failed during ${operation}: ${detail}; ${consequence}`, {
      cause,
    });
    this.name = 'SessionCacheError';
    this.cache = cache;
    this.operation = operation;
  }
}
