/**
 * Options of the in-process memory store, their defaults and their checks.
 *
 * @module
 */

import { checkOptionKeys, optionKeys } from '../../core/check-option-keys.js';

/** How {@link createMemoryStore} is configured. Every option may be left out. */
export interface MemoryStoreOptions {
  /**
   * Most records held at once. A read or a write makes a record the most
   * recently used; when the store is full, creating a record evicts the least
   * recently used record without a user (`userId` null), and the least
   * recently used logged-in one only when no anonymous record is left: requests
   * without a cookie cannot evict a logged-in session. Must be a positive integer.
   *
   * @defaultValue `10_000`
   */
  readonly maxEntries?: number | undefined;
  /**
   * The clock, in milliseconds since the epoch, used to decide expiry.
   * Replace it in tests to move time without waiting.
   *
   * @defaultValue `() => Date.now()`
   */
  readonly now?: (() => number) | undefined;
}

/** The options a memory store runs with once defaults are filled in. */
export type ResolvedMemoryStoreOptions = Readonly<{
  [Name in keyof MemoryStoreOptions]-?: Exclude<MemoryStoreOptions[Name], undefined>;
}>;

/** Defaults of {@link MemoryStoreOptions}. */
export const DEFAULT_MEMORY_STORE_OPTIONS: ResolvedMemoryStoreOptions = Object.freeze({
  maxEntries: 10_000,
  // A wrapper rather than `Date.now` itself, so fake timers installed later are honoured.
  now: () => Date.now(),
});

/** The keys of {@link MemoryStoreOptions}: those of {@link DEFAULT_MEMORY_STORE_OPTIONS}. */
const OPTION_KEYS = optionKeys<MemoryStoreOptions>()(DEFAULT_MEMORY_STORE_OPTIONS, []);

/** Merges `options` over the defaults (without changing `options`) and checks the result. */
export function resolveMemoryStoreOptions(options: MemoryStoreOptions): ResolvedMemoryStoreOptions {
  checkOptionKeys(options, OPTION_KEYS, 'createMemoryStore()', { scope: 'store' });
  const resolved: ResolvedMemoryStoreOptions = {
    maxEntries: options.maxEntries ?? DEFAULT_MEMORY_STORE_OPTIONS.maxEntries,
    now: options.now ?? DEFAULT_MEMORY_STORE_OPTIONS.now,
  };
  if (!Number.isSafeInteger(resolved.maxEntries) || resolved.maxEntries < 1) {
    throw new RangeError(
      `createMemoryStore: option "maxEntries" must be a positive integer, got ${describeValue(resolved.maxEntries)}. ` +
        'Pass a whole number of records such as 10_000, or leave it out for the default.',
    );
  }
  if (typeof resolved.now !== 'function') {
    throw new TypeError(
      `createMemoryStore: option "now" must be a function returning milliseconds since the epoch, got ${describeValue(resolved.now)}. ` +
        'Leave it out to use Date.now().',
    );
  }
  return Object.freeze(resolved);
}

function describeValue(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
