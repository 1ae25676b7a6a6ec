/**
 * Session options: defaults in frozen constants, checked and merged once at creation.
 * @module
 */

import { checkOptionKeys, optionKeys } from './check-option-keys.js';
import { checkDebugOption, type SessionDebugOptions } from './debug-output.js';
import { SessionConfigError } from './errors.js';
import type { SessionIdDigester } from './session-id.js';
import type { SessionStore } from './store.js';

/** Attributes of the session cookie. */
export interface SessionCookieOptions {
  /** Cookie name. `__Host-`/`__Secure-` prefixes are checked (RFC 6265bis §4.1.3). @default 'sessionid' */
  name?: string;
  /** Cookie path. @default '/' */
  path?: string;
  /** Cookie domain; unset means host-only, the safest (OWASP). @default undefined */
  domain?: string | undefined;
  /** Hide the cookie from scripts. @default true */
  httpOnly?: boolean;
  /** SameSite attribute; `false` omits it. `'none'` requires `secure: true`. @default 'lax' */
  sameSite?: 'lax' | 'strict' | 'none' | false;
  /**
   * Secure attribute. `'auto'`: set when the request arrived over HTTPS
   * (with `trustProxy`, also when `X-Forwarded-Proto: https`). @default 'auto'
   */
  secure?: boolean | 'auto';
  /** CHIPS `Partitioned` attribute (requires `secure: true`). @default false */
  partitioned?: boolean;
}

/** What an error hook is told besides the error. */
export interface SessionErrorContext {
  /** What Tessera was doing: `"load"`, `"commit"`, … */
  phase: string;
}

/** Options of {@link createSessionManager} and of every adapter. */
export interface SessionOptions {
  /** Where sessions live. Adapters default to SQLite at `.tessera/sessions.db`; the core requires one. */
  store?: SessionStore;
  /** Cookie attributes; merged over {@link DEFAULT_COOKIE_OPTIONS}. */
  cookie?: SessionCookieOptions;
  /** Session lifetime in seconds (Django `SESSION_COOKIE_AGE`). @default 1209600 (two weeks) */
  cookieAge?: number;
  /** Sessions end when the browser closes (no Max-Age). @default false */
  expireAtBrowserClose?: boolean;
  /** OWASP idle timeout in seconds: a session unused this long expires. @default undefined (off) */
  idleTimeout?: number | undefined;
  /** OWASP absolute timeout in seconds since the session was created. @default undefined (off) */
  absoluteTimeout?: number | undefined;
  /** Refresh expiry on every request (Django `SESSION_SAVE_EVERY_REQUEST`), as a cheap touch. @default false */
  saveEveryRequest?: boolean;
  /** Seconds an expiry refresh of an unchanged session is held back (0: every request). @default 60 */
  touchAfter?: number;
  /** Largest session, in bytes of encoded JSON; a bigger one fails to save and nothing is written. @default 65536 */
  maxSize?: number;
  /** Believe `X-Forwarded-Proto` for `secure: 'auto'` (set when behind a TLS-terminating proxy). @default false */
  trustProxy?: boolean;
  /** Turns an id into its store key. @default SHA-256 hex (Web Crypto; the Node adapters use node:crypto) */
  digestId?: SessionIdDigester;
  /**
   * What a request gets when its session cannot be loaded: a 503 before the
   * handler runs (`'respond'`), or a session that throws on first use
   * (`'throw-on-use'`). See {@link StoreOutageMode}. @default 'respond'
   */
  storeOutage?: StoreOutageMode;
  /** Told about every store failure and interrupted save; Tessera never logs by itself. @default undefined */
  onError?: ((error: unknown, context: SessionErrorContext) => void) | undefined;
  /**
   * Human-readable debug output, one line per session load, commit, store
   * operation and CSRF rejection (`tessera commit sqlite delta saved 1.02 ms`),
   * to `console.error` or `debug.write`. Never a session id, cookie or value;
   * with `debug.showIds`, store lines add the store key. `NODE_DEBUG=tessera`
   * turns it on too. See docs/diagnostics.md. @default false
   */
  debug?: boolean | SessionDebugOptions | undefined;
}

