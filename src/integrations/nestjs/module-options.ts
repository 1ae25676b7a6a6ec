/**
 * The options of `TesseraSessionModule.forRoot()` and `forRootAsync()`.
 * @module
 */

import { SessionConfigError, type SessionOptions } from '../../core/index.js';
import { checkSessionOptionKeys } from '../../kit/index.js';

/**
 * Options of {@link TesseraSessionModule.forRoot}: the core's {@link SessionOptions}
 * (store, cookie, timeouts, `onError`, …), plus `csrf`.
 */
export interface TesseraSessionModuleOptions extends SessionOptions {
  /**
   * Check CSRF tokens on every route: registers {@link CsrfGuard} as a global
   * guard (unsafe methods without the session's token answer 403). Routes
   * marked {@link SkipCsrf} are left out.
   * @defaultValue false
   */
  csrf?: boolean;
}

/** The module's own defaults (the session options' defaults are the core's). */
export const DEFAULT_MODULE_OPTIONS: Readonly<Required<Pick<TesseraSessionModuleOptions, 'csrf'>>> =
  Object.freeze({ csrf: false });

/** Keys of the module's options that are no session options. */
const MODULE_OWN_OPTIONS: readonly string[] = ['csrf'];

/**
 * Checks the module's options (unknown keys, `csrf`'s type) and answers a
 * frozen copy with the module's defaults filled in; the caller's object is left
 * as it is. Throws a `SessionConfigError` naming the mistake.
 */
export function resolveModuleOptions(
  options: TesseraSessionModuleOptions,
  factoryName: string,
): Readonly<TesseraSessionModuleOptions> {
  if (typeof options !== 'object' || options === null) {
    throw new SessionConfigError(
      `${factoryName} takes an options object (SessionOptions plus csrf); got ${options === null ? 'null' : typeof options}.`,
    );
  }
  checkSessionOptionKeys(options, factoryName, MODULE_OWN_OPTIONS);
  if (options.csrf !== undefined && typeof options.csrf !== 'boolean') {
    throw new SessionConfigError(
      `${factoryName}: option "csrf" must be true or false; got ${typeof options.csrf}.`,
    );
  }
  return Object.freeze({ ...DEFAULT_MODULE_OPTIONS, ...options });
}

/** The session options among the module's (a copy without `csrf`), as the adapters take them. */
export function sessionOptionsOf(options: TesseraSessionModuleOptions): SessionOptions {
  const { csrf: _csrf, ...sessionOptions } = options;
  return sessionOptions;
}
