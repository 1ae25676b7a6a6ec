/**
 * The Fastify Fetch Metadata check: a hook for the routes that change state,
 * `{ onRequest: fetchMetadataProtection }` (or `preHandler`, like
 * `csrfProtection`), or `app.addHook('onRequest', …)` for every route.
 * @module
 */

import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import {
  checkFetchMetadata,
  FETCH_METADATA_FAILURE,
  type FetchMetadataOptions,
  readFetchMetadata,
  resolveFetchMetadataOptions,
  varyOnFetchSite,
} from '../../core/index.js';

/**
 * Creates the Fetch Metadata hook: it answers 403 `text/plain` "Cross-site
 * request refused." (with `Vary: Sec-Fetch-Site`) to a request the browser
 * marks `Sec-Fetch-Site: cross-site`, whatever its method, and the handler
 * never runs. Same-origin requests, direct visits (`none`) and requests
 * without the header pass; `same-site` ones with `allowSameSite`. It
 * complements the CSRF check, which leaves GET alone.
 *
 * ```ts
 * const sameOriginOnly = createFetchMetadataProtection({ allowSameSite: true });
 * app.get('/logout', { onRequest: sameOriginOnly }, handler);
 * ```
 *
 * @throws `SessionConfigError` when an option is unknown or not a boolean.
 */
export function createFetchMetadataProtection(
  options?: FetchMetadataOptions,
): (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void {
  const resolved = resolveFetchMetadataOptions(options, 'createFetchMetadataProtection()');
  return function tesseraFetchMetadata(request, reply, done): void {
    if (checkFetchMetadata(readFetchMetadata(request.headers, request.method), resolved)) {
      done();
      return;
    }
    const { Vary: _vary, ...headers } = FETCH_METADATA_FAILURE.headers;
    const vary = reply.getHeader('Vary');
    // Answering from a callback hook: send the reply and do not call done().
    reply
      .code(FETCH_METADATA_FAILURE.status)
      .headers(headers)
      .header('Vary', varyOnFetchSite(Array.isArray(vary) ? vary.join(', ') : vary?.toString()))
      .send(FETCH_METADATA_FAILURE.body);
  };
}

/**
 * The Fetch Metadata hook with the default options (only same-origin requests,
 * direct visits and requests without the header pass), ready to put on a route:
 *
 * ```ts
 * app.get('/counter/flush', { onRequest: fetchMetadataProtection }, handler);
 * ```
 */
export const fetchMetadataProtection = createFetchMetadataProtection();
