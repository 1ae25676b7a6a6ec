/**
 * Options of `fromExpressSessionStore`, their defaults and their checks.
 *
 * @module
 */

import { checkOptionKeys, optionKeys } from '../../core/index.js';
import { describeValue } from '../describe-value.js';

/** How {@link fromExpressSessionStore} reads and writes records. Every option may be left out. */
export interface ExpressSessionBridgeOptions {
  /**
   * Seconds a record without `cookie.expires` (a browser-session cookie in
   * express-session) is taken to live, counted from each read: such records
   * expire only when the legacy store drops them. connect-redis and
   * connect-pg-simple use the same default for their own TTL. A positive integer.
   *
   * @defaultValue `86400` (one day)
   */
  readonly defaultTtl?: number | undefined;
  /**
   * The clock, in milliseconds since the epoch, used to decide expiry.
   * Replace it in tests to move time without waiting; the legacy store keeps
   * its own clock for its TTL.
   *
   * @defaultValue `() => Date.now()`
   */
  readonly now?: (() => number) | undefined;
}

/** The options a bridge runs with once defaults are filled in. */
export type ResolvedExpressSessionBridgeOptions = Readonly<{
  [Name in keyof ExpressSessionBridgeOptions]-?: Exclude<
    ExpressSessionBridgeOptions[Name],
    undefined
  >;
}>;

/** Defaults of {@link ExpressSessionBridgeOptions}. */
export const DEFAULT_EXPRESS_SESSION_BRIDGE_OPTIONS: ResolvedExpressSessionBridgeOptions =
  Object.freeze({
    defaultTtl: 86_400,
    // A wrapper rather than `Date.now` itself, so fake timers installed later are honoured.
    now: () => Date.now(),
  });

/** The keys of {@link ExpressSessionBridgeOptions}: those of the defaults. */
const OPTION_KEYS = optionKeys<ExpressSessionBridgeOptions>()(
  DEFAULT_EXPRESS_SESSION_BRIDGE_OPTIONS,
  [],
);

/** Merges `options` over the defaults (without changing `options`) and checks the result. */
export function resolveExpressSessionBridgeOptions(
  options: ExpressSessionBridgeOptions,
): ResolvedExpressSessionBridgeOptions {
  // No peer hints: those of the store scope describe Tessera's own stores, and an option of
  // the legacy store (ttl, tableName, …) belongs to that store's constructor, not here.
  checkOptionKeys(options, OPTION_KEYS, 'fromExpressSessionStore()');
  const resolved: ResolvedExpressSessionBridgeOptions = {
    defaultTtl: options.defaultTtl ?? DEFAULT_EXPRESS_SESSION_BRIDGE_OPTIONS.defaultTtl,
    now: options.now ?? DEFAULT_EXPRESS_SESSION_BRIDGE_OPTIONS.now,
  };
  if (!Number.isSafeInteger(resolved.defaultTtl) || resolved.defaultTtl < 1) {
    throw new RangeError(
      `fromExpressSessionStore: option "defaultTtl" must be a positive whole number of seconds, got ${describeValue(resolved.defaultTtl)}. ` +
        'Pass e.g. 86400 (one day), or leave it out for the default.',
    );
  }
  if (typeof resolved.now !== 'function') {
    throw new TypeError(
      `fromExpressSessionStore: option "now" must be a function returning milliseconds since the epoch, got ${describeValue(resolved.now)}. ` +
        'Leave it out to use Date.now().',
    );
  }
  return Object.freeze(resolved);
}
