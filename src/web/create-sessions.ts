/**
 * `createSessions()`: Tessera for code that holds a Web `Request` and makes a
 * `Response`, or that sets cookies through a framework's cookie API.
 * @module
 */

import {
  createSessionManager,
  isSessionError,
  type Session,
  type SessionData,
  type SessionManager,
  type SessionOptions,
} from '../core/index.js';
import {
  checkSessionOptionKeys,
  createSessionKit,
  describeSetCookie,
  digestSessionIdCached,
  isPromiseLike,
  requireStore,
  type SessionCommitResult,
} from '../kit/index.js';
import { applySessionHeaders } from './apply-headers.js';
import { type CookieReader, type CookieWriter, readCookieHeader } from './cookie-jar.js';
import { isSecureWebRequest, type RequestLike } from './request-info.js';

/** Options of {@link createSessions}: the core's, with `store` required. */
export interface WebSessionOptions extends SessionOptions {
  /**
   * Where sessions are kept. Required: the SQLite default needs Node.
   * `createSqliteStore()` on Node, a Redis or PostgreSQL store to share
   * sessions between servers, `createMemoryStore()` in tests.
   */
  store: NonNullable<SessionOptions['store']>;
}

/** Options of {@link WebSessions.get} and {@link WebSessions.getFromCookies}. */
export interface GetSessionOptions {
  /**
   * A session that throws on every change: for code that cannot set cookies
   * (a Next.js Server Component). `true` gives a generic message; a string is
   * the message. @default false
   */
  readOnly?: boolean | string;
  /**
   * Whether the request arrived over HTTPS. `get()` reads it from the
   * request's URL (and `X-Forwarded-Proto` with `trustProxy`); a cookie jar
   * cannot tell, so `getFromCookies()` uses this. @default false for cookie jars
   */
  secure?: boolean;
}

/** Options of {@link WebSessions.commit}. */
export interface CommitOptions {
  /**
   * The response's status when `target` is a `Headers` (a `Response` gives
   * its own): nothing is saved for a 5xx. @default 200
   */
  status?: number;
}

/** Sessions for Web-standard code; made by {@link createSessions}. */
export interface WebSessions<Data extends SessionData = SessionData> {
  /** The session manager (open sessions by id, list a user's sessions, clear expired ones). */
  readonly manager: SessionManager;
  /**
   * The request's session. Lazy: no store I/O without a well-formed cookie.
   * Rejects with `SessionStoreError` when the store fails.
   */
  get<D extends SessionData = Data>(
    request: RequestLike,
    options?: GetSessionOptions,
  ): Promise<Session<D>>;
  /**
   * Saves what changed and adds `Set-Cookie` and `Vary: Cookie` to `target`.
   * Answers the object to send: `target`, or a copy of a `Response` whose
   * headers are immutable (`Response.redirect()`). Rejects with
   * `SessionStoreError` (503), `SessionInterruptedError` (400: the session was
   * logged out meanwhile) or `SessionDataError`; {@link failureResponse} makes
   * the answer.
   */
  commit<Target extends Response | Headers>(
    session: Session,
    target: Target,
    options?: CommitOptions,
  ): Promise<Target>;
  /** Ends the session (`session.flush()`), deletes its cookie on `target` and answers it as {@link commit}. */
  destroy<Target extends Response | Headers>(session: Session, target: Target): Promise<Target>;
  /** The session of the cookie in a framework's cookie jar; as {@link get}. */
  getFromCookies<D extends SessionData = Data>(
    cookies: CookieReader,
    options?: GetSessionOptions,
  ): Promise<Session<D>>;
  /** Saves what changed and sets (or deletes) the session cookie through the jar; rejects as {@link commit}. */
  commitToCookies(session: Session, cookies: CookieWriter, options?: CommitOptions): Promise<void>;
  /**
   * The plain-text answer to a session failure: 503 with `Retry-After` for a
   * store outage, 400 for an interrupted save, 500 for data that cannot be
   * saved; `undefined` for any other error (not Tessera's to answer).
   */
  failureResponse(error: unknown): Response | undefined;
  /** Closes the store. */
  close(): Promise<void>;
}

