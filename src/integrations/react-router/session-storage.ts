/**
 * `createTesseraSessionStorage()`: React Router's `SessionStorage` on any
 * Tessera store.
 * @module
 */

import {
  type Session,
  SessionConfigError,
  type SessionData,
  type SessionManager,
} from '../../core/index.js';
import { checkSessionOptionKeys } from '../../kit/index.js';
import {
  createSessions,
  type GetSessionOptions,
  type RequestLike,
  type WebSessionOptions,
} from '../../web/index.js';
import {
  applyCommitOptions,
  type CommitSessionOptions,
  checkCommitOptionKeys,
} from './commit-session-options.js';
import { createReactRouterSession, findTesseraSession } from './react-router-session.js';
import type {
  ReactRouterSession,
  ReactRouterSessionShape,
  TesseraSessionData,
} from './session-shape.js';

/**
 * Options of `getSession()`: Tessera's (`secure`, `readOnly`). React Router's
 * cookie parse options are not taken.
 */
export interface GetReactRouterSessionOptions extends GetSessionOptions {
  /**
   * React Router's cookie `decode`: not taken, since Tessera's cookie value
   * needs no decoding; a value here throws `SessionConfigError`. Declared so
   * that React Router's `SessionStorage` type accepts this storage.
   */
  decode?: unknown;
}

const GET_SESSION_OPTION_KEYS: ReadonlySet<string> = new Set(['readOnly', 'secure']);

/** Options of {@link createTesseraSessionStorage}: Tessera's session options, `store` required. */
export type TesseraSessionStorageOptions = WebSessionOptions;

/**
 * React Router's `SessionStorage<Data, FlashData>` (`getSession`,
 * `commitSession`, `destroySession`), on a Tessera store; made by
 * {@link createTesseraSessionStorage}. The functions need no `this`:
 * destructure them.
 */
export interface TesseraSessionStorage<Data = SessionData, FlashData = Data> {
  /**
   * The session of a `Cookie` header (`request.headers.get('Cookie')`), or of
   * the request itself: pass the `Request` to let `cookie.secure: 'auto'` see
   * HTTPS. No cookie, or one that names no live session, gives a new, empty
   * session (id `''`), never an error; only a well-formed id costs a store
   * read. Rejects with `SessionStoreError` when the store fails
   * ({@link TesseraSessionStorage.failureResponse} answers it).
   */
  readonly getSession: (
    cookieHeader?: string | RequestLike | Headers | null,
    options?: GetReactRouterSessionOptions,
  ) => Promise<ReactRouterSession<Data, FlashData>>;
  /**
   * Saves what changed (a delta of the keys this request changed) and answers
   * the `Set-Cookie` value to send, or `''` when the browser's cookie is still
   * right (nothing to send: an unchanged or empty session). Rejects with
   * `SessionStoreError` (503), `SessionInterruptedError` (400: the session was
   * logged out meanwhile) or `SessionDataError`; throws `SessionConfigError`
   * for a session this storage did not make.
   */
  readonly commitSession: (
    session: ReactRouterSessionShape<Data, FlashData>,
    options?: CommitSessionOptions,
  ) => Promise<string>;
  /**
   * Ends the session (Tessera's `flush()`: record deleted, id dead, copies of
   * the cookie useless) and answers the `Set-Cookie` value that deletes the
   * cookie, or `''` when the browser had none. Rejects as `commitSession`.
   */
  readonly destroySession: (
    session: ReactRouterSessionShape<Data, FlashData>,
    options?: CommitSessionOptions,
  ) => Promise<string>;
  /**
   * The plain-text `Response` for a session failure (503 with `Retry-After`
   * for a store outage, 400 for an interrupted save, 500 for data that
   * cannot be saved), to `throw` from a loader or action; `undefined` for
   * any other error.
   */
  readonly failureResponse: (error: unknown) => Response | undefined;
  /** The session manager: open sessions by id, list or log out a user's sessions, clear expired ones. */
  readonly manager: SessionManager;
  /** Closes the store. */
  readonly close: () => Promise<void>;
}

/**
 * React Router's `SessionStorage` on a Tessera store: the same
 * `getSession` / `commitSession` / `destroySession` as
 * `createCookieSessionStorage`, `createMemorySessionStorage` or
 * `createSessionStorage`, with Tessera underneath (server-side records,
 * delta writes, no resurrection of a logged-out session, CSRF tokens, the
 * test cookie and `login()` through `session.tessera`). Imports nothing from
 * `react-router`.
 * @throws {SessionConfigError} when `store` is missing or an option is unknown or invalid.
 */
