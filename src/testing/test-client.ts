/**
 * The test client: a cookie-jar HTTP client for an app, with helpers that read
 * and seed the app's sessions directly through its store.
 * @module
 */

import type { Session, SessionData, SessionManager } from '../core/index.js';
import { assertMatches } from './assert-matches.js';
import { CookieJar } from './cookie-jar.js';
import { CookieJarClient, type JarResponse } from './cookie-jar-client.js';
import { connectTestTarget, type TestTarget } from './test-target.js';

/** Options of {@link createTestClient}. */
export interface TestClientOptions {
  /**
   * The session manager of the app's adapter, needed only by the session
   * helpers: `middleware.manager` (Express, Hono, Koa), `withSession.manager`
   * (node:http). A Fastify app's `app.sessionManager` is found without it.
   * @default undefined
   */
  manager?: SessionManager | undefined;
}

/** Options of {@link TestClient.request}; give at most one of `form`, `json` and `body`. */
export interface TestRequestOptions {
  /** Request headers; `cookie` is added from the jar. */
  headers?: Record<string, string>;
  /** Sent urlencoded, with `Content-Type: application/x-www-form-urlencoded`. */
  form?: Record<string, string> | URLSearchParams;
  /** Sent as JSON, with `Content-Type: application/json`. */
  json?: unknown;
  /** Sent as is. */
  body?: string;
  /** Follow redirects, keeping every `Set-Cookie` along the way (303/301/302 become GET). @default false */
  follow?: boolean;
}

/** Options of {@link TestClient.get}. */
export type TestGetOptions = Pick<TestRequestOptions, 'headers' | 'follow'>;

/** A response, its body already read. */
export interface TestResponse extends JarResponse {
  /** The body parsed as JSON; throws when it is not JSON. */
  json<T = unknown>(): T;
}

/** Options of {@link TestClient.expectFlash}. */
export interface ExpectFlashOptions {
  /** The flash queue to look at. @default '' */
  queue?: string;
}

/** One browser talking to one app, and a view of its session on the server. */
export interface TestClient<Data extends SessionData = SessionData> {
  /** The cookie jar: what this client sends with every request. */
  readonly cookies: CookieJar;
  /** The value of one cookie in the jar. */
  cookie(name: string): string | undefined;
  /** Sends a GET request. */
  get(path: string, options?: TestGetOptions): Promise<TestResponse>;
  /** Sends a POST request (a form with `form`, JSON with `json`). */
  post(path: string, options?: TestRequestOptions): Promise<TestResponse>;
  /** Sends a request with any method. */
  request(method: string, path: string, options?: TestRequestOptions): Promise<TestResponse>;
  /**
   * The server-side session of the jar's session cookie, read from the store
   * (a fresh one when there is none). It is a copy: change it, then
   * {@link saveSession}; call again after a request to see the server's changes.
   */
  session(): Promise<Session<Data>>;
  /** Saves a session from {@link TestClient.session} and puts its cookie into the jar (or drops it when the session was emptied). */
  saveSession(session: Session<Data>): Promise<void>;
  /** Stores values in the session before a request, creating the session and its cookie if needed. */
  setSession(values: Partial<Data>): Promise<void>;
  /** The session's keys and values, without Tessera's reserved `_` keys (flash messages, expiry). */
  getSessionData(): Promise<Partial<Data>>;
  /**
   * Asserts that the session holds these values (other keys are ignored;
   * `undefined` means "absent"). Throws `node:assert`'s `AssertionError` with a diff.
   */
  expectSession(expected: Partial<Data>): Promise<void>;
  /** Asserts the queued flash messages, without consuming them. Throws `AssertionError` with a diff. */
  expectFlash(messages: readonly unknown[], options?: ExpectFlashOptions): Promise<void>;
  /** Deletes the session from the store (when the client has a manager) and empties the jar, as Django's `client.logout()`. */
  logout(): Promise<void>;
  /** Empties the jar, as a browser clearing its cookies; the stored session is left alone. */
  clearCookies(): void;
  /** Stops the server the client started, if any; the app and its store stay open. */
  close(): Promise<void>;
}

/**
 * Creates a test client for an app built with a Tessera adapter, or for any URL.
 * A request listener is served on a free loopback port on first use, an app with
 * `fetch(request)` is called directly, a Fastify instance is sent requests
 * through `inject()`.
 *
 * @example
 * ```ts
 * const middleware = createSessionMiddleware({ store: createMemoryStore() });
 * const app = express().use(middleware);
 * const client = createTestClient(app, { manager: middleware.manager });
 * await client.setSession({ user: 'ann' });
 * await client.get('/profile');
 * await client.expectSession({ user: 'ann' });
 * await client.close();
 * ```
 */
