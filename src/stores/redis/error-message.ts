/**
 * The words of an error, for messages that wrap it.
 *
 * @module
 */

/** The message of `error`; every inner error's for an `AggregateError` (e.g. IPv4 and IPv6 both refused). */
export function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map(messageOf).join('; ');
  }
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/** The innermost `cause` of `error` (the driver's own error under the store's wrappers). */
export function rootCause(error: unknown): unknown {
  let current = error;
  for (
    let depth = 0;
    depth < 10 && current instanceof Error && current.cause !== undefined;
    depth++
  ) {
    current = current.cause;
  }
  return current;
}
