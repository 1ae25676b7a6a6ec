/**
 * The Express Fetch Metadata middleware.
 * @module
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  checkFetchMetadata,
  type FetchMetadataOptions,
  readFetchMetadata,
  resolveFetchMetadataOptions,
} from '../../core/index.js';
import { sendFetchMetadataFailure } from '../node/index.js';

/** The Fetch Metadata middleware: an Express (4 and 5) handler. */
export type FetchMetadataMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * Creates the Fetch Metadata middleware, for routes that change state: it
 * answers 403 `text/plain` "Cross-site request refused." (with
 * `Vary: Sec-Fetch-Site`) to a request the browser marks
 * `Sec-Fetch-Site: cross-site`, whatever its method, and the route never
 * runs. Same-origin requests, direct visits (`none`) and requests without the
 * header pass; `same-site` ones with `allowSameSite`. It complements the CSRF
 * middleware, which leaves GET alone: mount it on state-changing GET routes
 * (a link on another site must not log your users out), or on every route.
 *
 * ```ts
 * const sameOriginOnly = createFetchMetadataMiddleware();
 * app.get('/logout', sameOriginOnly, (req, res) => { … });
 * ```
 *
 * It needs no session: mount it before or after the session middleware.
 *
 * @throws `SessionConfigError` when an option is unknown or not a boolean.
 */
export function createFetchMetadataMiddleware(
  options?: FetchMetadataOptions,
): FetchMetadataMiddleware {
  const resolved = resolveFetchMetadataOptions(options);
  return function tesseraFetchMetadata(req, res, next): void {
    if (checkFetchMetadata(readFetchMetadata(req.headers, req.method), resolved)) next();
    else sendFetchMetadataFailure(res);
  };
}
