/**
 * Tessera for Koa 3: `ctx.session`, saved before the response goes out (Koa
 * sends the response after the middleware chain has finished, so a redirect
 * never overtakes its write).
 *
 * ```ts
 * import Koa from 'koa';
 * import { createSessionMiddleware, type SessionContext } from 'tessera-session/koa';
 *
 * const app = new Koa();
 * app.use(createSessionMiddleware()); // SQLite at .tessera/sessions.db
 * app.use((ctx: SessionContext<{ visits: number }>) => {
 *   const visits = ctx.session.get('visits', 0) + 1;
 *   ctx.session.set('visits', visits);
 *   ctx.body = `You have visited this page ${visits} times`;
 * });
 * ```
 *
 * Typing: Tessera does not augment Koa's `Context` (koa-session's types do, as
 * `session: Session | null`, and two augmentations of one property would not
 * compile). Type handlers with {@link SessionContext}, or the app with
 * `new Koa<DefaultState, WithSession<MyData>>()`. Koa-session and Tessera
 * cannot share an app at run time either: both own `ctx.session`, and Tessera
 * throws a clear error when it finds koa-session's.
 * @module tessera-session/koa
 */

import type { DefaultState, Middleware, Next, ParameterizedContext } from 'koa';
import {
  type Session,
  SessionConfigError,
  type SessionData,
  type SessionManager,
  type SessionOptions,
} from '../../core/index.js';
import {
  checkSessionOptionKeys,
  createSessionKit,
  isPromiseLike,
  requireSession,
} from '../../kit/index.js';
import { createNodeSessionManager, isSecureRequest } from '../node/index.js';
import { applySessionHeaders, sendSessionFailure } from './response-headers.js';

export { createCsrfMiddleware } from './csrf.js';
export { createFetchMetadataMiddleware } from './fetch-metadata.js';

/** What the middleware adds to Koa's context. */
export interface WithSession<Data extends SessionData = SessionData> {
  /** The request's session. */
  session: Session<Data>;
}

/**
 * A Koa context that went through the middleware:
 * `(ctx: SessionContext<MyData>) => ctx.session.get('visits')`.
 */
export type SessionContext<
  Data extends SessionData = SessionData,
  StateT = DefaultState,
> = ParameterizedContext<StateT, WithSession<Data>>;

/** The middleware, carrying its manager. */
export interface SessionMiddleware<Data extends SessionData = SessionData>
  extends Middleware<DefaultState, WithSession<Data>> {
  /** The session manager (open sessions by id, clear expired ones). */
  readonly manager: SessionManager;
  /** Closes the store. */
  close(): Promise<void>;
}

/**
 * Creates the Koa middleware: `ctx.session` on every request, saved after the
 * downstream middleware finished and before Koa sends the response. Store
 * failures answer 503; a save after a concurrent logout answers 400; a
 * downstream error is rethrown (Koa answers 500) and nothing is saved.
 *
 * `app.use(createSessionMiddleware<MyData>())` also types `ctx.session` for the
 * middleware chained after it.
 */
export function createSessionMiddleware<Data extends SessionData = SessionData>(
  options: SessionOptions = {},
): SessionMiddleware<Data> {
  checkSessionOptionKeys(options, 'createSessionMiddleware()');
  const manager = createNodeSessionManager(options);
  const kit = createSessionKit(manager);
  async function tesseraSession(ctx: SessionContext<Data>, next: Next): Promise<void> {
    checkSessionSlot(ctx);
    let session: Session;
    try {
      const loaded = kit.load({
        cookie: ctx.req.headers.cookie,
        secure: isSecureRequest(ctx.req, manager.options.trustProxy),
      });
      session = isPromiseLike(loaded) ? await loaded : loaded;
    } catch (error) {
      kit.report(error, 'load');
      sendSessionFailure(ctx, kit.describeFailure(error));
      return;
    }
    // Koa sends the response after the chain: an early save's headers join it then.
    kit.bindEarlySave(session, deliverLater, ctx);
    ctx.session = session as unknown as Session<Data>;
    await next(); // a downstream error propagates: nothing is saved, Koa answers with its status
    try {
      const pending = kit.commit(session, ctx.status);
      const committed = isPromiseLike(pending) ? await pending : pending;
      if (!ctx.headerSent) applySessionHeaders(ctx, committed);
      else if (committed.setCookie !== undefined) kit.reportLateCookie(LATE_COOKIE_ADVICE);
    } catch (error) {
      kit.report(error, 'commit');
      if (!ctx.headerSent) sendSessionFailure(ctx, kit.describeFailure(error));
    }
  }
  return Object.assign(tesseraSession, { manager, close: () => manager.close() });
}

/** The request's session; throws a clear error when the middleware is missing. */
export function getSession<Data extends SessionData = SessionData>(ctx: object): Session<Data> {
  return requireSession<Data>(
    (ctx as { session?: unknown }).session,
    'add app.use(createSessionMiddleware()) before this middleware.',
  );
}

/**
 * `ctx.session` must be free for Tessera: koa-session defines it on the app's
 * context prototype, and assigning ours would hand our session to its setter.
 * (An own property is fine: an earlier Tessera middleware with another cookie name.)
 */
function checkSessionSlot(ctx: object): void {
  if ('session' in ctx && !Object.hasOwn(ctx, 'session')) {
    throw new SessionConfigError(
      'ctx.session is already defined on this Koa app (koa-session?): remove the other session ' +
        'middleware, since both would own ctx.session.',
    );
  }
}

const LATE_COOKIE_ADVICE =
  '(ctx.respond = false?) call `await ctx.session.save()` before writing to ctx.res.';

/** An early save's cookie waits for the final commit, which adds it to the response. */
function deliverLater(): boolean {
  return false;
}
