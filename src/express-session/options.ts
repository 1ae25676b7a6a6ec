/**
 * The drop-in's options: express-session's, with their meaning, checked once
 * at creation.
 * @module
 */

import type { IncomingMessage } from 'node:http';
import type { SessionStore } from '../core/index.js';
import { checkOptionKeys } from '../kit/index.js';
import type { ExpressSessionStoreLike } from '../stores/express-session/index.js';
import type { CookieOptions } from './cookie.js';
import type { SessionSecret } from './sign.js';
import type { Store } from './store.js';

/** Options of {@link session}: express-session's, plus `storeErrors`. */
export interface ExpressSessionOptions {
  /** Signs the cookie: the first secret signs, every one verifies (rotation). Falls back to `req.secret`. */
  secret?: SessionSecret | SessionSecret[] | undefined;
  /** Cookie name. @default 'connect.sid' */
  name?: string | undefined;
  /** Cookie name (express-session's older spelling of `name`). */
  key?: string | undefined;
  /** Cookie attributes (`maxAge` in milliseconds), or a function of the request answering them. */
  cookie?: CookieOptions | ((req: IncomingMessage) => CookieOptions) | undefined;
  /** Makes a new session's id. @default 24 random bytes, base64url (32 characters) */
  genid?: ((req: IncomingMessage) => string) | undefined;
  /** `true`: trust `X-Forwarded-Proto`; `false`: only TLS sockets count; unset: Express's `req.secure`. */
  proxy?: boolean | undefined;
  /** Save every loaded session at the end of the request, changed or not. @default true */
  resave?: boolean | undefined;
  /** Send the cookie on every response. @default false */
  rolling?: boolean | undefined;
  /** Save (and send the cookie of) a new session nothing was stored in. @default true */
  saveUninitialized?: boolean | undefined;
  /** `'destroy'`: deleting `req.session` (or setting it to `null`) destroys the stored session. @default 'keep' */
  unset?: 'destroy' | 'keep' | undefined;
  /**
   * A Tessera store (keys are SHA-256 digests of the ids) or an express-session
   * store (connect-redis, connect-pg-simple, …: keys are the ids, so the
   * records it holds are found). @default new MemoryStore()
   */
  store?: Store | ExpressSessionStoreLike | SessionStore | undefined;
  /**
   * What a request gets when its session cannot be read: `'next'` passes the
   * store's error to `next(err)` (express-session's behaviour); `'respond'`
   * answers Tessera's 503 with `Retry-After` instead. @default 'next'
   */
  storeErrors?: 'next' | 'respond' | undefined;
  /**
   * Live migration to a Tessera store: with `store` the application's
   * express-session store (connect-redis, connect-pg-simple, …), sessions are
   * read from this Tessera store first and from `store` when absent there; new
   * sessions are created here only; a session found in `store` moves here on
   * its next write, under a fresh id (a new cookie), and its legacy record is
   * removed. Only with an express-session `store`; throws otherwise.
   * @default none: sessions stay in `store`
   */
  upgradeTo?: SessionStore | undefined;
}

/** Defaults, as express-session's. */
export const DEFAULT_EXPRESS_SESSION_OPTIONS = Object.freeze({
  name: 'connect.sid',
  resave: true,
  rolling: false,
  saveUninitialized: true,
  unset: 'keep' as 'destroy' | 'keep',
  storeErrors: 'next' as 'next' | 'respond',
});

const OPTION_KEYS = [
  'secret',
  'name',
  'key',
  'cookie',
  'genid',
  'proxy',
  'resave',
  'rolling',
  'saveUninitialized',
  'unset',
  'store',
  'storeErrors',
  'upgradeTo',
] as const satisfies readonly (keyof ExpressSessionOptions)[];

/** The options a middleware runs on. */
export interface ResolvedExpressSessionOptions {
  readonly name: string;
  readonly secrets: readonly SessionSecret[] | undefined;
  readonly cookie: CookieOptions | ((req: IncomingMessage) => CookieOptions);
  readonly genid: ((req: IncomingMessage) => string) | undefined;
  readonly proxy: boolean | undefined;
  readonly resave: boolean;
  readonly rolling: boolean;
  readonly saveUninitialized: boolean;
  readonly unsetDestroys: boolean;
  readonly storeErrors: 'next' | 'respond';
}

/**
 * Checks and merges `options`. Throws a `SessionConfigError` for an unknown
 * key, and express-session's `TypeError`s for a non-function `genid`, an
 * unknown `unset` or an empty `secret` array.
 */
export function resolveExpressSessionOptions(
  options: ExpressSessionOptions,
): ResolvedExpressSessionOptions {
  checkOptionKeys(options, OPTION_KEYS, 'session()');
  if (options.genid !== undefined && typeof options.genid !== 'function') {
    throw new TypeError('genid option must be a function');
  }
  if (options.unset !== undefined && options.unset !== 'destroy' && options.unset !== 'keep') {
    throw new TypeError('unset option must be "destroy" or "keep"');
  }
  const { secret } = options;
  if (Array.isArray(secret) && secret.length === 0) {
    throw new TypeError('secret option array must contain one or more strings');
  }
  const storeErrors = options.storeErrors ?? DEFAULT_EXPRESS_SESSION_OPTIONS.storeErrors;
  if (storeErrors !== 'next' && storeErrors !== 'respond') {
    throw new TypeError(
      `storeErrors option must be "next" or "respond"; got ${String(storeErrors)}`,
    );
  }
  return Object.freeze({
    name: options.name || options.key || DEFAULT_EXPRESS_SESSION_OPTIONS.name,
    secrets: secret ? (Array.isArray(secret) ? [...secret] : [secret]) : undefined,
    cookie: options.cookie ?? {},
    genid: options.genid,
    proxy: options.proxy,
    resave: options.resave ?? DEFAULT_EXPRESS_SESSION_OPTIONS.resave,
    rolling: Boolean(options.rolling),
    saveUninitialized:
      options.saveUninitialized ?? DEFAULT_EXPRESS_SESSION_OPTIONS.saveUninitialized,
    unsetDestroys: options.unset === 'destroy',
    storeErrors,
  });
}
