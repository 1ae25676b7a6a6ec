/**
 * Holding a `node:http` response until its session is saved: the one
 * mechanism under the node:http and Express adapters (and any adapter on
 * `ServerResponse`), built on the public adapter kit.
 * @module
 */

import { type IncomingMessage, ServerResponse } from 'node:http';
import type { Session, SessionData } from '../../core/index.js';
import {
  createSessionKit,
  isPromiseLike,
  type SessionCommitResult,
  type SessionKit,
  type SessionManager,
} from '../../kit/index.js';
import { isSecureRequest } from './is-secure-request.js';
import { applySessionHeaders, sendSessionError } from './response-headers.js';

type Method = (this: ServerResponse, ...args: unknown[]) => unknown;
type Methods = Readonly<Record<(typeof HELD_METHODS)[number], Method>>;

/** The response methods a hold intercepts. */
const HELD_METHODS = ['end', 'write', 'writeHead'] as const;

/** Methods that change a response's head: after `end()`, while the save runs, they change nothing. */
const HEAD_METHODS = ['setHeader', 'appendHeader', 'removeHeader', 'writeHead', 'write'] as const;

/**
 * Where a held response is:
 * - open: headers still ours to add to;
 * - streaming: the body started (the cookie went out with it);
 * - ending: `end()` was called and the session is being saved;
 * - finishing: our own headers are being applied; nothing is intercepted.
 */
type Phase = 'open' | 'streaming' | 'ending' | 'finishing';

/** What a held response needs to save its session; one object per request, no closures. */
interface Hold {
  kit: SessionKit;
  session: Session;
  /** The methods in place before ours (Node's, or another middleware's). */
  methods: Methods;
  phase: Phase;
  /** Arguments of a `writeHead()` call deferred until the session is saved. */
  head: unknown[] | undefined;
  /** The `Set-Cookie` sent ahead of a streamed body. */
  earlyCookie: string | undefined;
  /** Own methods a pending save replaced (see {@link freezeHead}), to put back. */
  frozen: Map<string, PropertyDescriptor | undefined> | undefined;
}

/** How {@link openRequestSession} intercepts the response. */
export interface HoldOptions {
  /**
   * Install the interceptors once on the response's prototype (an Express
   * app's `app.response`) instead of on every response. Node's own
   * `ServerResponse.prototype` is never changed.
   */
  patchPrototype?: boolean;
}

/** Intercepts responses for one session manager. */
interface ResponseHolder {
  kit: SessionKit;
  hold(session: Session, res: ServerResponse, options: HoldOptions): void;
}

// One holder per manager, so two session middlewares on one app (two cookie
// names) each keep their own hold, the second one's interceptors wrapping the first's.
const holders = new WeakMap<SessionManager, ResponseHolder>();

/**
 * Loads the request's session and holds the response back until the session is
 * saved, so a redirect never overtakes its own write (expressjs/session#360).
 * A body written before `end()` carries the session's cookie. Answers
 * `undefined` after sending 503 when the store is down; answers synchronously
 * when the store did.
 */
export function openRequestSession<Data extends SessionData>(
  manager: SessionManager,
  req: IncomingMessage,
  res: ServerResponse,
  options: HoldOptions = {},
): Session<Data> | undefined | Promise<Session<Data> | undefined> {
  let holder = holders.get(manager);
  if (!holder) {
    holder = createResponseHolder(createSessionKit(manager));
    holders.set(manager, holder);
  }
  const { kit } = holder;
  let loaded: Session<Data> | PromiseLike<Session<Data>>;
  try {
    loaded = kit.load<Data>({
      cookie: req.headers.cookie,
      secure: isSecureRequest(req, manager.options.trustProxy),
    });
  } catch (error) {
    failResponse(kit, res, error, 'load', res.end as Method);
    return undefined;
  }
  if (isPromiseLike(loaded)) {
    return Promise.resolve(loaded).then(
      (session) => {
        holder.hold(session as unknown as Session, res, options);
        return session;
      },
      (error: unknown) => {
        failResponse(kit, res, error, 'load', res.end as Method);
        return undefined;
      },
    );
  }
  holder.hold(loaded as unknown as Session, res, options);
  return loaded;
}

