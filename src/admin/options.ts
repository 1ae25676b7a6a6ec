/**
 * The options of {@link createAdminHandler}, checked once at creation.
 * @module
 */

import {
  checkOptionKeys,
  isCookieSessionStore,
  optionKeys,
  SessionConfigError,
  type SessionManager,
  type SessionStore,
} from '../core/index.js';

/**
 * Decides whether a request may see and act on the admin pages. It is
 * called for every request, before anything is read from the store; answer
 * `false` to refuse with 403. There is no default: pass a check of your own
 * (your app's admin session, a header set by an authenticating proxy, …).
 */
export type AdminAuthorize = (request: Request) => boolean | Promise<boolean>;

/** Options of {@link createAdminHandler}. */
export interface AdminHandlerOptions {
  /** The session manager whose store the pages show (`manager.store`). Required. */
  manager: SessionManager;
  /** Who may use the admin. Required: without it the handler is not created. */
  authorize: AdminAuthorize;
  /**
   * Where the handler is mounted, e.g. `'/admin/sessions'`: its links and
   * forms start with it and it answers 404 outside it. `''` for the root.
   *
   * @defaultValue `''`
   */
  basePath?: string | undefined;
  /** Sessions per page of the list, from 1 to 100. @defaultValue 50 */
  pageSize?: number | undefined;
  /** Hours covered by the created and expiring charts, from 1 to 744 (31 days). @defaultValue 72 */
  hours?: number | undefined;
  /** Users in the overview's top list, from 1 to 100. @defaultValue 10 */
  topUsers?: number | undefined;
  /** The title in each page's header. @defaultValue `'Tessera sessions'` */
  title?: string | undefined;
  /**
   * The name of the cookie holding the forms' CSRF token (set `HttpOnly`,
   * `SameSite=Strict`, `Path` = `basePath`).
   *
   * @defaultValue `'tessera-admin-csrf'`
   */
  csrfCookieName?: string | undefined;
}

/** The defaults of {@link AdminHandlerOptions} (`manager` and `authorize` have none). */
export const DEFAULT_ADMIN_OPTIONS: Readonly<{
  basePath: string;
  pageSize: number;
  hours: number;
  topUsers: number;
  title: string;
  csrfCookieName: string;
}> = Object.freeze({
  basePath: '',
  pageSize: 50,
  hours: 72,
  topUsers: 10,
  title: 'Tessera sessions',
  csrfCookieName: 'tessera-admin-csrf',
});

/** The options once checked, defaults filled in. */
export interface ResolvedAdminOptions {
  readonly manager: SessionManager;
  readonly store: AdminStore;
  readonly authorize: AdminAuthorize;
  readonly basePath: string;
  readonly pageSize: number;
  readonly hours: number;
  readonly topUsers: number;
  readonly title: string;
  readonly csrfCookieName: string;
}

/** The store methods the admin pages use: all of them answer from an index or a bounded walk. */
export const ADMIN_STORE_METHODS = Object.freeze([
  'pageSessions',
  'countSessions',
  'describeSessions',
  'destroyUserSessions',
] as const);

/** A store with every method the admin uses. */
export type AdminStore = SessionStore &
  Required<Pick<SessionStore, (typeof ADMIN_STORE_METHODS)[number]>>;

const FACTORY = 'createAdminHandler';
const KEYS = optionKeys<AdminHandlerOptions>()(DEFAULT_ADMIN_OPTIONS, ['manager', 'authorize']);

/** Checks `options` (never changing them) and fills in the defaults. */
export function resolveAdminOptions(options: AdminHandlerOptions): ResolvedAdminOptions {
  if (typeof options !== 'object' || options === null) {
    throw new SessionConfigError(
      `${FACTORY}() takes an options object: createAdminHandler({ manager, authorize }).`,
    );
  }
  checkOptionKeys(options, KEYS, FACTORY);
  const { manager, authorize } = options;
  if (typeof manager !== 'object' || manager === null || typeof manager.store !== 'object') {
    throw new SessionConfigError(
      `${FACTORY}: option "manager" is required: pass the SessionManager of your app (createSessionManager({ store }), or the manager your adapter exposes), got ${describe(manager)}.`,
    );
  }
  if (typeof authorize !== 'function') {
    throw new SessionConfigError(
      `${FACTORY}: option "authorize" is required: pass a function (request) => boolean | Promise<boolean> that answers true only for your operators, e.g. one that checks your app's admin session. There is no default that lets anyone in. Got ${describe(authorize)}.`,
    );
  }
  const store = checkAdminStore(manager.store);
  const basePath = options.basePath ?? DEFAULT_ADMIN_OPTIONS.basePath;
  if (typeof basePath !== 'string' || !/^(\/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)*$/.test(basePath)) {
    throw new SessionConfigError(
      `${FACTORY}: option "basePath" must be '' or a path such as '/admin/sessions' (starting with "/", without a trailing "/"), got ${describe(basePath)}.`,
    );
  }
  const title = options.title ?? DEFAULT_ADMIN_OPTIONS.title;
  if (typeof title !== 'string' || title === '') {
    throw new SessionConfigError(
      `${FACTORY}: option "title" must be a non-empty string, got ${describe(title)}.`,
    );
  }
  const csrfCookieName = options.csrfCookieName ?? DEFAULT_ADMIN_OPTIONS.csrfCookieName;
  if (typeof csrfCookieName !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(csrfCookieName)) {
    throw new SessionConfigError(
      `${FACTORY}: option "csrfCookieName" must be a cookie name (RFC 6265 token), got ${describe(csrfCookieName)}.`,
    );
  }
  return Object.freeze({
    manager,
    store,
    authorize,
    basePath,
    pageSize: readInteger('pageSize', options.pageSize, DEFAULT_ADMIN_OPTIONS.pageSize, 100),
    hours: readInteger('hours', options.hours, DEFAULT_ADMIN_OPTIONS.hours, 24 * 31),
    topUsers: readInteger('topUsers', options.topUsers, DEFAULT_ADMIN_OPTIONS.topUsers, 100),
    title,
    csrfCookieName,
  });
}

/** The store when it has what the pages need; a message naming it and what it lacks otherwise. */
function checkAdminStore(store: SessionStore): AdminStore {
  if (isCookieSessionStore(store)) {
    throw new SessionConfigError(
      `${FACTORY}: the ${store.name} store keeps sessions in the browsers' cookies, not on the server: there are none to list, count or revoke. The admin works on a server-side store (sqlite, postgres, mysql, redis, file, memory, cached).`,
    );
  }
  const missing = ADMIN_STORE_METHODS.filter(
    (method) => typeof (store as unknown as Record<string, unknown>)[method] !== 'function',
  );
  if (missing.length > 0) {
    throw new SessionConfigError(
      `${FACTORY}: the ${store.name} store lacks ${missing.map((name) => `${name}()`).join(', ')}, which the admin pages need. Use a store that has them (every built-in server-side store does), or add them to yours (see docs/stores.md).`,
    );
  }
  return store as AdminStore;
}

function readInteger(name: string, value: unknown, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new SessionConfigError(
      `${FACTORY}: option "${name}" must be an integer from 1 to ${max}, got ${describe(value)}.`,
    );
  }
  return value;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : String(value);
}
