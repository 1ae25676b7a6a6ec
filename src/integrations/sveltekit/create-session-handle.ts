/**
 * `createSessionHandle()`: the `handle` hook that gives every request its
 * session in `event.locals.session`.
 * @module
 */

import { checkSessionOptionKeys, requireStore, type SessionManager } from '../../kit/index.js';
import {
  checkCsrfRequest,
  createSessions,
  csrfFailureResponse,
  type Session,
  SessionConfigError,
  type SessionData,
  type WebSessionOptions,
  type WebSessions,
} from '../../web/index.js';
import type { SessionHandleInput, SessionRequestEvent } from './request-event.js';

/** Options of {@link createSessionHandle}: the core's, with `store` required, plus `csrf`. */
export interface SvelteKitSessionOptions extends WebSessionOptions {
  /**
   * Check the CSRF token of every unsafe request (anything but GET, HEAD,
   * OPTIONS, TRACE) before SvelteKit runs its form action or endpoint: the
   * `X-CSRF-Token` header or the form field `_csrf` must hold
   * `session.csrfToken()`, otherwise the answer is 403 and nothing runs. The
   * form is read from a clone of the request, so actions still read the body.
   * @default false
   */
  csrf?: boolean;
}

/** The integration's defaults for its own options. */
export const DEFAULT_SVELTEKIT_SESSION_OPTIONS = Object.freeze({ csrf: false });

/** The keys of {@link SvelteKitSessionOptions} that are no session options. */
const OWN_OPTION_KEYS: readonly string[] = Object.keys(DEFAULT_SVELTEKIT_SESSION_OPTIONS);

/**
 * A SvelteKit `handle` hook (export it as `handle` from `src/hooks.server.ts`,
 * or put it in `sequence(…)`), carrying the sessions it works with.
 */
export interface SessionHandle<Data extends SessionData = SessionData> {
  /** The hook: SvelteKit calls it with `{ event, resolve }`. */
  <Event extends SessionRequestEvent>(input: SessionHandleInput<Event>): Promise<Response>;
  /**
   * The Web sessions underneath: `getFromCookies`/`commit` for code outside a
   * request, `failureResponse(error)` to answer a session error caught in an
   * endpoint.
   */
  readonly sessions: WebSessions<Data>;
  /** The session manager (open sessions by id, list or log out a user's sessions, clear expired ones). */
  readonly manager: SessionManager;
  /** Closes the store. */
  close(): Promise<void>;
}

/**
 * Creates the `handle` hook: loads the request's session into
 * `event.locals.session` (lazily: no store I/O without a session cookie),
 * lets SvelteKit resolve the request, then saves what changed and adds
 * `Set-Cookie` and `Vary: Cookie` to the response, redirects of form actions
 * included. A store outage answers 503 with `Retry-After` before anything
 * runs (or, at the end, instead of the page); a save after the session was
 * logged out elsewhere answers 400; a 5xx response saves nothing.
 *
 * Changes made after the response has started (in a streamed promise of a
 * `load`) are not saved: its headers are gone, as SvelteKit's own
 * `cookies.set` refuses then.
 *
 * ```ts
 * // src/hooks.server.ts
 * import { createSessionHandle } from 'tessera-session/sveltekit';
 * import { createSqliteStore } from 'tessera-session/stores/sqlite';
 *
 * export const handle = createSessionHandle({ store: createSqliteStore(), csrf: true });
 * ```
 * @throws {SessionConfigError} when `store` is missing or an option is invalid.
 */
export function createSessionHandle<Data extends SessionData = SessionData>(
  options: SvelteKitSessionOptions,
): SessionHandle<Data> {
  checkSessionOptionKeys(options, 'createSessionHandle()', OWN_OPTION_KEYS);
  const { csrf = DEFAULT_SVELTEKIT_SESSION_OPTIONS.csrf, ...sessionOptions } = options ?? {};
  if (typeof csrf !== 'boolean') {
    throw new SessionConfigError(`Option "csrf" must be true or false; got ${typeof csrf}.`);
  }
  requireStore(sessionOptions, 'createSessionHandle()', 'tessera-session/sveltekit');
  const sessions = createSessions<Data>(sessionOptions as WebSessionOptions);

  async function handle<Event extends SessionRequestEvent>({
    event,
    resolve,
  }: SessionHandleInput<Event>): Promise<Response> {
    let session: Session;
    try {
      session = await sessions.get(event.request);
    } catch (error) {
      return answerFailure(error);
    }
    (event.locals as { session?: Session }).session = session;
    if (csrf && !(await checkCsrfRequest(event.request, session))) {
      return commitOrAnswerFailure(session, csrfFailureResponse());
    }
    return commitOrAnswerFailure(session, await resolve(event));
  }

  async function commitOrAnswerFailure(session: Session, response: Response): Promise<Response> {
    try {
      return await sessions.commit(session, response);
    } catch (error) {
      const failure = answerFailure(error);
      await response.body?.cancel().catch(() => undefined);
      return failure;
    }
  }

  function answerFailure(error: unknown): Response {
    const failure = sessions.failureResponse(error);
    if (failure === undefined) throw error;
    return failure;
  }

  return Object.assign(handle, {
    sessions,
    manager: sessions.manager,
    close: () => sessions.close(),
  });
}
