/**
 * `createNextSessions()`: Tessera in a Next.js App Router app, over
 * `tessera-session/web`, for each place Next.js runs server code.
 * @module
 */

import {
  isSessionError,
  type Session,
  SessionConfigError,
  type SessionData,
} from '../../core/index.js';
import { addCookieToVary, checkSessionOptionKeys, describeSetCookie } from '../../kit/index.js';
import {
  createSessions,
  type RequestLike,
  type WebSessionOptions,
  type WebSessions,
} from '../../web/index.js';
import { isNextControlFlowError } from './control-flow.js';
import {
  isResponseWithCookies,
  type NextCookieStore,
  type NextCookiesFunction,
} from './next-cookies.js';

/** Options of {@link createNextSessions}: those of `createSessions()` (`store` required), and `cookies`. */
export interface NextSessionsOptions extends WebSessionOptions {
  /**
   * `cookies` from `next/headers`. Needed by {@link NextSessions.read} (Server
   * Components) and {@link NextSessions.withSession} (Server Actions), which
   * have no request object; Route Handlers and `proxy.ts` work without it.
   */
  cookies?: NextCookiesFunction;
}

/** A Route Handler that receives the request's session; its response carries the session cookie. */
export type SessionRouteHandler<Data extends SessionData, Req extends Request, Context> = (
  request: Req,
  session: Session<Data>,
  context: Context,
) => Response | Promise<Response>;

/** Sessions for a Next.js app; made by {@link createNextSessions}. */
export interface NextSessions<Data extends SessionData = SessionData>
  extends Omit<WebSessions<Data>, 'commit'> {
  /**
   * Saves what changed and puts the session cookie on `response`: through
   * `response.cookies.set()` for a `NextResponse` (so a cookie the app sets
   * afterwards does not drop it), as a `Set-Cookie` header otherwise. Adds
   * `Vary: Cookie`. Answers `response`, or a copy of a `Response` whose
   * headers are immutable (`Response.redirect()`).
   */
  commit<Target extends Response | Headers>(
    session: Session,
    target: Target,
    options?: { status?: number },
  ): Promise<Target>;
  /**
   * The session for a Server Component (a page or layout), read-only: Next.js
   * cannot set cookies while rendering, so every change throws a
   * `SessionConfigError` that says where to make it instead. Wrap it in
   * React's `cache()` to load it once per render.
   */
  read<D extends SessionData = Data>(): Promise<Session<D>>;
  /**
   * Runs a Server Action with the session: loads it through `cookies()`, runs
   * `action`, saves and sets the cookie. A `redirect()`, `notFound()` or
   * `forbidden()` thrown by `action` saves the session first; any other error
   * saves nothing. Rejects with `SessionStoreError` (store outage) or
   * `SessionInterruptedError` (logged out meanwhile) for the app's error UI.
   */
  withSession<T, D extends SessionData = Data>(
    action: (session: Session<D>) => T | Promise<T>,
  ): Promise<T>;
  /**
   * Wraps a Route Handler: loads the session from the request, runs `handler`
   * and commits onto its response. A store outage answers 503, a session
   * logged out meanwhile 400. A `redirect()` thrown by the handler saves the
   * session through `cookies()` (option `cookies` needed).
   */
  route<Req extends Request = Request, Context = unknown, D extends SessionData = Data>(
    handler: SessionRouteHandler<D, Req, Context>,
  ): (request: Req, context: Context) => Promise<Response>;
  /**
   * Runs `proxy.ts` (or `middleware.ts` on the Node runtime) with the
   * session: loads it from the request, lets `handle` read or change it and
   * answer a response (`NextResponse.next()`, a redirect), and sets the
   * cookie on that response. Next.js ≥ 15.5 hands a cookie set on
   * `NextResponse.next()` to the same request's `cookies()`, so a page can
   * read a session the proxy has just created. A store outage answers 503.
   */
  proxy<R extends Response, D extends SessionData = Data>(
    request: RequestLike,
    handle: (session: Session<D>) => R | Promise<R>,
  ): Promise<R | Response>;
}

/** Defaults of {@link createNextSessions}' own options. */
export const DEFAULT_NEXT_SESSIONS_OPTIONS: Readonly<Pick<NextSessionsOptions, 'cookies'>> =
  Object.freeze({ cookies: undefined });

const OWN_KEYS = Object.freeze(['cookies']);

/** What a write in a Server Component throws. */
export const SERVER_COMPONENT_READ_ONLY_MESSAGE =
  'This session was read in a Server Component (sessions.read()), where Next.js cannot set cookies, ' +
  'so it is read-only. Change it in a Server Action (sessions.withSession()), a Route Handler ' +
  '(sessions.route() or sessions.get()/commit()) or proxy.ts (sessions.proxy()).';

