/**
 * A bridge from Node's `(req, res)` to a fetch handler, for node:http,
 * Express and Connect-style servers. It names no `node:` type: the request
 * and response are described by the few members it uses, which
 * `http.IncomingMessage` and `http.ServerResponse` (and Express's) have.
 * @module
 */

/** The part of `http.IncomingMessage` the bridge reads. */
export interface NodeRequestLike extends AsyncIterable<Uint8Array | string> {
  readonly method?: string | undefined;
  /** The path and query (below the mount point, under Express). */
  readonly url?: string | undefined;
  /** Express's full path and query, mount point included; preferred when present. */
  readonly originalUrl?: string | undefined;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The connection: a TLS socket (`encrypted: true`) makes the URL `https:`. */
  readonly socket?: object | undefined;
}

/** The part of `http.ServerResponse` the bridge writes. */
export interface NodeResponseLike {
  /** The status to send. */
  statusCode: number;
  /** Sets a header (an array for `Set-Cookie`). */
  setHeader(name: string, value: string | readonly string[]): unknown;
  /** Sends the body, if any, and ends the response. */
  end(chunk?: Uint8Array): unknown;
}

/** Options of {@link createNodeListener}. */
export interface NodeListenerOptions {
  /**
   * Take the scheme and host from `X-Forwarded-Proto` and `X-Forwarded-Host`:
   * only behind a proxy that sets them (the admin compares the browser's
   * `Origin` with the request's origin).
   *
   * @defaultValue `false`
   */
  trustProxy?: boolean | undefined;
}

/** Defaults of {@link NodeListenerOptions}. */
export const DEFAULT_NODE_LISTENER_OPTIONS: Readonly<{ trustProxy: boolean }> = Object.freeze({
  trustProxy: false,
});

/** A `(req, res)` listener; Express passes `next`, which the bridge calls on a failure. */
export type NodeListener = (
  request: NodeRequestLike,
  response: NodeResponseLike,
  next?: (error?: unknown) => void,
) => void;

/**
 * Serves `handler` (such as {@link createAdminHandler}'s) to Node's
 * `(req, res)`: `http.createServer(createNodeListener(admin))`, or
 * `app.use('/admin', createNodeListener(admin))` under Express (mount it
 * before any body parser: the bridge reads the body itself).
 */
export function createNodeListener(
  handler: (request: Request) => Promise<Response>,
  options: NodeListenerOptions = {},
): NodeListener {
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(DEFAULT_NODE_LISTENER_OPTIONS, key)) {
      throw new TypeError(
        `createNodeListener: unknown option ${JSON.stringify(key)}; the only option is trustProxy.`,
      );
    }
  }
  const trustProxy = options.trustProxy ?? DEFAULT_NODE_LISTENER_OPTIONS.trustProxy;
  return (request, response, next) => {
    serve(handler, request, response, trustProxy).catch((error: unknown) => {
      if (next !== undefined) {
        next(error);
        return;
      }
      response.statusCode = 500;
      response.setHeader('Content-Type', 'text/plain; charset=utf-8');
      response.end(new TextEncoder().encode('Internal Server Error\n'));
    });
  };
}

async function serve(
  handler: (request: Request) => Promise<Response>,
  request: NodeRequestLike,
  response: NodeResponseLike,
  trustProxy: boolean,
): Promise<void> {
  const answer = await handler(await toWebRequest(request, trustProxy));
  response.statusCode = answer.status;
  const cookies = answer.headers.getSetCookie();
  answer.headers.forEach((value, name) => {
    if (name !== 'set-cookie') response.setHeader(name, value);
  });
  if (cookies.length > 0) response.setHeader('Set-Cookie', cookies);
  const body = answer.body === null ? undefined : new Uint8Array(await answer.arrayBuffer());
  response.end(body);
}

async function toWebRequest(request: NodeRequestLike, trustProxy: boolean): Promise<Request> {
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const forwardedProto = trustProxy
    ? header('x-forwarded-proto')?.split(',')[0]?.trim()
    : undefined;
  const forwardedHost = trustProxy ? header('x-forwarded-host')?.split(',')[0]?.trim() : undefined;
  const scheme =
    forwardedProto ??
    ((request.socket as { encrypted?: unknown } | undefined)?.encrypted === true
      ? 'https'
      : 'http');
  const host = forwardedHost ?? header('host') ?? 'localhost';
  const url = new URL(request.originalUrl ?? request.url ?? '/', `${scheme}://${host}`);
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const method = request.method ?? 'GET';
  let body: Uint8Array<ArrayBuffer> | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    const chunks: Uint8Array[] = [];
    const encoder = new TextEncoder();
    for await (const chunk of request) {
      chunks.push(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
    }
    body = concatenate(chunks);
  }
  return new Request(url, { method, headers, ...(body === undefined ? {} : { body }) });
}

function concatenate(chunks: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const result = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    result.set(chunk, offset);
    offset += chunk.length;
  }
  return result;
}
