import { type IncomingMessage, ServerResponse } from 'node:http';
import {
  describeSessionFailure,
  type Session,
  type SessionCommitResult,
  type SessionData,
  type SessionManager,
} from '../../core/index.js';
import { kState } from '../../core/session.js';
import { isSecureRequest } from './is-secure-request.js';
import { applySessionHeaders, sendSessionError } from './response-headers.js';

type End = (this: ServerResponse, ...args: unknown[]) => ServerResponse;
type Method = (this: ServerResponse, ...args: unknown[]) => unknown;

/** What a held response needs to save its session; one object per request, no closures. */
interface Hold {
  manager: SessionManager;
  session: Session;
  /** The methods in place before ours (Node's, or another middleware's). */
  end: End;
  writeHead: Method;
  write: Method;
  /** open: headers still ours to add to; streaming: the body started; ending: saving. */
  phase: 'open' | 'streaming' | 'ending';
  /** Arguments of a `writeHead()` call deferred until the session is saved. */
  head: unknown[] | undefined;
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
  hold(manager: SessionManager, session: Session, res: ServerResponse, options: HoldOptions): void;
}

// One holder per manager, so two session middlewares on one app (two cookie
// names) each keep their own hold, the second one's interceptors wrapping the first's.
const holders = new WeakMap<SessionManager, ResponseHolder>();

/**
 * Loads the request's session and holds the response back until the session is
 * saved, so a redirect never overtakes its own write (expressjs/session#360).
 * Answers `undefined` after sending 503 when the store is down; answers
 * synchronously when the store did.
 */
export function openRequestSession<Data extends SessionData>(
  manager: SessionManager,
  req: IncomingMessage,
  res: ServerResponse,
  options: HoldOptions = {},
): Session<Data> | undefined | Promise<Session<Data> | undefined> {
  let loaded: Session<Data> | Promise<Session<Data>>;
  try {
    loaded = manager.load<Data>({
      cookie: req.headers.cookie,
      secure: isSecureRequest(req, manager.options.trustProxy),
    });
  } catch (error) {
    failResponse(manager, res, error, 'load', res.end as End);
    return undefined;
  }
  let holder = holders.get(manager);
  if (!holder) {
    holder = createResponseHolder();
    holders.set(manager, holder);
  }
  const hold = (session: Session<Data>): Session<Data> => {
    holder.hold(manager, session as unknown as Session, res, options);
    return session;
  };
  if (loaded instanceof Promise) {
    return loaded.then(hold, (error: unknown) => {
      failResponse(manager, res, error, 'load', res.end as End);
      return undefined;
    });
  }
  return hold(loaded);
}

function createResponseHolder(): ResponseHolder {
  // One symbol property per response: every response takes the same hidden-class
  // transition, and no WeakMap entry (ephemeron) is left for the GC to trace.
  const kHold = Symbol('tessera.hold');
  type HeldResponse = ServerResponse & { [kHold]?: Hold };
  const holdOf = (res: ServerResponse): Hold => (res as HeldResponse)[kHold]!;
  /** The methods a patched prototype had before (per Express app). */
  const prototypeMethods = new WeakMap<object, Pick<Hold, 'end' | 'writeHead' | 'write'>>();

  /**
   * Replaces `res.writeHead`: an explicit `writeHead(302, headers)` before `end()`
   * is deferred, so the session's `Set-Cookie` can still join those headers.
   */
  function interceptWriteHead(this: ServerResponse, ...args: unknown[]): unknown {
    const hold = holdOf(this);
    if (hold.phase !== 'open') return hold.writeHead.apply(this, args);
    hold.head = args;
    return this;
  }

  /** Replaces `res.write`: once the body starts, headers go out as they are (see `session.save()`). */
  function interceptWrite(this: ServerResponse, ...args: unknown[]): unknown {
    const hold = holdOf(this);
    if (hold.phase === 'open') {
      hold.phase = 'streaming';
      if (hold.head) sendHead(this, hold);
    }
    return hold.write.apply(this, args);
  }

  /** Replaces `res.end`: saves the session first, then ends with the original arguments. */
  function interceptEnd(this: ServerResponse, ...args: unknown[]): ServerResponse {
    return endAfterSave(this, holdOf(this), args);
  }

  function patchResponse(res: ServerResponse): Pick<Hold, 'end' | 'writeHead' | 'write'> {
    const methods = {
      end: res.end as End,
      writeHead: res.writeHead as Method,
      write: res.write as Method,
    };
    res.end = interceptEnd as ServerResponse['end'];
    res.writeHead = interceptWriteHead as ServerResponse['writeHead'];
    res.write = interceptWrite as ServerResponse['write'];
    return methods;
  }

  function patchPrototypeOnce(proto: ServerResponse): Pick<Hold, 'end' | 'writeHead' | 'write'> {
    const known = prototypeMethods.get(proto);
    if (known) return known;
    const methods = {
      end: proto.end as End,
      writeHead: proto.writeHead as Method,
      write: proto.write as Method,
    };
    prototypeMethods.set(proto, methods);
    // Responses of this app that carry no session (routes before the middleware) pass straight through.
    const define = (name: keyof typeof methods, intercept: Method): void => {
      const next = methods[name] as Method;
      Object.defineProperty(proto, name, {
        configurable: true,
        writable: true,
        value: function interceptOrPass(this: ServerResponse, ...args: unknown[]) {
          return (this as HeldResponse)[kHold] !== undefined
            ? intercept.apply(this, args)
            : next.apply(this, args);
        },
      });
    };
    define('end', interceptEnd as Method);
    define('writeHead', interceptWriteHead);
    define('write', interceptWrite);
    return methods;
  }

  return {
    hold(manager, session, res, options) {
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
      const hold: Hold = { manager, session, ...methods, phase: 'open', head: undefined };
      (res as HeldResponse)[kHold] = hold;
      // `session.save()` inside a handler saves early and still sets the cookie.
      session[kState].save = () => saveEarly(res, hold);
    },
  };
}

