/**
 * Options shared by the signed and the encrypted cookie store: frozen defaults,
 * merged and checked once, at creation.
 * @module
 */

import { checkOptionKeys, optionKeys } from '../../core/check-option-keys.js';
import { SessionConfigError } from '../../core/errors.js';
import type { SessionStore } from '../../core/store.js';
import { secretBytes } from './keys.js';

/** Options of `createSignedCookieStore` and `createEncryptedCookieStore`. */
export interface CookieStoreOptions {
  /**
   * Secrets, newest first: the first seals, every one opens (rotation: put a new
   * secret in front, drop the last once its cookies have expired). Each must be
   * at least 32 bytes of randomness, e.g. from `openssl rand -base64 48`.
   */
  secrets: readonly (string | Uint8Array)[];
  /**
   * Session lifetime in seconds, used when the manager's `cookieAge` is not set.
   * Short on purpose: without `revocation`, `flush()` cannot kill a copied cookie
   * before it expires (CVE-2024-31999). @defaultValue 86400 (one day)
   */
  maxAge?: number;
  /**
   * Seconds a cookie's timestamp may lie in the future (clocks of several
   * servers drift); a cookie stamped further ahead is rejected. @defaultValue 60
   */
  clockSkew?: number;
  /**
   * A server-side store (e.g. Redis) recording the ids of flushed and cycled
   * cookies until they expire, so `flush()`/`logout()` are final even for copied
   * cookies. Costs one read per request. Closed with the cookie store. @defaultValue undefined
   */
  revocation?: SessionStore | undefined;
}

/** Defaults of {@link CookieStoreOptions}. */
export const DEFAULT_COOKIE_STORE_OPTIONS = Object.freeze({
  maxAge: 86_400,
  clockSkew: 60,
  revocation: undefined as SessionStore | undefined,
});

/** The keys of {@link CookieStoreOptions}: those of {@link DEFAULT_COOKIE_STORE_OPTIONS}, and `secrets`. */
const OPTION_KEYS = optionKeys<CookieStoreOptions>()(DEFAULT_COOKIE_STORE_OPTIONS, ['secrets']);

/** {@link CookieStoreOptions} after merging, secrets as bytes. */
export interface ResolvedCookieStoreOptions {
  readonly secrets: readonly Uint8Array<ArrayBuffer>[];
  readonly maxAge: number;
  readonly clockSkew: number;
  readonly revocation: SessionStore | undefined;
}

/** Secrets shorter than this are refused: HKDF and HMAC do no stretching. */
export const MIN_SECRET_BYTES = 32;

// RFC 6265bis §5.4: user agents cap cookie lifetimes at 400 days.
const MAX_AGE_LIMIT = 400 * 24 * 3600;

/** Merges over the defaults and checks; throws {@link SessionConfigError} saying what to do. */
export function resolveCookieStoreOptions(
  options: CookieStoreOptions,
  factory: string,
): ResolvedCookieStoreOptions {
  if (typeof options !== 'object' || options === null) {
    throw new SessionConfigError(
      `${factory}() needs options with "secrets": a list of secrets of at least ${MIN_SECRET_BYTES} bytes, e.g. from \`openssl rand -base64 48\`.`,
    );
  }
  checkOptionKeys(options, OPTION_KEYS, `${factory}()`, { scope: 'cookieStore' });
  const secrets = checkSecrets(options.secrets, factory);
  const maxAge = options.maxAge ?? DEFAULT_COOKIE_STORE_OPTIONS.maxAge;
  const clockSkew = options.clockSkew ?? DEFAULT_COOKIE_STORE_OPTIONS.clockSkew;
  checkInteger(factory, 'maxAge', maxAge, 1, MAX_AGE_LIMIT);
  checkInteger(factory, 'clockSkew', clockSkew, 0, 3600);
  const revocation = options.revocation ?? DEFAULT_COOKIE_STORE_OPTIONS.revocation;
  if (revocation !== undefined) checkRevocation(factory, revocation);
  return Object.freeze({ secrets, maxAge, clockSkew, revocation });
}

function checkSecrets(secrets: unknown, factory: string): readonly Uint8Array<ArrayBuffer>[] {
  if (!Array.isArray(secrets) || secrets.length === 0) {
    throw new SessionConfigError(
      `${factory}(): option "secrets" must be a non-empty list, newest first; make a secret with \`openssl rand -base64 48\`.`,
    );
  }
  return Object.freeze(
    secrets.map((secret: unknown, index) => {
      if (typeof secret !== 'string' && !(secret instanceof Uint8Array)) {
        throw new SessionConfigError(
          `${factory}(): secrets[${index}] must be a string or a Uint8Array; make one with \`openssl rand -base64 48\`.`,
        );
      }
      const bytes = secretBytes(secret);
      if (bytes.length < MIN_SECRET_BYTES) {
        throw new SessionConfigError(
          `${factory}(): secrets[${index}] is ${bytes.length} bytes; a secret must be at least ${MIN_SECRET_BYTES} bytes of randomness. ` +
            'Make one with `openssl rand -base64 48` and keep it out of the source code.',
        );
      }
      return new Uint8Array(bytes); // a copy: later changes to the caller's buffer are not seen
    }),
  );
}

function checkInteger(factory: string, name: string, value: unknown, min: number, max: number) {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new SessionConfigError(
      `${factory}(): option "${name}" must be an integer from ${min} to ${max} seconds; got ${String(value)}.`,
    );
  }
}

function checkRevocation(factory: string, store: SessionStore): void {
  for (const method of ['read', 'create', 'clearExpired'] as const) {
    if (typeof (store as unknown as Record<string, unknown>)[method] !== 'function') {
      throw new SessionConfigError(
        `${factory}(): option "revocation" must be a server-side session store such as createRedisStore(); it has no ${method}() method.`,
      );
    }
  }
  if ((store as { kind?: unknown }).kind === 'cookie') {
    throw new SessionConfigError(
      `${factory}(): option "revocation" must be a server-side store (memory, Redis, SQL), not a cookie store.`,
    );
  }
}
