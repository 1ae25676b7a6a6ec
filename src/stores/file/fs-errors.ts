/**
 * Reading the `code` of a Node file system error.
 *
 * @module
 */

/** The error's `code` (`'ENOENT'`, `'EEXIST'`, …), or `undefined`. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** Runs `operation`, answering `fallback` instead of failing when the file is missing. */
export async function unlessMissing<T, F>(operation: Promise<T>, fallback: F): Promise<T | F> {
  try {
    return await operation;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return fallback;
    throw error;
  }
}
