import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CsrfCheckedRequest } from '../../web/index.js';

/**
 * An h3 v2 event as Tessera reads it (h3 2.x: Nitro v3, Nuxt 5, a bare
 * `new H3()` app): a Web `Request` in `event.req`, the response's headers in
 * `event.res.headers`, per-request data in `event.context`.
 */
export interface H3EventV2Like {
  readonly req: CsrfCheckedRequest & { readonly url: string };
  readonly res: {
    /** The status a handler set with `event.res.status = …`. */
    readonly status?: number;
    /** Merged into the response h3 makes from a handler's value. */
    readonly headers: Headers;
    /** Merged into an error response (a thrown `HTTPError`, a 404). */
    readonly errHeaders?: Headers;
  };
  readonly context: object;
}

/**
 * An h3 v1 event as Tessera reads it (h3 1.x: Nitro v2, Nuxt 3 and 4): the
 * Node request and response in `event.node`, per-request data in `event.context`.
 */
export interface H3EventV1Like {
  readonly node: { readonly req: IncomingMessage; readonly res: ServerResponse };
  readonly method: string;
  readonly headers: Headers;
  readonly context: object;
}

/** An h3 event of either major version. */
export type H3EventLike = H3EventV1Like | H3EventV2Like;

/**
 * Whether `event` is an h3 v2 event: its `req` is a Web `Request` (in h3 v1,
 * `event.req` is the deprecated alias of the Node request, whose headers are a
 * plain object).
 */
export function isH3EventV2(event: H3EventLike): event is H3EventV2Like {
  const req = (event as { req?: { headers?: { get?: unknown } } }).req;
  return typeof req?.headers?.get === 'function';
}
