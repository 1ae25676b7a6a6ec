/**
 * The framework-free session manager: `Cookie` header in → {@link Session} →
 * store write and `Set-Cookie` out. It wires a loader (keyed or sealed), the
 * commit planner and the commit engine; adapters are thin layers over it.
 * @module
 */

import { isPromiseLike, whenReady } from './awaitable.js';
import { createCommitEngine, type SessionCommitResult } from './commit-engine.js';
import type { CommitPolicy } from './commit-plan.js';
import { createSessionCookieCodec } from './cookie.js';
import { isCookieSessionStore } from './cookie-store.js';
import { attachDebugOutput, createDebugOutput } from './debug-output.js';
import { SessionConfigError, SessionDataError, SessionStoreError } from './errors.js';
import { createKeyedLoader, type LivenessCheck, type SessionLoader } from './keyed-loader.js';
import { createKeyedWriter } from './keyed-writer.js';
import {
  type ResolvedSessionOptions,
  resolveSessionOptions,
  type SessionOptions,
} from './options.js';
import type { PlanWriter } from './plan-writer.js';
import { createSealedLoader } from './sealed-loader.js';
import { createSealedWriter } from './sealed-writer.js';
import { kBindSave, kState, Session, type SessionData } from './session.js';
import {
  digestSessionIdWebCrypto,
  isValidSessionId,
  type SessionIdDigester,
} from './session-id.js';
import type { SessionStateInit } from './session-state.js';
import type { SessionStore, StoredData } from './store.js';
import { callStore } from './store-call.js';
import type { TraceTarget } from './trace-call.js';
import {
  type DestroyUserSessionsOptions,
  type ListUserSessionsOptions,
  summarizeUserSession,
  type UserSessionSummary,
} from './user-sessions.js';

export type { SessionCommitResult } from './commit-engine.js';

