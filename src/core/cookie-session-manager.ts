/**
 * The session manager for cookie-only stores: the whole session is sealed into
 * the cookie (Django `signed_cookies`, Pyramid `SignedCookieSessionFactory`,
 * Rails encrypted cookies). It implements the same {@link SessionManager} as
 * the keyed manager, so every adapter works unchanged; `createSessionManager`
 * hands off to it when `options.store` is a cookie store.
 *
 * - A missing, tampered, truncated, expired, revoked or garbage cookie gives a
 *   fresh empty session, never an exception.
 * - `commit` seals the whole data when it changed, when the cookie was opened
 *   with an older secret (re-issued under the newest), or when the expiry is
 *   due a refresh; `flush()` deletes the cookie.
 * - `cycleKey()` gives the cookie a new random `sid`. With the store's
 *   `revocation` set, `flush()`/`cycleKey()` record the old `sid`'s digest there
 *   until the old cookie would have expired, and `load` rejects it: without it, a
 *   copied cookie stays valid until it expires (CVE-2024-31999).
 * - A sealed cookie over 4096 bytes is never sent: the commit fails with a
 *   {@link SessionDataError} (Rails `CookieOverflow`).
 * @module
 */

import { decodeValue, encodeValue } from './codec.js';
import { createSessionCookieCodec } from './cookie.js';
import type { CookieSessionPayload, CookieSessionStore } from './cookie-store.js';
import {
  SessionConfigError,
  SessionDataError,
  type SessionError,
  SessionInterruptedError,
  SessionStoreError,
} from './errors.js';
import { computeRecordExpiry, type StoredExpiry } from './expiry.js';
import type { SessionCommitResult, SessionManager, SessionPlatform } from './manager.js';
import { resolveSessionOptions, type SessionOptions } from './options.js';
import { kState, Session, type SessionData, type SessionState } from './session.js';
import { digestSessionIdWebCrypto, generateSessionId, isValidSessionId } from './session-id.js';
import type { StoredData } from './store.js';

/** Browsers keep at most 4096 bytes of name and value per cookie (RFC 6265 §6.1). */
export const MAX_COOKIE_BYTES = 4096;

/** Cookie values longer than this are not even opened (a sealed one is never longer). */
const MAX_READ_LENGTH = 2 * MAX_COOKIE_BYTES;

/** What the manager remembers about a session it loaded or sealed. */
interface CookieTracking {
  /** The loaded cookie was sealed with an older secret: re-issue it under the newest. */
  reissue: boolean;
  /** Expiry of each cookie (by store key) this session was known under, to bound its revocation. */
  expiries: Map<string, number>;
}

/**
 * Creates the manager for a cookie-only store; `createSessionManager` calls it.
 * Throws {@link SessionConfigError} for bad options. `cookieAge` defaults to the
 * store's `maxAge` (one day by default), not to two weeks.
 */