/**
 * Creates sessions for a Next.js App Router app (Node.js runtime). Call it
 * once, in a module of the app, and import the result everywhere.
 * @throws {SessionConfigError} when `store` is missing, `cookies` is not a
 * function or an option is invalid.
 */
export function createNextSessions<Data extends SessionData = SessionData>(
  options: NextSessionsOptions,
): NextSessions<Data> {
  checkSessionOptionKeys(options, 'createNextSessions()', OWN_KEYS);
  const { cookies = DEFAULT_NEXT_SESSIONS_OPTIONS.cookies, ...webOptions } = options ?? {};
  if (cookies !== undefined && typeof cookies !== 'function') {
    throw new SessionConfigError(
      'Option "cookies" of createNextSessions() must be the function cookies from \'next/headers\' ' +
        '(import { cookies } from "next/headers"), not its result.',
    );
  }
  const web = createSessions<Data>(webOptions as WebSessionOptions);

  async function openCookies(where: string): Promise<NextCookieStore> {
    if (cookies === undefined) {
      throw new SessionConfigError(
        `${where} needs the cookies of the request: pass cookies from 'next/headers' to ` +
          "createNextSessions({ store, cookies }) (import { cookies } from 'next/headers').",
      );
    }
    return await cookies();
  }

  async function commit<Target extends Response | Headers>(
    session: Session,
    target: Target,
    commitOptions: { status?: number } = {},
  ): Promise<Target> {
    if (!(target instanceof Response) || !isResponseWithCookies(target)) {
      return web.commit(session, target, commitOptions);
    }
    const added = await web.commit(session, new Headers(), { status: target.status });
    for (const setCookie of added.getSetCookie()) {
      const cookie = describeSetCookie(setCookie);
      target.cookies.set(cookie.name, cookie.value, cookie.attributes);
    }
    if (added.has('Vary')) {
      const vary = addCookieToVary(target.headers.get('Vary'));
      if (vary !== undefined) target.headers.set('Vary', vary);
    }
    return target;
  }

  /** The answer to a failure a response can report (503, 400); `undefined` for the others. */
  function answerFailure(error: unknown): Response | undefined {
    return isSessionError(error) && error.status !== 500 ? web.failureResponse(error) : undefined;
  }

  const sessions: NextSessions<Data> = {
    manager: web.manager,
    get: web.get,
    getFromCookies: web.getFromCookies,
    commitToCookies: web.commitToCookies,
    failureResponse: web.failureResponse,
    close: web.close,
    commit,
    destroy(session, target) {
      session.flush();
      return commit(session, target);
    },
    async read<D extends SessionData = Data>() {
      const jar = await openCookies('sessions.read()');
      return web.getFromCookies<D>(jar, { readOnly: SERVER_COMPONENT_READ_ONLY_MESSAGE });
    },
    async withSession<T, D extends SessionData = Data>(
      action: (session: Session<D>) => T | Promise<T>,
    ) {
      const jar = await openCookies('sessions.withSession()');
      const session = await web.getFromCookies<D>(jar);
      let result: T;
      try {
        result = await action(session);
      } catch (error) {
        // redirect() and friends end an action that succeeded; anything else saves nothing.
        await web.commitToCookies(session, jar, {
          status: isNextControlFlowError(error) ? 303 : 500,
        });
        throw error;
      }
      await web.commitToCookies(session, jar);
      return result;
    },
    route<Req extends Request = Request, Context = unknown, D extends SessionData = Data>(
      handler: SessionRouteHandler<D, Req, Context>,
    ) {
      return async (request: Req, context: Context): Promise<Response> => {
        try {
          const session = await web.get<D>(request);
          let response: Response;
          try {
            response = await handler(request, session, context);
          } catch (error) {
            if (isNextControlFlowError(error)) {
              const jar = await openCookies('A Route Handler that throws redirect() or notFound()');
              await web.commitToCookies(session, jar, { status: 303 });
            }
            throw error;
          }
          return await commit(session, response);
        } catch (error) {
          const failure = answerFailure(error);
          if (failure !== undefined) return failure;
          throw error;
        }
      };
    },
    async proxy<R extends Response, D extends SessionData = Data>(
      request: RequestLike,
      handle: (session: Session<D>) => R | Promise<R>,
    ) {
      try {
        const session = await web.get<D>(request);
        return await commit(session, await handle(session));
      } catch (error) {
        const failure = answerFailure(error);
        if (failure !== undefined) return failure;
        throw error;
      }
    },
  };
  return Object.freeze(sessions);
}