/** What the manager needs to know about a request. */
export interface SessionRequestInfo {
  /** The raw `Cookie` header. */
  cookie: string | null | undefined;
  /** Whether the request arrived over HTTPS (adapters apply `trustProxy`). */
  secure: boolean;
  /**
   * Makes the session refuse changes: every change throws a
   * {@link SessionConfigError} with this message. For code that reads the
   * session where no cookie can be set (a Next.js Server Component).
   */
  readOnly?: string | undefined;
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
  /**
   * The headers to send before the session is saved, for a response whose
   * body starts before it ends (`res.write()` then `res.end()`): a session
   * that needs a new id gets it now, and the save uses it. `undefined` when
   * the cookie cannot be known before the save (a cookie store seals the data
   * into it): save first with `await session.save()`.
   */
  reserveCookie(session: Session): SessionCommitResult | undefined;
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

/**
 * Creates a session manager; throws {@link SessionConfigError} for bad options.
 * With a cookie store (`tessera-session/stores/cookie`) the session is sealed
 * into the cookie and `cookieAge` defaults to the store's `maxAge` (one day by
 * default) rather than two weeks.
 */
export function createSessionManager(
  options: SessionOptions = {},
  platform: SessionPlatform = {},
): SessionManager {
  const sealed = isCookieSessionStore(options.store) ? options.store : undefined;
  const resolved = resolveSessionOptions(
    sealed ? { ...options, cookieAge: options.cookieAge ?? sealed.maxAge } : options,
    {
      ...(platform.defaultStore ? { store: platform.defaultStore } : {}),
      digestId: platform.digestId ?? digestSessionIdWebCrypto,
    },
  );
  const { store, digestId } = resolved;
  const codec = createSessionCookieCodec(resolved.cookie);
  const policy: CommitPolicy = Object.freeze({
    cookieAge: resolved.cookieAge,
    idleTimeout: resolved.idleTimeout,
    absoluteTimeout: resolved.absoluteTimeout,
    expireAtBrowserClose: resolved.expireAtBrowserClose,
    refreshesExpiry: resolved.saveEveryRequest || resolved.idleTimeout !== undefined,
    touchAfter: resolved.touchAfter,
  });
  const sessionPolicy = {
    cookieAge: resolved.cookieAge,
    expireAtBrowserClose: resolved.expireAtBrowserClose,
  };
  const isLive: LivenessCheck = (record, now) =>
    record.expiresAt > now &&
    (policy.absoluteTimeout === undefined ||
      record.createdAt + policy.absoluteTimeout * 1000 > now);
  const sizeEncoder = new TextEncoder();
  const checkSize = (data: StoredData): void => {
    const json = JSON.stringify(data);
    if (json.length * 3 <= resolved.maxSize) return; // UTF-8 needs at most 3 bytes per UTF-16 unit
    const bytes = sizeEncoder.encode(json).length;
    if (bytes > resolved.maxSize) {
      throw new SessionDataError(
        `Session data is ${bytes} bytes, over the ${resolved.maxSize}-byte limit (option "maxSize"); nothing was saved. ` +
          'Keep large data in your database and store only its id in the session.',
      );
    }
  };
  const debug = createDebugOutput(resolved.debug);
  // What diagnostics events name (issue 13 §1); a cookie store reads and writes only its revocation store.
  const trace: TraceTarget = Object.freeze({
    storeName: store.name,
    store: sealed ? sealed.revocation : store,
    debug,
  });
  const loader: SessionLoader = sealed
    ? createSealedLoader(sealed, digestId, isLive, trace)
    : createKeyedLoader(store, digestId, isLive, trace);
  const writer: PlanWriter = sealed
    ? createSealedWriter(sealed, {
        digestId,
        cookieName: resolved.cookie.name,
        cookieAge: resolved.cookieAge,
        debug,
      })
    : createKeyedWriter(store, digestId, checkSize, debug);
  const engine = createCommitEngine(writer, codec, policy, trace);
  const throwsOnUse = resolved.storeOutage === 'throw-on-use';

  function makeSession<Data extends SessionData>(init: SessionStateInit): Session<Data> {
    const session = new Session<Data>(init, sessionPolicy);
    session[kBindSave](saveSession, undefined);
    if (debug !== undefined) attachDebugOutput(session, debug); // for its CSRF check's line
    return session;
  }

  async function saveSession(session: Session): Promise<void> {
    await engine.commit(session, undefined);
  }

  /** Loads from a cookie value; with `storeOutage: 'throw-on-use'` a store failure gives an unavailable session. */
  function loadFrom<Data extends SessionData>(
    value: string | undefined,
    secure: boolean,
    readOnly?: string,
  ): Session<Data> | Promise<Session<Data>> {
    let loaded: Session<Data> | Promise<Session<Data>>;
    try {
      loaded = whenReady(loader(value, secure), (init) =>
        makeSession<Data>(readOnly === undefined ? init : { ...init, readOnly }),
      );
    } catch (error) {
      if (throwsOnUse) return unavailable<Data>(error, secure);
      throw error;
    }
    if (!throwsOnUse || !isPromiseLike(loaded)) return loaded;
    return Promise.resolve(loaded).catch((error: unknown) => unavailable<Data>(error, secure));
  }

  function unavailable<Data extends SessionData>(error: unknown, secure: boolean): Session<Data> {
    if (!(error instanceof SessionStoreError)) throw error;
    return makeSession<Data>({ secure, failure: error });
  }

  const manager: SessionManager = {
    options: resolved,
    store,
    load(request) {
      return loadFrom(codec.read(request.cookie), request.secure, request.readOnly);
    },
    commit(session, response) {
      return engine.commit(session, response?.status);
    },
    reserveCookie(session) {
      return engine.reserveCookie(session);
    },
    async open(id) {
      if (sealed) return loadFrom(id, false);
      return loadFrom(isValidSessionId(id) ? id : undefined, false);
    },
    save: saveSession,
    async clearExpired() {
      const target = sealed ? sealed.revocation : store;
      if (!target) return 0;
      return callStore(target, 'clearExpired', () => target.clearExpired(), debug);
    },
    async listUserSessions(userId, listOptions = {}) {
      checkUserId('listUserSessions', userId);
      const list = requireUserIndex('listUserSessions');
      const infos = await callStore(
        store,
        'listUserSessions',
        () => list.call(store, userId),
        debug,
      );
      const currentKey = listOptions.current?.[kState].key;
      const now = Date.now();
      return infos
        .filter((info) => isLive(info, now)) // past an absolute timeout counts as gone, as in load()
        .map((info) => summarizeUserSession(info, policy, currentKey, now))
        .sort((a, b) => b.lastSeen.getTime() - a.lastSeen.getTime());
    },
    async destroyUserSessions(userId, destroyOptions = {}) {
      checkUserId('destroyUserSessions', userId);
      const destroy = requireUserIndex('destroyUserSessions');
      const exceptKey = destroyOptions.except?.[kState].key;
      return callStore(
        store,
        'destroyUserSessions',
        () => destroy.call(store, userId, exceptKey === undefined ? {} : { exceptKey }),
        debug,
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
    const found = sealed ? undefined : store[method];
    if (typeof found !== 'function') {
      throw new SessionConfigError(
        sealed
          ? `manager.${method}() needs a store that indexes sessions by user; with store "${store.name}" every session lives only in its browser's cookie. ` +
              "Use a server-side store (memory, SQLite, file, Redis, PostgreSQL or MySQL) to list or end a user's sessions."
          : `manager.${method}() needs a store that indexes sessions by user; store "${store.name}" has no ${method}() method. ` +
              'Use the memory, SQLite, file, Redis, PostgreSQL or MySQL store.',
      );
    }
    return found as NonNullable<SessionStore[M]>;
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
