/**
 * What a test client talks to, and how: a URL, a `node:http` request listener
 * (served on a loopback port on first use), an app with `fetch(request)` (called
 * directly), a Fastify instance (through `inject()`) or a Koa app (`callback()`).
 * @module
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FetchFunction } from './cookie-jar-client.js';
import { createInjectFetch, type InjectTarget } from './inject-fetch.js';
import { listenOnLoopback } from './listen-on-loopback.js';

/** A `node:http` request listener: an Express app, a `createSessionHandler(…)(handler)`, Koa's `app.callback()`. */
export type RequestListenerTarget = (req: IncomingMessage, res: ServerResponse) => unknown;

/** An app answering Web-standard requests: a Hono app, or anything with `fetch(request)`. */
export interface FetchTarget {
  /** Answers one request. */
  fetch(request: Request): Response | Promise<Response>;
}

/** An app that builds its request listener: a Koa app. */
export interface CallbackTarget {
  /** Builds the `node:http` request listener that serves the app. */
  callback(): RequestListenerTarget;
}

/** Anything {@link createTestClient} can send requests to. */
export type TestTarget =
  | string
  | URL
  | RequestListenerTarget
  | FetchTarget
  | InjectTarget
  | CallbackTarget;

/** Where requests go once the target is ready. */
export interface TargetEndpoint {
  /** Relative paths are resolved against it. */
  baseUrl: string;
  /** Sends requests; global `fetch` when undefined. */
  fetch: FetchFunction | undefined;
}

/** A target made ready on first use. */
export interface TargetConnection {
  /** The endpoint; the first call starts a server for a request listener. */
  open(): Promise<TargetEndpoint>;
  /** Stops the server {@link open} started, if any. */
  close(): Promise<void>;
}

// Origin of requests that never reach a socket (as Hono's own `app.request()`).
const IN_PROCESS_ORIGIN = 'http://localhost';

/** Recognises the target; throws a `TypeError` saying what to pass when it is none of the accepted kinds. */
export function connectTestTarget(target: TestTarget): TargetConnection {
  if (typeof target === 'string' || target instanceof URL) {
    const baseUrl = new URL(target).toString();
    return { open: async () => ({ baseUrl, fetch: undefined }), close: async () => {} };
  }
  if (typeof target === 'function') {
    if (isSessionMiddleware(target)) {
      throw new TypeError(
        "createTestClient() was given Tessera's session middleware, not an app: pass the app that uses it, " +
          'and the middleware\'s manager as the "manager" option: createTestClient(app, { manager: middleware.manager }).',
      );
    }
    return connectListener(() => target);
  }
  if (typeof target !== 'object' || target === null) throw unknownTarget(target);
  if (hasMethods(target, 'inject', 'ready')) {
    const fetch = createInjectFetch(target as InjectTarget);
    return { open: async () => ({ baseUrl: IN_PROCESS_ORIGIN, fetch }), close: async () => {} };
  }
  if (hasMethods(target, 'fetch')) {
    const app = target as FetchTarget;
    const fetch: FetchFunction = async (url, init) => app.fetch(new Request(url, init));
    return { open: async () => ({ baseUrl: IN_PROCESS_ORIGIN, fetch }), close: async () => {} };
  }
  if (hasMethods(target, 'callback'))
    return connectListener(() => (target as CallbackTarget).callback());
  throw unknownTarget(target);
}

function connectListener(createListener: () => RequestListenerTarget): TargetConnection {
  let starting: ReturnType<typeof listenOnLoopback> | undefined;
  return {
    async open() {
      starting ??= listenOnLoopback(createListener());
      return { baseUrl: (await starting).baseUrl, fetch: undefined };
    },
    async close() {
      const server = starting;
      starting = undefined;
      if (server) await (await server).close();
    },
  };
}

function hasMethods(value: object, ...names: string[]): boolean {
  return names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');
}

function isSessionMiddleware(value: object): boolean {
  const manager = (value as { manager?: unknown }).manager;
  return typeof manager === 'object' && manager !== null && hasMethods(manager, 'open', 'save');
}

function unknownTarget(target: unknown): TypeError {
  const got = target === null ? 'null' : typeof target;
  return new TypeError(
    `createTestClient() cannot send requests to this target (${got}). Pass a base URL ('http://127.0.0.1:3000'), ` +
      'a node:http request listener (an Express app), an app with fetch(request) (a Hono app), ' +
      'a Fastify instance or a Koa app.',
  );
}
