/**
 * Errors Tessera throws, by who caused them:
 * - {@link SessionConfigError}: a developer mistake, thrown at creation.
 * - {@link SessionDataError}: a value that cannot be stored, thrown at `set()` or on save.
 * - {@link SessionStoreError}: the store failed; adapters answer 503.
 * - {@link SessionInterruptedError}: the session was destroyed by a concurrent
 *   request (logout) before this one saved; adapters answer 400.
 * Bad client input (malformed or unknown cookies) is never an error: it means "no session".
 * @module
 */

/** Base class of every Tessera error; `status` is the HTTP status adapters answer with. */
export class SessionError extends Error {
  readonly status: number;
  constructor(message: string, status: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.status = status;
  }
}

/** A misconfiguration, thrown when a factory is called. The message names the option. */
export class SessionConfigError extends SessionError {
  constructor(message: string) {
    super(message, 500);
  }
}

/** A session value that cannot be stored, or a session over the size limit. */
export class SessionDataError extends SessionError {
  constructor(message: string) {
    super(message, 500);
  }
}

/** The store failed (unreachable, timed out, …). Adapters answer 503. */
export class SessionStoreError extends SessionError {
  /** The store's name, e.g. `"sqlite"`. */
  readonly store: string;
  constructor(store: string, operation: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`Session store "${store}" failed during ${operation}: ${detail}`, 503, { cause });
    this.store = store;
  }
}

/**
 * The session was deleted (logout, flush) by a concurrent request before this
 * request saved it; the write was dropped so the session is not brought back
 * (connect-redis #328; Django's `SessionInterrupted`). Adapters answer 400.
 */
export class SessionInterruptedError extends SessionError {
  constructor() {
    super(
      "The request's session was deleted before the request completed. " +
        'The user may have logged out in a concurrent request.',
      400,
    );
  }
}

/** Guard: is this one of Tessera's errors? */
export function isSessionError(error: unknown): error is SessionError {
  return error instanceof SessionError;
}
