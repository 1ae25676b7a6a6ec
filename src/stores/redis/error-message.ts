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

/**
 * Whether `error` is an instance of a class named `className`, or of a
 * subclass of one: told by name, so that an error of another copy of the
 * driver (a client the application created with its own) is recognised too.
 */
export function isErrorOfClass(error: unknown, className: string): error is Error {
  if (!(error instanceof Error)) return false;
  for (
    let prototype: unknown = Object.getPrototypeOf(error);
    prototype !== null && prototype !== Error.prototype;
    prototype = Object.getPrototypeOf(prototype)
  ) {
    if ((prototype as { constructor?: { name?: unknown } }).constructor?.name === className) {
      return true;
    }
  }
  return false;
}

/** The error of a request while Redis at `description` cannot be reached, with why. */
export function unreachableError(description: string, cause: unknown): Error {
  return new Error(
    `Redis at ${description} is unreachable (${messageOf(cause)}); the store reconnects by itself once it answers again.`,
    { cause },
  );
}