function createResponseHolder(kit: SessionKit): ResponseHolder {
  // One symbol property per response: every response takes the same hidden-class
  // transition, and no WeakMap entry (ephemeron) is left for the GC to trace.
  const kHold = Symbol('tessera.hold');
  type HeldResponse = ServerResponse & { [kHold]?: Hold };
  const holdOf = (res: ServerResponse): Hold => (res as HeldResponse)[kHold]!;
  /** The methods a patched prototype had before (per Express app). */
  const prototypeMethods = new WeakMap<object, Methods>();

  const interceptors: Methods = {
    /** Saves the session first, then ends with the original arguments. */
    end(this: ServerResponse, ...args: unknown[]) {
      return endAfterSave(this, holdOf(this), args);
    },
    /** The body starts: the session's cookie goes out with the headers, decided now. */
    write(this: ServerResponse, ...args: unknown[]) {
      const hold = holdOf(this);
      if (hold.phase === 'open') startStreaming(this, hold);
      return hold.methods.write.apply(this, args);
    },
    /** An explicit `writeHead(302, headers)` before `end()` is deferred, so `Set-Cookie` can join it. */
    writeHead(this: ServerResponse, ...args: unknown[]) {
      const hold = holdOf(this);
      if (hold.phase !== 'open') return hold.methods.writeHead.apply(this, args);
      hold.head = args;
      return this;
    },
  };

  function methodsOf(target: ServerResponse): Methods {
    return { end: target.end, write: target.write, writeHead: target.writeHead } as Methods;
  }

  function patchResponse(res: ServerResponse): Methods {
    const methods = methodsOf(res);
    for (const name of HELD_METHODS)
      (res as unknown as Record<string, Method>)[name] = interceptors[name];
    return methods;
  }

  function patchPrototypeOnce(proto: ServerResponse): Methods {
    const known = prototypeMethods.get(proto);
    if (known) return known;
    const methods = methodsOf(proto);
    prototypeMethods.set(proto, methods);
    for (const name of HELD_METHODS) {
      const intercept = interceptors[name];
      const next = methods[name];
      // Responses of this app that carry no session (routes before the middleware) pass straight through.
      Object.defineProperty(proto, name, {
        configurable: true,
        writable: true,
        value: function interceptOrPass(this: ServerResponse, ...args: unknown[]) {
          return (this as HeldResponse)[kHold] !== undefined
            ? intercept.apply(this, args)
            : next.apply(this, args);
        },
      });
    }
    return methods;
  }

  return {
    kit,
    hold(session, res, options) {
      const proto = Object.getPrototypeOf(res) as ServerResponse;
      // Another middleware that already wrapped this response's methods must keep
      // seeing ours underneath it, so such a response is intercepted on itself.
      const onPrototype =
        options.patchPrototype === true &&
        proto !== ServerResponse.prototype &&
        !Object.hasOwn(res, 'end') &&
        !Object.hasOwn(res, 'write') &&
        !Object.hasOwn(res, 'writeHead');
      const methods = onPrototype ? patchPrototypeOnce(proto) : patchResponse(res);
      const hold: Hold = {
        kit,
        session,
        methods,
        phase: 'open',
        head: undefined,
        earlyCookie: undefined,
        frozen: undefined,
      };
      (res as HeldResponse)[kHold] = hold;
      // `session.save()` inside a handler saves early and still sets the cookie.
      kit.bindEarlySave(session, deliverEarly, res);
    },
  };
}

/** An early save's headers join the response if it has not started. */
function deliverEarly(res: ServerResponse, committed: SessionCommitResult): boolean {
  if (res.headersSent) {
    if (committed.setCookie !== undefined) return false;
    return true;
  }
  applySessionHeaders(res, committed);
  return true;
}

/** The first `write()`: headers go now, with the cookie the save will honour. */
function startStreaming(res: ServerResponse, hold: Hold): void {
  hold.phase = 'streaming';
  const reserved = hold.kit.reserveCookie(hold.session);
  const head = hold.head;
  hold.head = undefined;
  if (head) applyHead(res, head);
  if (reserved && !res.headersSent) {
    applySessionHeaders(res, reserved);
    hold.earlyCookie = reserved.setCookie;
  }
  if (head) hold.methods.writeHead.apply(res, [res.statusCode]);
}

/** Saves the session first, then ends the response with the original arguments. */
function endAfterSave(res: ServerResponse, hold: Hold, args: unknown[]): ServerResponse {
  // A second end() while the save runs changes nothing, as on an ended response.
  if (hold.phase === 'ending' || hold.phase === 'finishing') return res;
  const streaming = hold.phase === 'streaming';
  hold.phase = 'ending';
  let result: SessionCommitResult | PromiseLike<SessionCommitResult>;
  try {
    result = hold.kit.commit(hold.session, statusOf(res, hold));
  } catch (error) {
    failResponse(hold.kit, res, error, 'commit', hold.methods.end);
    return res;
  }
  if (isPromiseLike(result)) {
    if (!streaming) freezeHead(res, hold);
    result.then(
      (committed) => finish(res, hold, committed, args),
      (error: unknown) => {
        thawHead(res, hold);
        failResponse(hold.kit, res, error, 'commit', hold.methods.end);
      },
    );
    return res;
  }
  // Nothing was written: end right away, as if Tessera were not there.
  return finish(res, hold, result, args);
}