export function createCookieSessionManager(
  options: SessionOptions & { store: CookieSessionStore },
  platform: SessionPlatform = {},
): SessionManager {
  const store = options.store;
  const resolved = resolveSessionOptions(
    { ...options, cookieAge: options.cookieAge ?? store.maxAge },
    { digestId: platform.digestId ?? digestSessionIdWebCrypto },
  );
  const { digestId } = resolved;
  const revocation = store.revocation;
  const codec = createSessionCookieCodec(resolved.cookie);
  const cookieNameBytes = resolved.cookie.name.length + 1;
  const limits = {
    cookieAge: resolved.cookieAge,
    idleTimeout: resolved.idleTimeout,
    absoluteTimeout: resolved.absoluteTimeout,
  };
  const refreshesExpiry = resolved.saveEveryRequest || resolved.idleTimeout !== undefined;
  const tracking = new WeakMap<SessionState, CookieTracking>();

  const manager: SessionManager = {
    options: resolved,
    store,
    load(request) {
      const value = codec.read(request.cookie);
      if (value === undefined) return newSession(false, request.secure);
      return openSession(value, request.secure);
    },
    commit(session, response) {
      const state = session[kState];
      if (response?.status !== undefined && response.status >= 500) {
        return { setCookie: undefined, vary: state.accessed };
      }
      return persist(state).then(
        (setCookie): SessionCommitResult => ({
          setCookie,
          vary: state.accessed || setCookie !== undefined,
        }),
      );
    },
    /** Opens a session from a sealed cookie value (there are no ids to look up); fresh when invalid. */
    async open(value) {
      if (value === undefined) return newSession(false, false);
      return openSession(value, false);
    },
    /** Outside a request there is no response to carry the cookie: only revocations are recorded. */
    async save(session) {
      await persist(session[kState]);
    },
    /** Cookie sessions live in browsers: there is no list of a user's sessions to read. */
    async listUserSessions() {
      throw noUserIndex('listUserSessions');
    },
    async destroyUserSessions() {
      throw noUserIndex('destroyUserSessions');
    },
    async clearExpired() {
      if (!revocation) return 0;
      return call('clearExpired', () => revocation.clearExpired());
    },
    async close() {
      await store.close?.();
    },
  };

  function newSession<Data extends SessionData>(
    hadCookie: boolean,
    secure: boolean,
  ): Session<Data> {
    return new Session<Data>({
      hadCookie,
      secure,
      cookieAge: resolved.cookieAge,
      expireAtBrowserClose: resolved.expireAtBrowserClose,
      save: manager.save,
    });
  }

  async function openSession<Data extends SessionData>(
    value: string,
    secure: boolean,
  ): Promise<Session<Data>> {
    const opened = await openValue(value);
    const now = Date.now();
    // Bad client input is "no session": the visitor gets a fresh one and the cookie is replaced.
    if (!opened || !isLive(opened.payload, now)) return newSession<Data>(true, secure);
    const { payload } = opened;
    const key = await digestId(payload.sid);
    if (revocation && (await call('read', () => revocation.read(key))) !== null) {
      // A copy of a flushed or cycled cookie (CVE-2024-31999): never honoured.
      return newSession<Data>(true, secure);
    }
    const values = new Map<string, unknown>();
    for (const name of Object.keys(payload.data)) {
      values.set(name, decodeValue(payload.data[name]!));
    }
    const session = new Session<Data>({
      id: payload.sid,
      key,
      values,
      createdAt: payload.createdAt,
      storedExpiresAt: payload.expiresAt,
      userId: payload.userId,
      hadCookie: true,
      secure,
      cookieAge: resolved.cookieAge,
      expireAtBrowserClose: resolved.expireAtBrowserClose,
      save: manager.save,
    });
    tracking.set(session[kState], {
      reissue: opened.sealedWith > 0,
      expiries: new Map([[key, payload.expiresAt]]),
    });
    return session;
  }

  /** Opens a cookie value; any failure of a store to open garbage is "no session" too. */
  async function openValue(value: string) {
    if (value.length === 0 || value.length > MAX_READ_LENGTH) return null;
    try {
      return await store.open(value);
    } catch {
      return null;
    }
  }

  function isLive(payload: CookieSessionPayload, now: number): boolean {
    if (!isValidSessionId(payload.sid) || payload.expiresAt <= now) return false;
    return (
      limits.absoluteTimeout === undefined ||
      payload.createdAt + limits.absoluteTimeout * 1000 > now
    );
  }

  async function persist(state: SessionState): Promise<string | undefined> {
    const now = Date.now();
    const tracked = tracking.get(state);
    if (state.values.size === 0) {
      // Emptied or flushed: the cookie is deleted and, with revocation, its copies die too.
      const doomed = state.key === undefined ? state.doomedKeys : [...state.doomedKeys, state.key];
      await revokeAll(doomed, tracked, now);
      const setCookie = state.hadCookie ? codec.clear(state.secure) : undefined;
      state.id = undefined;
      state.key = undefined;
      state.hadCookie = false;
      resetTracking(state);
      return setCookie;
    }
    const expiresAt = recordExpiry(state, now);
    if (!mustSeal(state, tracked, expiresAt)) {
      resetTracking(state);
      return undefined;
    }
    if (revocation && state.key !== undefined && !state.createdNow) {
      // A concurrent request flushed this cookie: never bring it back (connect-redis #328).
      if ((await call('read', () => revocation.read(state.key!))) !== null) {
        throw new SessionInterruptedError();
      }
    }
    const sid = state.id ?? generateSessionId();
    const key = state.key ?? (await digestId(sid));
    const payload: CookieSessionPayload = {
      sid,
      data: encodeAll(state),
      createdAt: state.createdAt,
      expiresAt,
      userId: state.userId,
      issuedAt: now,
    };
    const sealed = await seal(payload);
    const setCookie = issueCookie(state, sealed, expiresAt, now);
    // Revoke the old cookies only once the new one is certain to be sent.
    await revokeAll(state.doomedKeys, tracked, now);
    if (state.key === undefined) {
      state.id = sid;
      state.key = key;
      state.createdNow = true;
    }
    state.storedExpiresAt = expiresAt;
    state.hadCookie = true;
    const after = tracking.get(state) ?? { reissue: false, expiries: new Map() };
    after.reissue = false;
    after.expiries.set(key, expiresAt);
    tracking.set(state, after);
    resetTracking(state);
    return setCookie;
  }

  function mustSeal(
    state: SessionState,
    tracked: CookieTracking | undefined,
    expiresAt: number,
  ): boolean {
    if (state.key === undefined || state.forceModified || tracked?.reissue) return true;
    if (state.changed.size > 0 || state.removed.size > 0 || state.doomedKeys.length > 0)
      return true;
    if (state.snapshots) {
      for (const [name, snapshot] of state.snapshots) {
        if (!state.values.has(name)) continue;
        if (JSON.stringify(encodeValue(name, state.values.get(name))) !== snapshot) return true;
      }
    }
    // An unchanged session only has its expiry refreshed, and not more often than touchAfter.
    return (
      refreshesExpiry && expiresAt - (state.storedExpiresAt ?? 0) >= resolved.touchAfter * 1000
    );
  }

  async function seal(payload: CookieSessionPayload): Promise<string> {
    let sealed: string;
    try {
      sealed = await store.seal(payload);
    } catch (error) {
      throw storeFailure('seal', error);
    }
    const bytes = cookieNameBytes + sealed.length; // sealed values are ASCII
    if (bytes > MAX_COOKIE_BYTES) {
      // Rails CookieOverflow: a browser would silently drop the cookie, so fail loudly instead.
      throw new SessionDataError(
        `The sealed session cookie is ${bytes} bytes, over the ${MAX_COOKIE_BYTES}-byte limit of a cookie; nothing was saved. ` +
          'Keep large data in your database and store only its id in the session, or use a server-side store.',
      );
    }
    return sealed;
  }

  /** Records the given cookies' ids as revoked until they would have expired. */
  async function revokeAll(
    keys: readonly string[],
    tracked: CookieTracking | undefined,
    now: number,
  ): Promise<void> {
    if (!revocation) return;
    for (const key of keys) {
      const expiresAt = tracked?.expiries.get(key) ?? now + resolved.cookieAge * 1000;
      if (expiresAt <= now) continue;
      const record = { data: {}, createdAt: now, expiresAt, userId: null };
      await call('create', () => revocation.create(key, record));
      tracked?.expiries.delete(key);
    }
  }

  function resetTracking(state: SessionState): void {
    state.doomedKeys = [];
    state.changed.clear();
    state.removed.clear();
    state.snapshots = undefined;
    state.forceModified = false;
  }

  function encodeAll(state: SessionState): StoredData {
    const data: StoredData = {};
    for (const [name, value] of state.values) data[name] = encodeValue(name, value);
    return data;
  }

  function recordExpiry(state: SessionState, now: number): number {
    return computeRecordExpiry(
      state.values.get('_expiry') as StoredExpiry,
      state.createdAt,
      limits,
      now,
    );
  }

  function issueCookie(state: SessionState, sealed: string, expiresAt: number, now: number) {
    const expiry = state.values.get('_expiry') as StoredExpiry;
    const atBrowserClose = expiry === undefined ? resolved.expireAtBrowserClose : expiry === 0;
    const maxAge = atBrowserClose ? undefined : Math.max(0, Math.floor((expiresAt - now) / 1000));
    return codec.issue(sealed, maxAge, state.secure);
  }

  /** Runs a revocation-store call; any failure becomes a {@link SessionStoreError}. */
  async function call<T>(operation: string, run: () => T | Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw storeFailure(operation, error);
    }
  }

  function noUserIndex(method: string): SessionConfigError {
    return new SessionConfigError(
      `manager.${method}() needs a store that indexes sessions by user; with store "${store.name}" every session lives only in its browser's cookie. ` +
        "Use a server-side store (memory, SQLite, file, Redis, PostgreSQL or MySQL) to list or end a user's sessions.",
    );
  }

  function storeFailure(operation: string, error: unknown): SessionError {
    return error instanceof SessionDataError
      ? error
      : new SessionStoreError(revocation?.name ?? store.name, operation, error);
  }

  return Object.freeze(manager);
}