const DEFAULT_READ_ONLY_MESSAGE =
  'This session was opened read-only (get(…, { readOnly: true })): change it where a cookie can be set, ' +
  'in a route handler, form action or server action.';

/**
 * Creates sessions for Web-standard code: `get(request)` → `Session`,
 * `commit(session, response)`. Runs wherever `Request`, `Response` and Web
 * Crypto exist (Node, Bun, Deno, Workers); imports no `node:` module.
 * @throws {SessionConfigError} when `store` is missing or an option is invalid.
 */
export function createSessions<Data extends SessionData = SessionData>(
  options: WebSessionOptions,
): WebSessions<Data> {
  checkSessionOptionKeys(options, 'createSessions()');
  requireStore(options, 'createSessions()', 'tessera-session/web');
  const manager = createSessionManager(options, { digestId: digestSessionIdCached });
  const kit = createSessionKit(manager);
  const cookieName = manager.options.cookie.name;

  // Promises are made only at the end: a memory-store session loads and an
  // unchanged one commits synchronously, and each await would cost a turn.
  function load<D extends SessionData>(
    cookie: string | null | undefined,
    secure: boolean,
    readOnly: GetSessionOptions['readOnly'],
  ): Promise<Session<D>> {
    let loaded: Session<D> | PromiseLike<Session<D>>;
    try {
      loaded = kit.load<D>({
        cookie,
        secure,
        readOnly:
          readOnly === true ? DEFAULT_READ_ONLY_MESSAGE : readOnly === false ? undefined : readOnly,
      });
    } catch (error) {
      return fail(error, 'load');
    }
    if (!isPromiseLike(loaded)) return Promise.resolve(bindEarlySave(loaded));
    return Promise.resolve(loaded).then(bindEarlySave, (error: unknown) => fail(error, 'load'));
  }

  /** `session.save()` saves now; its cookie goes out with `commit()`. */
  function bindEarlySave<S extends Session>(session: S): S {
    kit.bindEarlySave(session, deliverWithCommit, undefined);
    return session;
  }

  function save<Target>(
    session: Session,
    status: number | undefined,
    deliver: (committed: SessionCommitResult) => Target,
  ): Promise<Target> {
    let committed: SessionCommitResult | PromiseLike<SessionCommitResult>;
    try {
      // An early save's cookie (session.save()) goes out with this one.
      committed = kit.commit(session, status);
      if (!isPromiseLike(committed)) return Promise.resolve(deliver(committed));
    } catch (error) {
      return fail(error, 'commit');
    }
    return Promise.resolve(committed).then(deliver, (error: unknown) => fail(error, 'commit'));
  }

  function fail(error: unknown, phase: 'load' | 'commit'): Promise<never> {
    kit.report(error, phase);
    return Promise.reject(error);
  }

  const sessions: WebSessions<Data> = {
    manager,
    get(request, getOptions) {
      const secure = getOptions?.secure ?? isSecureWebRequest(request, manager.options.trustProxy);
      return load(request.headers.get('Cookie'), secure, getOptions?.readOnly);
    },
    commit(session, target, commitOptions) {
      const status = target instanceof Response ? target.status : commitOptions?.status;
      return save(session, status, (committed) => applySessionHeaders(target, committed));
    },
    destroy(session, target) {
      session.flush();
      return sessions.commit(session, target);
    },
    getFromCookies(cookies, getOptions = {}) {
      return load(
        readCookieHeader(cookies, cookieName),
        getOptions.secure ?? false,
        getOptions.readOnly,
      );
    },
    commitToCookies(session, cookies, commitOptions) {
      return save(session, commitOptions?.status, ({ setCookie }) => {
        if (setCookie === undefined) return;
        const cookie = describeSetCookie(setCookie);
        cookies.set(cookie.name, cookie.value, cookie.attributes);
      });
    },
    failureResponse(error) {
      if (!isSessionError(error)) return undefined;
      const failure = kit.describeFailure(error);
      return new Response(failure.body, failure);
    },
    close: () => manager.close(),
  };
  return Object.freeze(sessions);
}

/** An early save's cookie waits for `commit()`, which adds it to the response. */
function deliverWithCommit(): boolean {
  return false;
}