export function createTestClient<Data extends SessionData = SessionData>(
  target: TestTarget,
  options: TestClientOptions = {},
): TestClient<Data> {
  checkManagerOption(options.manager);
  const connection = connectTestTarget(target);
  const jar = new CookieJar();
  let http: Promise<CookieJarClient> | undefined;
  let closed = false;

  function connect(): Promise<CookieJarClient> {
    if (closed) {
      return Promise.reject(
        new Error('This test client is closed: create a new one with createTestClient().'),
      );
    }
    http ??= connection.open().then(
      ({ baseUrl, fetch }) => new CookieJarClient(baseUrl, { jar, ...(fetch ? { fetch } : {}) }),
      (error: unknown) => {
        http = undefined;
        throw error;
      },
    );
    return http;
  }

  async function resolveManager(helper: string): Promise<SessionManager> {
    if (options.manager) return options.manager;
    const found = await findFastifyManager(target);
    if (found) return found;
    throw new TypeError(
      `client.${helper}() reads the session through the app's session manager: pass it as ` +
        'createTestClient(app, { manager }), with middleware.manager (Express, Hono, Koa) ' +
        'or withSession.manager (node:http). A Fastify app registered with tesseraSession is found by itself.',
    );
  }

  async function openSession(helper: string): Promise<[SessionManager, Session<Data>]> {
    const manager = await resolveManager(helper);
    return [manager, await manager.open<Data>(jar.get(manager.options.cookie.name))];
  }

  async function storeSession(manager: SessionManager, session: Session<Data>): Promise<void> {
    await manager.save(session as unknown as Session);
    const name = manager.options.cookie.name;
    if (session.id === undefined) jar.delete(name);
    else jar.set(name, session.id);
  }

  async function expectSession(expected: Partial<Data>): Promise<void> {
    const [manager, session] = await openSession('expectSession');
    const data = Object.fromEntries(session.entries()) as Record<string, unknown>;
    const actual: Record<string, unknown> = {};
    for (const key of Object.keys(expected)) actual[key] = data[key];
    assertMatches(
      actual,
      { ...expected },
      `The session does not hold the expected values${describeCookie(manager)}.`,
      expectSession,
    );
  }

  async function expectFlash(
    messages: readonly unknown[],
    flashOptions: ExpectFlashOptions = {},
  ): Promise<void> {
    const queue = flashOptions.queue ?? '';
    const [manager, session] = await openSession('expectFlash');
    const name = queue === '' ? 'The default flash queue' : `Flash queue "${queue}"`;
    assertMatches(
      session.peekFlash(queue),
      [...messages],
      `${name} does not hold the expected messages${describeCookie(manager)}.`,
      expectFlash,
    );
  }

  async function request(
    method: string,
    path: string,
    requestOptions: TestRequestOptions = {},
  ): Promise<TestResponse> {
    const { headers, body } = encodeBody(requestOptions);
    const client = await connect();
    const response = await client.request(path, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      ...(requestOptions.follow === undefined ? {} : { follow: requestOptions.follow }),
    });
    return withJson(response);
  }

  return {
    cookies: jar,
    cookie: (name) => jar.get(name),
    get: (path, getOptions = {}) => request('GET', path, getOptions),
    post: (path, postOptions = {}) => request('POST', path, postOptions),
    request,
    async session() {
      return (await openSession('session'))[1];
    },
    async saveSession(session) {
      await storeSession(await resolveManager('saveSession'), session);
    },
    async setSession(values) {
      const [manager, session] = await openSession('setSession');
      session.update(values);
      await storeSession(manager, session);
    },
    async getSessionData() {
      const [, session] = await openSession('getSessionData');
      return Object.fromEntries(session.entries()) as Partial<Data>;
    },
    expectSession,
    expectFlash,
    async logout() {
      const manager = options.manager ?? (await findFastifyManager(target));
      const id = manager ? jar.get(manager.options.cookie.name) : undefined;
      if (manager && id !== undefined) {
        const session = await manager.open(id);
        session.flush();
        await manager.save(session);
      }
      jar.clear();
    },
    clearCookies() {
      jar.clear();
    },
    async close() {
      closed = true;
      http = undefined;
      await connection.close();
    },
  };

  function describeCookie(manager: SessionManager): string {
    const name = manager.options.cookie.name;
    return jar.has(name)
      ? ''
      : ` (the client has no "${name}" cookie: no request has stored a session yet)`;
  }
}

function encodeBody(options: TestRequestOptions): {
  headers: Record<string, string>;
  body: string | undefined;
} {
  const given = (['form', 'json', 'body'] as const).filter((name) => options[name] !== undefined);
  if (given.length > 1) {
    throw new TypeError(
      `A request takes one of "form", "json" and "body"; got ${given.join(' and ')}.`,
    );
  }
  const headers = { ...options.headers };
  if (options.form !== undefined) {
    return {
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(options.form).toString(),
    };
  }
  if (options.json !== undefined) {
    return {
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(options.json),
    };
  }
  return { headers, body: options.body };
}

function withJson(response: JarResponse): TestResponse {
  return {
    ...response,
    json<T>(): T {
      try {
        return JSON.parse(response.text) as T;
      } catch {
        throw new SyntaxError(
          `The response to ${response.url} is not JSON (status ${response.status}): ${response.text.slice(0, 200)}`,
        );
      }
    },
  };
}

function isSessionManager(value: unknown): value is SessionManager {
  const manager = value as Partial<SessionManager> | null | undefined;
  return (
    typeof manager?.open === 'function' &&
    typeof manager.save === 'function' &&
    typeof manager.options?.cookie?.name === 'string'
  );
}

function checkManagerOption(manager: unknown): void {
  if (manager === undefined || isSessionManager(manager)) return;
  if (isSessionManager((manager as { manager?: unknown } | null)?.manager)) {
    throw new TypeError(
      'Option "manager" got the session middleware: pass its manager, { manager: middleware.manager }.',
    );
  }
  throw new TypeError(
    'Option "manager" must be the session manager of the app\'s adapter (middleware.manager, ' +
      'withSession.manager, or app.sessionManager on Fastify).',
  );
}

/** A Fastify app registered with Tessera's plugin carries its manager as `app.sessionManager` once ready. */
async function findFastifyManager(target: TestTarget): Promise<SessionManager | undefined> {
  if (typeof target !== 'object' || target instanceof URL) return undefined;
  const app = target as { ready?: () => PromiseLike<unknown>; inject?: unknown };
  if (typeof app.ready !== 'function' || typeof app.inject !== 'function') return undefined;
  await app.ready();
  const manager = (target as { sessionManager?: unknown }).sessionManager;
  return isSessionManager(manager) ? manager : undefined;
}
