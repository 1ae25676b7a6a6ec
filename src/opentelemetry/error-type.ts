/**
 * `error.type` for a failed operation: a low-cardinality class of the error,
 * never its message (a message may quote a statement, a URL or a key).
 * https://opentelemetry.io/docs/specs/semconv/attributes-registry/error/
 * @module
 */

/** What `error.type` is when nothing better describes the error (the semantic conventions' fallback). */
export const OTHER_ERROR_TYPE = '_OTHER';

const CODE = /^[A-Za-z0-9_.-]{1,64}$/;
const NAME = /^[A-Za-z_$][\w$.]{0,63}$/;

/**
 * The error's code when it has a short one (`ECONNREFUSED`, a SQLSTATE such
 * as `57P01`, `ER_LOCK_DEADLOCK`), else its class name (`SessionStoreError`,
 * `TypeError`), else {@link OTHER_ERROR_TYPE}.
 */
export function describeErrorType(error: unknown): string {
  if (typeof error !== 'object' || error === null) return OTHER_ERROR_TYPE;
  try {
    const { code, name } = error as { readonly code?: unknown; readonly name?: unknown };
    if (typeof code === 'string' && CODE.test(code)) return code;
    if (typeof name === 'string' && name !== 'Error' && NAME.test(name)) return name;
    const constructorName = (error as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof constructorName === 'string' && NAME.test(constructorName)) return constructorName;
  } catch {
    // A getter that throws (a revoked Proxy, …): the error stays unclassified.
  }
  return OTHER_ERROR_TYPE;
}
