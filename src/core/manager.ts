/**
 * The framework-free session manager: `Cookie` header in → {@link Session} →
 * store write and `Set-Cookie` out. Adapters are thin layers over it.
 * @module
 */

import { decodeValue, encodeValue } from './codec.js';
import { createSessionCookieCodec } from './cookie.js';
import { createCookieSessionManager } from './cookie-session-manager.js';
import { isCookieSessionStore } from './cookie-store.js';
import {
  SessionConfigError,
  SessionDataError,
  type SessionError,
  SessionInterruptedError,
  SessionStoreError,
} from './errors.js';
import { computeRecordExpiry, type StoredExpiry } from './expiry.js';
import {
  type ResolvedSessionOptions,
  resolveSessionOptions,
  type SessionOptions,
} from './options.js';
import { kState, Session, type SessionData, type SessionState } from './session.js';
import {
  digestSessionIdWebCrypto,
  generateSessionId,
  isValidSessionId,
  type SessionIdDigester,
} from './session-id.js';
import type { Awaitable, SessionRecord, SessionStore, StoredData } from './store.js';
import {
  type DestroyUserSessionsOptions,
  type ListUserSessionsOptions,
  summarizeUserSession,
  type UserSessionSummary,
} from './user-sessions.js';

/** What the manager needs to know about a request. */
export interface SessionRequestInfo {
  /** The raw `Cookie` header. */
  cookie: string | null | undefined;
  /** Whether the request arrived over HTTPS (adapters apply `trustProxy`). */
  secure: boolean;
}

/** What an adapter must add to the response after {@link SessionManager.commit}. */
export interface SessionCommitResult {
  /** A `Set-Cookie` value to append, if any. */
  setCookie: string | undefined;
  /** Whether to add `Vary: Cookie` (the response depends on the session; Flask CVE-2023-30861). */
  vary: boolean;
}

/** Defaults an adapter supplies for its platform. */
export interface SessionPlatform {
  /** Store used when the options name none. */
  defaultStore?: () => SessionStore;
  /** A faster id digest than Web Crypto's (e.g. node:crypto). */
  digestId?: SessionIdDigester;
}

/** Loads and saves sessions for one configuration. */
export interface SessionManager {
  /** The merged, frozen options. */
  readonly options: ResolvedSessionOptions;
  /** The store in use. */
  readonly store: SessionStore;
  /**
   * The session for a request. A missing, malformed or unknown cookie gives a
   * fresh session, never an error, and only a well-formed id costs a store read.
   * Rejects with {@link SessionStoreError} when the store fails.
   */
  load<Data extends SessionData = SessionData>(
    request: SessionRequestInfo,
  ): Session<Data> | Promise<Session<Data>>;
  /**
   * Saves what changed and answers the headers to send. Nothing is saved for a
   * 5xx status (as Django). Rejects with {@link SessionInterruptedError} when a
   * concurrent request destroyed the session, {@link SessionStoreError} when the
   * store fails, {@link SessionDataError} when the data is too large.
   * Answers synchronously when nothing needs to be written.
   */
  commit(
    session: Session,
    response?: { status?: number },
  ): SessionCommitResult | Promise<SessionCommitResult>;
  /** Opens a session by id outside a request (Django's `SessionStore(session_key=…)`); fresh when unknown. */
  open<Data extends SessionData = SessionData>(id?: string): Promise<Session<Data>>;
  /** Saves a session opened with {@link open}. */
  save(session: Session): Promise<void>;
  /** Removes expired sessions from the store (Django `clearsessions`). */
  clearExpired(): Promise<number>;
  /**
   * The live sessions of a user (those saved after `session.login(userId)`),
   * newest `lastSeen` first; the one of `options.current` has `current: true`.
   * For a "where you're logged in" page. Rejects with a `SessionConfigError`
   * when the store cannot list per user, {@link SessionStoreError} when it fails.
   */
  listUserSessions(
    userId: string,
    options?: ListUserSessionsOptions,
  ): Promise<UserSessionSummary[]>;
  /**
   * Destroys every session of a user but `options.except` (e.g. after a
   * password change: "log out everywhere else") and answers how many. Their
   * cookies stop working at once. Rejects as {@link listUserSessions}.
   */
  destroyUserSessions(userId: string, options?: DestroyUserSessionsOptions): Promise<number>;
  /** Closes the store. */
  close(): Promise<void>;
}