/** Saves the session first, then ends the response with the original arguments. */
function endAfterSave(res: ServerResponse, hold: Hold, args: unknown[]): ServerResponse {
  if (hold.phase === 'ending') return res;
  hold.phase = 'ending';
  let result: SessionCommitResult | Promise<SessionCommitResult>;
  try {
    result = hold.manager.commit(hold.session, { status: statusOf(res, hold) });
  } catch (error) {
    failResponse(hold.manager, res, error, 'commit', hold.end);
    return res;
  }
  if (result instanceof Promise) {
    result.then(
      (committed) => finish(res, hold, committed, args),
      (error: unknown) => failResponse(hold.manager, res, error, 'commit', hold.end),
    );
    return res;
  }
  // Nothing was written: end right away, as if Tessera were not there.
  return finish(res, hold, result, args);
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
  if (hold.head) {
    // Fold the deferred writeHead's headers in first, so ours are appended to them, not replaced.
    applyHeadHeaders(res, hold.head);
    res.statusCode = statusOf(res, hold);
    if (typeof hold.head[1] === 'string') res.statusMessage = hold.head[1];
    hold.head = undefined;
  }
  if (!res.headersSent) applySessionHeaders(res, committed);
  else if (committed.setCookie !== undefined) reportLateCookie(hold.manager);
  return hold.end.apply(res, args);
}

function sendHead(res: ServerResponse, hold: Hold): void {
  const head = hold.head!;
  hold.head = undefined;
  hold.writeHead.apply(res, head);
}

/** Applies the headers given to `writeHead(status, [message], headers)` with setHeader. */
function applyHeadHeaders(res: ServerResponse, head: unknown[]): void {
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

async function saveEarly(res: ServerResponse, hold: Hold): Promise<void> {
  const committed = await hold.manager.commit(hold.session);
  if (!res.headersSent) applySessionHeaders(res, committed);
  else if (committed.setCookie !== undefined) reportLateCookie(hold.manager);
}

function reportLateCookie(manager: SessionManager): void {
  const message =
    'Response headers were sent before the session was saved; call `await session.save()` before streaming.';
  report(manager, new Error(message), 'commit');
}

function failResponse(
  manager: SessionManager,
  res: ServerResponse,
  error: unknown,
  phase: string,
  end: End,
): void {
  report(manager, error, phase);
  if (res.headersSent) {
    res.destroy(error instanceof Error ? error : undefined);
    return;
  }
  const failure = describeSessionFailure(error);
  sendSessionError(res, failure);
  end.call(res, failure.body);
}

function report(manager: SessionManager, error: unknown, phase: string): void {
  try {
    manager.options.onError?.(error, { phase });
  } catch {
    // A failing error hook must not take the response down with it.
  }
}
