/**
 * Fetch Metadata checks for `node:http` handlers (and the Express middleware
 * built on them): refuse a cross-site request to a state-changing route, such
 * as a GET that logs out, which the CSRF token does not cover (issue 10 §3).
 *
 * ```ts
 * http.createServer(withSession(async (req, res, session) => {
 *   if (req.url === '/logout' && !checkFetchMetadataRequest(req)) return sendFetchMetadataFailure(res);
 *   // … handle the request
 * }));
 * ```
 * @module
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  checkFetchMetadata,
  FETCH_METADATA_FAILURE,
  type FetchMetadataOptions,
  type ResolvedFetchMetadataOptions,
  readFetchMetadata,
  resolveFetchMetadataOptions,
  varyOnFetchSite,
} from '../../core/index.js';

/** Options objects already checked, so each is validated once, on its first request. */
const resolved = new WeakMap<FetchMetadataOptions, ResolvedFetchMetadataOptions>();

/**
 * Whether the request may reach a state-changing route: no `Sec-Fetch-Site`
 * header (an older browser, a client that is not a browser), `same-origin`,
 * or `none` (typed address, bookmark); `same-site` only with
 * `allowSameSite`; a cross-site GET navigation only with
 * `allowCrossSiteNavigation`. Never throws on client input.
 *
 * @throws `SessionConfigError` when `options` has an unknown key or a
 *   value that is not a boolean (a setup mistake, on the first request).
 */
export function checkFetchMetadataRequest(
  req: IncomingMessage,
  options?: FetchMetadataOptions,
): boolean {
  return checkFetchMetadata(readFetchMetadata(req.headers, req.method), resolveOnce(options));
}

/**
 * Answers the Fetch Metadata failure: 403, `text/plain`, "Cross-site request
 * refused.", `Vary: Sec-Fetch-Site` added to any `Vary` set earlier (headers
 * set earlier, e.g. CORS, are kept). Nothing the request asked for is done.
 */
export function sendFetchMetadataFailure(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy(); // too late to refuse properly: do not let the response look successful
    return;
  }
  res.statusCode = FETCH_METADATA_FAILURE.status;
  for (const [name, value] of Object.entries(FETCH_METADATA_FAILURE.headers)) {
    if (name !== 'Vary') res.setHeader(name, value);
  }
  const vary = res.getHeader('Vary');
  res.setHeader('Vary', varyOnFetchSite(Array.isArray(vary) ? vary.join(', ') : vary?.toString()));
  res.end(FETCH_METADATA_FAILURE.body);
}

function resolveOnce(options: FetchMetadataOptions | undefined): ResolvedFetchMetadataOptions {
  if (options === undefined) return resolveFetchMetadataOptions();
  let checked = resolved.get(options);
  if (checked === undefined) {
    checked = resolveFetchMetadataOptions(options, 'checkFetchMetadataRequest()');
    resolved.set(options, checked);
  }
  return checked;
}
