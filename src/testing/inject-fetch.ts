/**
 * Sending `fetch` requests through Fastify's `inject()` (light-my-request):
 * no socket, no port, and the app's whole request lifecycle runs.
 * @module
 */

import type { FetchFunction } from './cookie-jar-client.js';

/** What is handed to `inject()`. */
export interface InjectRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
  url: string;
  headers: Record<string, string>;
  payload?: Buffer;
}

/** What `inject()` answers (the part of light-my-request's response used here). */
export interface InjectReply {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  rawPayload: Buffer;
}

/** An app that answers injected requests: a Fastify instance. */
export interface InjectTarget {
  /** Loads the app's plugins. */
  ready(): PromiseLike<unknown>;
  /** Runs one request through the app without a socket. */
  inject(request: InjectRequest): PromiseLike<InjectReply>;
}

// Fetch's Response refuses a body for these statuses.
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** A fetch function that answers from `app.inject()`. */
export function createInjectFetch(app: InjectTarget): FetchFunction {
  return async (url, init) => {
    const request = new Request(url, init);
    const target = new URL(request.url);
    const payload = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
    const headers: Record<string, string> = { host: target.host };
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const reply = await app.inject({
      method: request.method as InjectRequest['method'],
      url: target.pathname + target.search,
      headers,
      ...(payload === undefined ? {} : { payload }),
    });
    const replyHeaders = new Headers();
    for (const [name, value] of Object.entries(reply.headers)) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) {
        replyHeaders.append(name, String(item));
      }
    }
    const body = NULL_BODY_STATUSES.has(reply.statusCode) ? null : new Uint8Array(reply.rawPayload);
    return new Response(body, { status: reply.statusCode, headers: replyHeaders });
  };
}
