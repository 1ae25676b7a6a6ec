/**
 * Assertions that work under every test runner: they throw `node:assert`'s
 * `AssertionError`, which vitest, jest, `node:test` and mocha all report with
 * a diff.
 * @module
 */

import { AssertionError, deepStrictEqual } from 'node:assert';

/**
 * Throws an `AssertionError` headed by `message`, followed by Node's diff of
 * `actual` and `expected`, unless they are deeply and strictly equal
 * (`assert.deepStrictEqual`).
 *
 * @example
 * ```ts
 * assertMatches({ user: 'bob' }, { user: 'ann' }, 'The session does not hold the expected values.', expectSession);
 * ```
 */
export function assertMatches(
  actual: unknown,
  expected: unknown,
  message: string,
  // biome-ignore lint/complexity/noBannedTypes: node:assert's stackStartFn is typed Function
  stackStartFn: Function,
): void {
  try {
    deepStrictEqual(actual, expected);
  } catch (error) {
    if (!(error instanceof AssertionError)) throw error;
    const details = { actual, expected, operator: 'deepStrictEqual', stackStartFn };
    const assertion = new AssertionError({ message, ...details });
    // Some Node versions append their diff to a custom message; add it where they do not.
    if (assertion.message !== message) throw assertion;
    throw new AssertionError({ message: `${message}\n${error.message}`, ...details });
  }
}
