/**
 * The Hono Fetch Metadata middleware (Web-standard only, every runtime).
 * @module
 */

import type { MiddlewareHandler } from 'hono';
import {
  checkFetchMetadata,
  FETCH_METADATA_FAILURE,
  type FetchMetadataOptions,
  readFetchMetadata,
  resolveFetchMetadataOptions,
} from '../../core/index.js';

/**
 * Creates the Fetch Metadata middleware, for routes that change state: it
 * answers 403 `text/plain` "Cross-site request refused." (with
 * `Vary: Sec-Fetch-Site`) to a request the browser marks
 * `Sec-Fetch-Site: cross-site`, whatever its method, and the handler never
 * runs. Same-origin requests, direct visits (`none`) and requests without the
 * header pass; `same-site` ones with `allowSameSite`. It complements the CSRF
 * middleware, which leaves GET alone.
 *
 * ```ts
 * const sameOriginOnly = createFetchMetadataMiddleware();
 * app.get('/logout', sameOriginOnly, (c) => { … }); // or app.use() it for every route
 * ```
 *
 * It needs no session: mount it before or after the session middleware.
 *
 * @throws `SessionConfigError` when an option is unknown or not a boolean.
 */
export function createFetchMetadataMiddleware(options?: FetchMetadataOptions): MiddlewareHandler {
  const resolved = resolveFetchMetadataOptions(options);
  return async function tesseraFetchMetadata(c, next) {
    if (checkFetchMetadata(readFetchMetadata(c.req.raw.headers, c.req.method), resolved)) {
      return next();
    }
    return new Response(FETCH_METADATA_FAILURE.body, {
      status: FETCH_METADATA_FAILURE.status,
      headers: FETCH_METADATA_FAILURE.headers,
    });
  };
}
