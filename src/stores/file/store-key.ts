/**
 * The guard between a store key and the file system: only the SHA-256 digest
 * the session core passes (64 lowercase hex characters) may become a file
 * name. Anything else — `../x`, `/etc/passwd`, `a\b`, NUL, the wrong length,
 * uppercase — is refused before any file system call (Django's file backend
 * does the same with `VALID_KEY_CHARS`: "make sure we're not vulnerable to
 * directory traversal").
 *
 * @module
 */

const STORE_KEY = /^[0-9a-f]{64}$/;

/** Whether `key` is a store key: exactly 64 lowercase hex characters. */
export function isStoreKey(key: unknown): key is string {
  return typeof key === 'string' && STORE_KEY.test(key);
}

/**
 * Throws a `TypeError` unless `key` is a store key. The session core only
 * passes digests, so another key is a programming error, never bad client input.
 */
export function assertStoreKey(key: unknown): asserts key is string {
  if (isStoreKey(key)) return;
  throw new TypeError(
    `file store: refused the store key ${preview(key)} before touching the disk: a store key must be ` +
      '64 lowercase hex characters (the SHA-256 digest of a session id that the session core passes), ' +
      'so that it is always a plain file name. Pass the digest, never a session id or a path.',
  );
}

/** The key as it can be shown: JSON-quoted (so NUL and backslashes are visible) and shortened. */
function preview(key: unknown): string {
  if (typeof key !== 'string') return `of type ${key === null ? 'null' : typeof key}`;
  const quoted = JSON.stringify(key.length > 80 ? `${key.slice(0, 80)}…` : key);
  return `${quoted} (${key.length} characters)`;
}