const MAX_CREATE_ATTEMPTS = 10;

/** Creates a session manager; throws {@link SessionConfigError} for bad options. */
export function createSessionManager(
  options: SessionOptions = {},
  platform: SessionPlatform = {},
): SessionManager {
  // The session travels in the cookie: a manager that seals it there (tessera/stores/cookie).
  if (isCookieSessionStore(options.store)) {
    return createCookieSessionManager({ ...options, store: options.store }, platform);
  }
  const resolved = resolveSessionOptions(options, {
    ...(platform.defaultStore ? { store: platform.defaultStore } : {}),
    digestId: platform.digestId ?? digestSessionIdWebCrypto,
  });
  const { store, digestId } = resolved;
  const codec = createSessionCookieCodec(resolved.cookie);
  const limits = {
    cookieAge: resolved.cookieAge,
    idleTimeout: resolved.idleTimeout,
    absoluteTimeout: resolved.absoluteTimeout,
  };
  const refreshesExpiry = resolved.saveEveryRequest || resolved.idleTimeout !== undefined;
  const sizeEncoder = new TextEncoder();

  const manager: SessionManager = {
    options: resolved,
    store,
    load(request) {
      const id = codec.read(request.cookie);
      const hadCookie = id !== undefined;
      if (!isValidSessionId(id)) return newSession(hadCookie, request.secure);
      return whenReady(digestId(id), (key) => readSession(id, key, request.secure));
    },
    commit(session, response) {
      const state = session[kState];
      if (response?.status !== undefined && response.status >= 500) {
        return { setCookie: undefined, vary: state.accessed };
      }
      const setCookie = persist(state);
      if (isPromiseLike(setCookie)) return setCookie.then((value) => commitResult(state, value));
      return commitResult(state, setCookie);
    },
    async open(id) {
      if (!isValidSessionId(id)) return newSession(false, false);
      return readSession(id, await digestId(id), false);
    },
    async save(session) {
      await persist(session[kState]);
    },
    async clearExpired() {
      return call('clearExpired', () => store.clearExpired());
    },
    async listUserSessions(userId, listOptions = {}) {
      checkUserId('listUserSessions', userId);
      const list = requireUserIndex('listUserSessions');
      const infos = await call('listUserSessions', () => list.call(store, userId));
      const currentKey = listOptions.current?.[kState].key;
      const now = Date.now();
      return infos
        .filter((info) => isLive(info, now)) // past an absolute timeout counts as gone, as in load()
        .map((info) => summarizeUserSession(info, limits, currentKey, now))
        .sort((a, b) => b.lastSeen.getTime() - a.lastSeen.getTime());
    },
    async destroyUserSessions(userId, destroyOptions = {}) {
      checkUserId('destroyUserSessions', userId);
      const destroy = requireUserIndex('destroyUserSessions');
      const exceptKey = destroyOptions.except?.[kState].key;
      return call('destroyUserSessions', () =>
        destroy.call(store, userId, exceptKey === undefined ? {} : { exceptKey }),
      );
    },
    async close() {
      await store.close?.();
    },
  };

  /** The store's optional per-user method, or a clear error naming the store. */
  function requireUserIndex<M extends 'listUserSessions' | 'destroyUserSessions'>(
    method: M,
  ): NonNullable<SessionStore[M]> {
    const found = store[method];
    if (typeof found !== 'function') {
      throw new SessionConfigError(
        `manager.${method}() needs a store that indexes sessions by user; store "${store.name}" has no ${method}() method. ` +
          'Use the memory, SQLite, file, Redis, PostgreSQL or MySQL store.',
      );
    }
    return found as NonNullable<SessionStore[M]>;
  }

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

  function readSession<Data extends SessionData>(
    id: string,
    key: string,
    secure: boolean,
  ): Session<Data> | Promise<Session<Data>> {
    return whenReady(
      call('read', () => store.read(key)),
      (record) => {
        // An unknown or expired id is never adopted: the visitor gets a fresh session (CVE-2015-5143).
        if (!record || !isLive(record, Date.now())) return newSession<Data>(true, secure);
        const values = new Map<string, unknown>();
        for (const name of Object.keys(record.data))
          values.set(name, decodeValue(record.data[name]!));
        return new Session<Data>({
          id,
          key,
          values,
          createdAt: record.createdAt,
          storedExpiresAt: record.expiresAt,
          userId: record.userId,
          hadCookie: true,
          secure,
          cookieAge: resolved.cookieAge,
          expireAtBrowserClose: resolved.expireAtBrowserClose,
          save: manager.save,
        });
      },
    );
  }

  function isLive(record: Pick<SessionRecord, 'expiresAt' | 'createdAt'>, now: number): boolean {
    if (record.expiresAt <= now) return false;
    return (
      limits.absoluteTimeout === undefined || record.createdAt + limits.absoluteTimeout * 1000 > now
    );
  }

  function commitResult(state: SessionState, setCookie: string | undefined): SessionCommitResult {
    return { setCookie, vary: state.accessed || setCookie !== undefined };
  }

  /**
   * Writes the session's changes; answers the Set-Cookie to send, if any.
   * Synchronous when there is nothing to write (the common, read-only case).
   */
  function persist(state: SessionState): Awaitable<string | undefined> {
    const now = Date.now();
    if (state.values.size === 0) {
      if (state.key === undefined && state.doomedKeys.length === 0) {
        // Nothing stored and nothing to destroy: an anonymous flush writes nothing (CVE-2015-5963).
        const setCookie = state.hadCookie ? codec.clear(state.secure) : undefined;
        state.hadCookie = false;
        resetTracking(state);
        return setCookie;
      }
      return persistEmptied(state);
    }
    if (state.key === undefined) return persistNew(state, now);
    const set = collectChanges(state);
    if (
      set !== undefined ||
      state.removed.size > 0 ||
      state.doomedKeys.length > 0 ||
      state.userChanged
    ) {
      return persistDelta(state, state.key, set ?? {}, now);
    }
    // An unchanged session only has its expiry refreshed, and not more often than touchAfter.
    const expiresAt = refreshesExpiry ? recordExpiry(state, now) : 0;
    if (!refreshesExpiry || expiresAt - (state.storedExpiresAt ?? 0) < resolved.touchAfter * 1000) {
      resetTracking(state);
      return undefined;
    }
    return persistTouch(state, state.key, expiresAt, now);
  }

  /** Emptied or flushed: the stored records go and the cookie is deleted. */
  async function persistEmptied(state: SessionState): Promise<string | undefined> {
    const doomed = state.key === undefined ? state.doomedKeys : [...state.doomedKeys, state.key];
    await destroyAll(doomed);
    const setCookie = state.hadCookie ? codec.clear(state.secure) : undefined;
    state.id = undefined;
    state.key = undefined;
    state.hadCookie = false;
    resetTracking(state);
    return setCookie;
  }

  /** New, flushed-then-refilled or cycled: a new record under a new id, then the old ones go. */
  async function persistNew(state: SessionState, now: number): Promise<string> {
    const expiresAt = recordExpiry(state, now);
    await createRecord(state, encodeAll(state), expiresAt);
    await destroyAll(state.doomedKeys);
    resetTracking(state);
    return issueCookie(state, expiresAt, now);
  }

  async function persistDelta(
    state: SessionState,
    key: string,
    set: StoredData,
    now: number,
  ): Promise<string> {
    checkSize(encodeAll(state));
    const expiresAt = recordExpiry(state, now);
    const delta = {
      set,
      remove: [...state.removed],
      expiresAt,
      ...(state.userChanged ? { userId: state.userId } : {}),
    };
    // `false` means a concurrent request destroyed the session: never resurrect it.
    if (!(await call('update', () => store.update(key, delta))))
      throw new SessionInterruptedError();
    await destroyAll(state.doomedKeys);
    state.storedExpiresAt = expiresAt;
    resetTracking(state);
    return issueCookie(state, expiresAt, now);
  }

  async function persistTouch(
    state: SessionState,
    key: string,
    expiresAt: number,
    now: number,
  ): Promise<string | undefined> {
    resetTracking(state);
    if (!(await call('touch', () => store.touch(key, expiresAt)))) return undefined;
    state.storedExpiresAt = expiresAt;
    return issueCookie(state, expiresAt, now);
  }

  /** After a save, the session starts tracking changes afresh (so saving twice writes once). */
  function resetTracking(state: SessionState): void {
    state.doomedKeys = [];
    state.userChanged = false;
    state.changed.clear();
    state.removed.clear();
    state.snapshots = undefined;
    state.forceModified = false;
  }

  async function createRecord(
    state: SessionState,
    data: StoredData,
    expiresAt: number,
  ): Promise<void> {
    checkSize(data);
    for (let attempt = 0; attempt < MAX_CREATE_ATTEMPTS; attempt++) {
      const id = generateSessionId();
      const key = await digestId(id);
      const record = { data, expiresAt, createdAt: state.createdAt, userId: state.userId };
      if (await call('create', () => store.create(key, record))) {
        state.id = id;
        state.key = key;
        state.storedExpiresAt = expiresAt;
        state.createdNow = true;
        state.hadCookie = true;
        return;
      }
    }
    throw new SessionStoreError(
      store.name,
      'create',
      new Error('no unused session id after 10 attempts'),
    );
  }

  /** Encoded values of the keys set this request and of objects changed in place; undefined when none. */
  function collectChanges(state: SessionState): StoredData | undefined {
    let set: StoredData | undefined;
    const keys = state.forceModified ? state.values.keys() : state.changed.values();
    for (const name of keys) {
      set ??= {};
      set[name] = encodeValue(name, state.values.get(name));
    }
    if (state.snapshots) {
      for (const [name, snapshot] of state.snapshots) {
        if (set?.[name] !== undefined || !state.values.has(name)) continue;
        const encoded = encodeValue(name, state.values.get(name));
        if (JSON.stringify(encoded) === snapshot) continue;
        set ??= {};
        set[name] = encoded;
      }
    }
    return set;
  }

  function encodeAll(state: SessionState): StoredData {
    const data: StoredData = {};
    for (const [name, value] of state.values) data[name] = encodeValue(name, value);
    return data;
  }

  function checkSize(data: StoredData): void {
    const json = JSON.stringify(data);
    if (json.length * 3 <= resolved.maxSize) return; // UTF-8 needs at most 3 bytes per UTF-16 unit
    const bytes = sizeEncoder.encode(json).length;
    if (bytes > resolved.maxSize) {
      throw new SessionDataError(
        `Session data is ${bytes} bytes, over the ${resolved.maxSize}-byte limit (option "maxSize"); nothing was saved. ` +
          'Keep large data in your database and store only its id in the session.',
      );
    }
  }

  function recordExpiry(state: SessionState, now: number): number {
    return computeRecordExpiry(
      state.values.get('_expiry') as StoredExpiry,
      state.createdAt,
      limits,
      now,
    );
  }

  function issueCookie(state: SessionState, expiresAt: number, now: number): string {
    const expiry = state.values.get('_expiry') as StoredExpiry;
    const atBrowserClose = expiry === undefined ? resolved.expireAtBrowserClose : expiry === 0;
    const maxAge = atBrowserClose ? undefined : Math.max(0, Math.floor((expiresAt - now) / 1000));
    return codec.issue(state.id!, maxAge, state.secure);
  }

  async function destroyAll(keys: readonly string[]): Promise<void> {
    for (const key of keys) await call('destroy', () => store.destroy(key));
  }

  /** Runs a store call; any failure becomes a {@link SessionStoreError}. */
  function call<T>(operation: string, run: () => T | Promise<T>): T | Promise<T> {
    try {
      const result = run();
      if (isPromiseLike(result)) {
        return Promise.resolve(result).catch((error: unknown) => {
          throw storeFailure(operation, error);
        });
      }
      return result;
    } catch (error) {
      throw storeFailure(operation, error);
    }
  }

  /**
   * A store that refuses a value it cannot hold (MariaDB's nesting limit, a
   * lone surrogate) reports a data error, the app's to fix (500), not an
   * unavailable store (503): it stays as it is.
   */
  function storeFailure(operation: string, error: unknown): SessionError {
    return error instanceof SessionDataError
      ? error
      : new SessionStoreError(store.name, operation, error);
  }

  return Object.freeze(manager);
}

function checkUserId(method: string, userId: unknown): asserts userId is string {
  if (typeof userId !== 'string' || userId === '') {
    throw new TypeError(
      `manager.${method}() takes the user's id as a non-empty string, as given to session.login(); got ${typeof userId}.`,
    );
  }
}

function isPromiseLike<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** Continues synchronously when the value is ready, so the memory store costs no microtask. */
function whenReady<T, R>(
  value: T | Promise<T>,
  next: (value: T) => R | Promise<R>,
): R | Promise<R> {
  return isPromiseLike(value) ? value.then(next) : next(value);
}
