import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
} from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import {
  type Session,
  type SessionCommitResult,
  SessionConfigError,
  type SessionManager,
  type SessionOptions,
} from '../../core/index.js';
import {
  checkSessionOptionKeys,
  createSessionKit,
  isPromiseLike,
  type SessionKit,
} from '../../kit/index.js';
import { createNodeSessionManager } from '../node/index.js';
import { csrfProtection } from './csrf.js';
import { isSecureRequest } from './is-secure-request.js';
import { failReply, failRequest, type SendDone } from './reply-failure.js';
import { applySessionHeaders } from './reply-headers.js';

/** Options of the plugin: the core's {@link SessionOptions}, plus `csrf`. */
export interface TesseraPluginOptions extends SessionOptions {
  /**
   * Check CSRF tokens on every route of the app: adds {@link csrfProtection} as a
   * `preHandler` hook (unsafe methods without the session's token answer 403).
   * @defaultValue false
   */
  csrf?: boolean;
}

/**
 * Keys of the plugin's options that are no session options: `csrf`, and the
 * registration options Fastify reads from the options of every plugin
 * (`prefix`, `logLevel`, `logSerializers`), which it accepts here too.
 */
const PLUGIN_OWN_OPTIONS: readonly string[] = ['csrf', 'prefix', 'logLevel', 'logSerializers'];

/** The session options among the plugin's (a copy: the caller's object is left as it is). */
function sessionOptionsOf(options: TesseraPluginOptions): SessionOptions {
  return Object.fromEntries(
    Object.entries(options).filter(([key]) => !PLUGIN_OWN_OPTIONS.includes(key)),
  ) as SessionOptions;
}

/** The request as the plugin sees it: the session untyped (`TesseraSessionData` is the app's). */
type SessionCarrier = { session: Session | null };

/**
 * Registers Tessera on a Fastify instance. Wrapped by `fastify-plugin`, so the
 * decorators and hooks reach the app it is registered on, child contexts included.
 */
function registerTesseraSession(
  app: FastifyInstance,
  options: TesseraPluginOptions,
  registered: (error?: Error) => void,
): void {
  if (app.hasRequestDecorator('session')) {
    registered(
      new Error(
        'request.session already exists on this Fastify instance: register tesseraSession ' +
          'once, and not together with @fastify/session.',
      ),
    );
    return;
  }
  if (options.csrf !== undefined && typeof options.csrf !== 'boolean') {
    registered(
      new SessionConfigError(`Option "csrf" must be true or false; got ${typeof options.csrf}.`),
    );
    return;
  }
  let manager: SessionManager;
  try {
    checkSessionOptionKeys(options, 'app.register(tesseraSession)', PLUGIN_OWN_OPTIONS);
    manager = createNodeSessionManager(sessionOptionsOf(options));
  } catch (error) {
    registered(error as Error); // a wrong option: app.ready() rejects, naming it
    return;
  }
  const { trustProxy } = manager.options;
  const kit = createSessionKit(manager);

  /** onRequest: loads the session; synchronous when the store answered synchronously. */
  function loadSession(
    request: FastifyRequest,
    reply: FastifyReply,
    done: HookHandlerDoneFunction,
  ): void {
    let loaded: Session | PromiseLike<Session>;
    try {
      loaded = kit.load({
        cookie: request.raw.headers.cookie,
        secure: isSecureRequest(request, trustProxy),
      });
    } catch (error) {
      failRequest(kit, reply, error);
      return;
    }
    if (isPromiseLike(loaded)) {
      loaded.then(
        (session) => {
          attachSession(kit, request, reply, session);
          done();
        },
        (error: unknown) => failRequest(kit, reply, error),
      );
    } else {
      attachSession(kit, request, reply, loaded);
      done();
    }
  }

  /** onSend: saves the session before the response goes out, then adds its headers. */
  function saveSession(
    request: FastifyRequest,
    reply: FastifyReply,
    payload: unknown,
    done: SendDone,
  ): void {
    const session = (request as unknown as SessionCarrier).session;
    if (session === null) {
      done(null, payload); // a context the plugin does not reach, or the load failed
      return;
    }
    let committed: SessionCommitResult | PromiseLike<SessionCommitResult>;
    try {
      committed = kit.commit(session, statusOf(reply, payload));
    } catch (error) {
      failReply(kit, reply, payload, error, done);
      return;
    }
    if (isPromiseLike(committed)) {
      committed.then(
        (result) => {
          applySessionHeaders(reply, result);
          done(null, payload);
        },
        (error: unknown) => failReply(kit, reply, payload, error, done),
      );
    } else {
      applySessionHeaders(reply, committed);
      done(null, payload);
    }
  }

  app.decorate('sessionManager', manager);
  // null until onRequest: Fastify 5 forbids reference-type defaults (`[]`: no dependencies).
  app.decorateRequest('session', null, []);
  app.addHook('onRequest', loadSession);
  app.addHook('onSend', saveSession);
  if (options.csrf === true) app.addHook('preHandler', csrfProtection);
  app.addHook('onClose', function closeSessionStore(_instance, done) {
    manager.close().then(() => done(), done);
  });
  registered();
}

/**
 * The Tessera plugin: `await app.register(tesseraSession, options)`, where
 * `options` are the core's `SessionOptions` (store, cookie, timeouts, `onError`, …)
 * and `csrf: true` to check CSRF tokens on every route.
 */
export const tesseraSession = fastifyPlugin(registerTesseraSession, {
  fastify: '5.x',
  name: 'tessera-session',
});

function attachSession(
  kit: SessionKit,
  request: FastifyRequest,
  reply: FastifyReply,
  session: Session,
): void {
  (request as unknown as SessionCarrier).session = session;
  // `session.save()` inside a handler saves early and still sets the cookie.
  kit.bindEarlySave(session, deliverEarly, { kit, reply });
}

/** An early save's headers join the reply unless it was already sent. */
function deliverEarly(
  target: { kit: SessionKit; reply: FastifyReply },
  committed: SessionCommitResult,
): boolean {
  if (!target.reply.raw.headersSent) applySessionHeaders(target.reply, committed);
  else if (committed.setCookie !== undefined) target.kit.reportLateCookie();
  return true;
}

/** The status the response will have; a web `Response` payload brings its own. */
function statusOf(reply: FastifyReply, payload: unknown): number {
  if (typeof payload === 'object' && payload !== null && payload instanceof Response) {
    return payload.status;
  }
  return reply.statusCode;
}
