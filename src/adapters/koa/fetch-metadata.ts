/**
 * The Koa Fetch Metadata middleware.
 * @module
 */

import type { Middleware } from 'koa';
import {
  checkFetchMetadata,
  FETCH_METADATA_FAILURE,
  FETCH_SITE_HEADER,
  type FetchMetadataOptions,
  readFetchMetadata,
  resolveFetchMetadataOptions,
} from '../../core/index.js';

/**
 * Creates the Fetch Metadata middleware, for routes that change state: it
 * answers 403 `text/plain` "Cross-site request refused." (with
 * `Vary: Sec-Fetch-Site`) to a request the browser marks
 * `Sec-Fetch-Site: cross-site`, whatever its method, and the downstream
 * middleware never runs. Same-origin requests, direct visits (`none`) and
 * requests without the header pass; `same-site` ones with `allowSameSite`.
 * It complements the CSRF middleware, which leaves GET alone.
 *
 * ```ts
 * const sameOriginOnly = createFetchMetadataMiddleware();
 * router.get('/logout', sameOriginOnly, (ctx) => { … }); // or app.use() it for every route
 * ```
 *
 * It needs no session: mount it before or after the session middleware.
 *
 * @throws `SessionConfigError` when an option is unknown or not a boolean.
 */
export function createFetchMetadataMiddleware(options?: FetchMetadataOptions): Middleware {
  const resolved = resolveFetchMetadataOptions(options);
  return async function tesseraFetchMetadata(ctx, next): Promise<void> {
    if (checkFetchMetadata(readFetchMetadata(ctx.headers, ctx.method), resolved)) {
      await next();
      return;
    }
    ctx.status = FETCH_METADATA_FAILURE.status;
    ctx.body = FETCH_METADATA_FAILURE.body;
    const { Vary: _vary, ...headers } = FETCH_METADATA_FAILURE.headers;
    ctx.set(headers);
    ctx.vary(FETCH_SITE_HEADER); // added to a Vary set earlier, not replacing it
  };
}