/** Cookie defaults, as Django's (`sessionid`, `/`, HttpOnly, Lax, no Domain). */
export const DEFAULT_COOKIE_OPTIONS = Object.freeze({
  name: 'sessionid',
  path: '/',
  domain: undefined as string | undefined,
  httpOnly: true,
  sameSite: 'lax' as 'lax' | 'strict' | 'none' | false,
  secure: 'auto' as boolean | 'auto',
  partitioned: false,
});

/** Session defaults. */
export const DEFAULT_SESSION_OPTIONS = Object.freeze({
  cookieAge: 1_209_600,
  expireAtBrowserClose: false,
  idleTimeout: undefined as number | undefined,
  absoluteTimeout: undefined as number | undefined,
  saveEveryRequest: false,
  touchAfter: 60,
  maxSize: 65_536,
  trustProxy: false,
  storeOutage: 'respond' as StoreOutageMode,
  debug: false as boolean | SessionDebugOptions,
});

/**
 * What a request whose session cannot be loaded (the store is down) gets:
 * - `'respond'`: the adapter answers 503 with `Retry-After` before the handler
 *   runs. The default: no handler ever runs with a session it could not read,
 *   so none mistakes a logged-in visitor for an anonymous one.
 * - `'throw-on-use'`: the handler runs; the session throws the
 *   {@link SessionStoreError} on first use (adapters answer it with 503), so
 *   pages that never touch the session stay up while the store restarts.
 */
export type StoreOutageMode = 'respond' | 'throw-on-use';

/** The keys of {@link SessionOptions}: those of {@link DEFAULT_SESSION_OPTIONS}, and the options without a default. */
const SESSION_OPTION_KEYS = optionKeys<SessionOptions>()(DEFAULT_SESSION_OPTIONS, [
  'store',
  'cookie',
  'digestId',
  'onError',
]);

/** The keys of {@link SessionCookieOptions}: those of {@link DEFAULT_COOKIE_OPTIONS}. */
const COOKIE_OPTION_KEYS = optionKeys<SessionCookieOptions>()(DEFAULT_COOKIE_OPTIONS, []);

/**
 * Throws {@link SessionConfigError} for a key of `options`, or of its `cookie`,
 * that is no session option, naming it and `factoryName` and saying what to use
 * instead (see `checkOptionKeys`). `ownKeys` are the options the factory takes
 * besides the session options, such as the Fastify plugin's `csrf`.
 */
export function checkSessionOptionKeys(
  options: unknown,
  factoryName: string,
  ownKeys: readonly string[] = [],
): void {
  const known =
    ownKeys.length === 0 ? SESSION_OPTION_KEYS : new Set([...SESSION_OPTION_KEYS, ...ownKeys]);
  checkOptionKeys(options, known, factoryName, { scope: 'session' });
  checkOptionKeys(
    (options as SessionOptions | undefined)?.cookie,
    COOKIE_OPTION_KEYS,
    factoryName,
    {
      scope: 'cookie',
      path: 'cookie',
    },
  );
}

/** Cookie options after merging, with every default filled in. */
export type ResolvedCookieOptions = Readonly<Required<Omit<SessionCookieOptions, 'domain'>>> & {
  readonly domain: string | undefined;
};

/** Session options after merging, with every default filled in: what a manager runs on. */
export type ResolvedSessionOptions = Readonly<
  typeof DEFAULT_SESSION_OPTIONS & {
    store: SessionStore;
    cookie: ResolvedCookieOptions;
    digestId: SessionIdDigester;
    /** Told about store failures and interrupted saves; see {@link SessionOptions.onError}. */
    onError: ((error: unknown, context: SessionErrorContext) => void) | undefined;
  }
>;

// RFC 6265bis §5.4: user agents cap cookie lifetimes at 400 days.
const MAX_COOKIE_AGE = 400 * 24 * 3600;