export function createTesseraSessionStorage<Data = SessionData, FlashData = Data>(
  options: TesseraSessionStorageOptions,
): TesseraSessionStorage<Data, FlashData> {
  checkReactRouterCookieOptions(options);
  checkSessionOptionKeys(options, 'createTesseraSessionStorage()');
  const sessions = createSessions<TesseraSessionData<Data>>(options);
  /** The sessions this storage loaded: only those can be committed with its manager. */
  const loaded = new WeakSet<Session>();

  function findSession(session: unknown, functionName: string): Session {
    const tessera = findTesseraSession(session);
    if (tessera === undefined || !loaded.has(tessera)) {
      throw new SessionConfigError(
        `${functionName}: this is not a session of this storage. Pass the session getSession() answered ` +
          "(React Router's createSession() and other storages' sessions cannot be saved here).",
      );
    }
    return tessera;
  }

  async function answerSetCookie(committed: Promise<Headers>): Promise<string> {
    return (await committed).get('Set-Cookie') ?? '';
  }

  const storage: TesseraSessionStorage<Data, FlashData> = {
    async getSession(cookieHeader, getOptions) {
      if (getOptions != null) checkGetSessionOptions(getOptions);
      const session = await sessions.get(toRequest(cookieHeader), getOptions);
      loaded.add(session);
      return createReactRouterSession<Data, FlashData>(session);
    },
    commitSession(session, commitOptions) {
      try {
        const tessera = findSession(session, 'commitSession()');
        const intent = applyCommitOptions(tessera, commitOptions, 'commitSession()');
        return answerSetCookie(
          intent === 'destroy'
            ? sessions.destroy(tessera, new Headers())
            : sessions.commit(tessera, new Headers(), { status: 200 }),
        );
      } catch (error) {
        return Promise.reject(error);
      }
    },
    destroySession(session, destroyOptions) {
      try {
        const tessera = findSession(session, 'destroySession()');
        // The same keys as commitSession(); a lifetime means nothing for a cookie being deleted.
        if (destroyOptions != null) checkCommitOptionKeys(destroyOptions, 'destroySession()');
        return answerSetCookie(sessions.destroy(tessera, new Headers()));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    failureResponse: (error) => sessions.failureResponse(error),
    manager: sessions.manager,
    close: () => sessions.close(),
  };
  return Object.freeze(storage);
}

/**
 * The request `getSession()` reads: a `Request` (or anything with its
 * `headers`), a `Headers`, or a `Cookie` header value. A header value that
 * `Headers` refuses is bad client input: no cookie.
 */
function toRequest(source: string | RequestLike | Headers | null | undefined): RequestLike {
  if (typeof source === 'string' || source === null || source === undefined) {
    const headers = new Headers();
    if (source) {
      try {
        headers.set('Cookie', source);
      } catch {
        // Not a valid header value: as if no cookie had come.
      }
    }
    return { headers };
  }
  if (source instanceof Headers) return { headers: source };
  if (typeof (source as Partial<RequestLike>).headers?.get === 'function') return source;
  throw new SessionConfigError(
    "getSession() takes the Cookie header (request.headers.get('Cookie')) or the request itself; " +
      `got ${Array.isArray(source) ? 'an array' : 'an object without headers'}.`,
  );
}

/** Throws for an option of `getSession()` other than `secure`/`readOnly` that has a value. */
function checkGetSessionOptions(options: GetReactRouterSessionOptions): void {
  for (const [key, value] of Object.entries(options)) {
    if (GET_SESSION_OPTION_KEYS.has(key) || value === undefined) continue;
    throw new SessionConfigError(
      `getSession(): option "${key}" is not taken. ` +
        (key === 'decode'
          ? "Tessera's cookie holds a URL-safe id and needs no decoding; remove it (and encode from commitSession)."
          : 'It takes secure and readOnly.'),
    );
  }
}

/** React Router's `cookie.secrets`, named with what to do instead (the core's hints do not know it). */
function checkReactRouterCookieOptions(options: TesseraSessionStorageOptions): void {
  const cookie = (options as { cookie?: { secrets?: unknown } } | undefined)?.cookie;
  if (cookie?.secrets === undefined) return;
  throw new SessionConfigError(
    'createTesseraSessionStorage(): unknown option "cookie.secrets". React Router\'s cookie secrets are not needed: ' +
      'the cookie holds a random id, with nothing to sign. For sessions kept in the cookie, pass ' +
      "store: createSignedCookieStore({ secrets }) from 'tessera-session/stores/cookie'.",
  );
}