/**
 * In plain Node the head is gone once `end()` is called: a later `setHeader()`,
 * a second `res.send()`, cannot change the response the client gets. While the
 * save runs the head is still held, so those calls are made to change nothing
 * (and reported), instead of landing on the held head and breaking it.
 */
function freezeHead(res: ServerResponse, hold: Hold): void {
  const frozen = new Map<string, PropertyDescriptor | undefined>();
  for (const name of HEAD_METHODS) {
    frozen.set(name, Object.getOwnPropertyDescriptor(res, name));
    Object.defineProperty(res, name, {
      configurable: true,
      writable: true,
      value: function changeNothingAfterEnd(this: ServerResponse) {
        hold.kit.report(
          new Error(
            `res.${name}() was called after res.end(); it changes nothing, as in plain Node.`,
          ),
          'response',
        );
        return name === 'write' ? false : this;
      },
    });
  }
  hold.frozen = frozen;
}

function thawHead(res: ServerResponse, hold: Hold): void {
  if (!hold.frozen) return;
  for (const [name, descriptor] of hold.frozen) {
    if (descriptor) Object.defineProperty(res, name, descriptor);
    else delete (res as unknown as Record<string, unknown>)[name];
  }
  hold.frozen = undefined;
}

/** The status the response will have, including one given to a deferred `writeHead()`. */
function statusOf(res: ServerResponse, hold: Hold): number {
  const status = hold.head?.[0];
  return typeof status === 'number' ? status : res.statusCode;
}

function finish(
  res: ServerResponse,
  hold: Hold,
  committed: SessionCommitResult,
  args: unknown[],
): ServerResponse {
  thawHead(res, hold);
  hold.phase = 'finishing';
  if (hold.head) {
    applyHead(res, hold.head);
    hold.head = undefined;
  }
  if (!res.headersSent) applySessionHeaders(res, committed);
  else if (isLateCookie(committed.setCookie, hold.earlyCookie)) hold.kit.reportLateCookie();
  return hold.methods.end.apply(res, args) as ServerResponse;
}

/**
 * Whether the save's cookie differs from the one sent ahead of the body (a
 * refreshed Max-Age of the same cookie is not worth reporting).
 */
function isLateCookie(setCookie: string | undefined, sent: string | undefined): boolean {
  if (setCookie === undefined) return false;
  return sent === undefined || cookiePair(setCookie) !== cookiePair(sent);
}

function cookiePair(setCookie: string): string {
  const end = setCookie.indexOf(';');
  return end === -1 ? setCookie : setCookie.slice(0, end);
}

/** Folds a deferred `writeHead(status, [message], headers)` into the response, so ours are added to it. */
function applyHead(res: ServerResponse, head: unknown[]): void {
  const headers = head.find((arg, index) => index > 0 && typeof arg === 'object' && arg !== null);
  if (Array.isArray(headers)) {
    // Raw form: [name, value, name, value, …] or [[name, value], …].
    const pairs = Array.isArray(headers[0])
      ? (headers as [string, string][])
      : toPairs(headers as string[]);
    for (const [name, value] of pairs) appendHeader(res, name, value);
  } else if (headers) {
    for (const [name, value] of Object.entries(headers)) {
      if (value !== undefined) res.setHeader(name, value as string | string[] | number);
    }
  }
  if (typeof head[0] === 'number') res.statusCode = head[0];
  if (typeof head[1] === 'string') res.statusMessage = head[1];
}

function toPairs(flat: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
  return pairs;
}

function appendHeader(res: ServerResponse, name: string, value: string): void {
  const existing = res.getHeader(name);
  if (existing === undefined) res.setHeader(name, value);
  else res.setHeader(name, [...(Array.isArray(existing) ? existing : [String(existing)]), value]);
}

function failResponse(
  kit: SessionKit,
  res: ServerResponse,
  error: unknown,
  phase: string,
  end: Method,
): void {
  kit.report(error, phase);
  if (res.headersSent) {
    res.destroy(error instanceof Error ? error : undefined);
    return;
  }
  const failure = kit.describeFailure(error);
  sendSessionError(res, failure);
  end.call(res, failure.body);
}