/** Merges options over the defaults and checks them; throws {@link SessionConfigError} naming the option. */
export function resolveSessionOptions(
  options: SessionOptions,
  fallback: { store?: () => SessionStore; digestId: SessionIdDigester },
): ResolvedSessionOptions {
  checkSessionOptionKeys(options, 'createSessionManager()');
  const cookie: ResolvedCookieOptions = Object.freeze({
    ...DEFAULT_COOKIE_OPTIONS,
    ...options.cookie,
  });
  const store = options.store ?? fallback.store?.();
  if (!store) {
    throw new SessionConfigError(
      'Option "store" is required: pass a store such as createMemoryStore() or createSqliteStore().',
    );
  }
  checkStore(store);
  const resolved = {
    ...DEFAULT_SESSION_OPTIONS,
    ...definedOnly(options),
    store,
    cookie,
    digestId: options.digestId ?? fallback.digestId,
    onError: options.onError,
  };
  checkSeconds('cookieAge', resolved.cookieAge, { min: 1, max: MAX_COOKIE_AGE });
  checkSeconds('touchAfter', resolved.touchAfter, { min: 0, max: Number.MAX_SAFE_INTEGER });
  checkSeconds('maxSize', resolved.maxSize, { min: 64, max: Number.MAX_SAFE_INTEGER });
  if (resolved.idleTimeout !== undefined)
    checkSeconds('idleTimeout', resolved.idleTimeout, { min: 1, max: MAX_COOKIE_AGE });
  if (resolved.absoluteTimeout !== undefined) {
    checkSeconds('absoluteTimeout', resolved.absoluteTimeout, { min: 1, max: MAX_COOKIE_AGE });
  }
  if (resolved.storeOutage !== 'respond' && resolved.storeOutage !== 'throw-on-use') {
    throw new SessionConfigError(
      `Option "storeOutage" must be 'respond' or 'throw-on-use'; got ${JSON.stringify(resolved.storeOutage)}.`,
    );
  }
  if (typeof resolved.digestId !== 'function') {
    throw new SessionConfigError('Option "digestId" must be a function (id) => key.');
  }
  if (resolved.onError !== undefined && typeof resolved.onError !== 'function') {
    throw new SessionConfigError('Option "onError" must be a function (error, context) => void.');
  }
  checkDebugOption(resolved.debug, 'createSessionManager()');
  if (typeof resolved.debug === 'object') resolved.debug = Object.freeze({ ...resolved.debug });
  return Object.freeze(resolved);
}

function definedOnly(options: SessionOptions): Partial<typeof DEFAULT_SESSION_OPTIONS> {
  const result: Record<string, unknown> = {};
  for (const name of Object.keys(DEFAULT_SESSION_OPTIONS)) {
    const value = (options as Record<string, unknown>)[name];
    if (value !== undefined) result[name] = value;
  }
  return result as Partial<typeof DEFAULT_SESSION_OPTIONS>;
}

function checkSeconds(name: string, value: unknown, range: { min: number; max: number }): void {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < range.min ||
    value > range.max
  ) {
    throw new SessionConfigError(
      `Option "${name}" must be an integer from ${range.min} to ${range.max}; got ${String(value)}.`,
    );
  }
}

const STORE_METHODS = [
  'read',
  'create',
  'update',
  'rotate',
  'touch',
  'destroy',
  'clearExpired',
] as const;

/**
 * Whether `value` has every method of the {@link SessionStore} contract: the
 * one test of "is a Tessera store", for code that takes either a Tessera
 * store or another library's (the express-session drop-in and bridge).
 */
export function isSessionStore(value: unknown): value is SessionStore {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const methods = value as Record<string, unknown>;
  return STORE_METHODS.every((method) => typeof methods[method] === 'function');
}

function checkStore(store: SessionStore): void {
  const methods = store as unknown as Record<string, unknown>;
  // express-session's, @fastify/session's and koa-session's stores: get, set, destroy.
  if (
    typeof methods.get === 'function' &&
    typeof methods.set === 'function' &&
    typeof methods.read !== 'function'
  ) {
    throw new SessionConfigError(
      'Option "store" is a store of express-session, @fastify/session or koa-session (get/set/destroy), not a Tessera store: ' +
        'use one from tessera-session/stores/* (createRedisStore, createPostgresStore, createSqliteStore, …), ' +
        'or wrap an express-session store: fromExpressSessionStore(store) from tessera-session/stores/express-session.',
    );
  }
  for (const method of STORE_METHODS) {
    if (typeof methods[method] !== 'function') {
      throw new SessionConfigError(
        `Option "store" is not a session store: it has no ${method}() method. See docs/stores.md.`,
      );
    }
  }
}
