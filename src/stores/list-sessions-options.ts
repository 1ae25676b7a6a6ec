/**
 * The options of `listSessions()`, checked the same way by every store:
 * a store walking a million records must not start on a bad `limit`.
 *
 * @module
 */

import type { ListSessionsOptions } from '../core/store.js';
import { describeValue } from './describe-value.js';

/** The options a listing runs with, once checked. */
export type ResolvedListSessionsOptions = Readonly<{
  limit: number;
  userId: string | undefined;
  onProgress: (examined: number) => void;
}>;

/** Defaults of {@link ListSessionsOptions} (`limit` is required and has none). */
export const DEFAULT_LIST_SESSIONS_OPTIONS: Readonly<{
  userId: undefined;
  onProgress: (examined: number) => void;
}> = Object.freeze({
  userId: undefined,
  onProgress: () => {},
});

const KNOWN_OPTIONS: ReadonlySet<string> = new Set(['limit', 'userId', 'onProgress']);

/**
 * Checks `options` (without changing them) and fills in the defaults.
 *
 * @throws TypeError or RangeError naming the option, for `store`'s method.
 */
export function resolveListSessionsOptions(
  store: string,
  options: ListSessionsOptions,
): ResolvedListSessionsOptions {
  const where = `${store} store: listSessions()`;
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${where} takes an options object such as { limit: 50 }.`);
  }
  for (const name of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(name)) {
      throw new TypeError(
        `${where}: unknown option ${JSON.stringify(name)}; the options are limit, userId and onProgress.`,
      );
    }
  }
  const { limit, userId, onProgress } = options;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1) {
    throw new RangeError(
      `${where}: option "limit" must be a positive integer, got ${describeValue(limit)}. Pass e.g. 50.`,
    );
  }
  if (userId !== undefined && typeof userId !== 'string') {
    throw new TypeError(
      `${where}: option "userId" must be a string, got ${describeValue(userId)}. Leave it out to list every user's sessions.`,
    );
  }
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new TypeError(
      `${where}: option "onProgress" must be a function (examined) => void, got ${describeValue(onProgress)}.`,
    );
  }
  return Object.freeze({
    limit,
    userId: userId ?? DEFAULT_LIST_SESSIONS_OPTIONS.userId,
    onProgress: onProgress ?? DEFAULT_LIST_SESSIONS_OPTIONS.onProgress,
  });
}
