import {
  checkFetchMetadata,
  FETCH_METADATA_FAILURE,
  type FetchMetadataOptions,
  readFetchMetadata,
  resolveFetchMetadataOptions,
} from '../core/index.js';

/** A request as a {@link FetchMetadataCheck} reads it. */
export interface FetchMetadataRequest {
  readonly method: string;
  readonly headers: Headers;
}

/** Answers the 403 for a refused request, `undefined` for one that may go on. */
export type FetchMetadataCheck = (request: FetchMetadataRequest) => Response | undefined;

/**
 * Creates the Fetch Metadata check, for routes that change state: a request
 * the browser marks `Sec-Fetch-Site: cross-site` is answered 403 "Cross-site
 * request refused." (with `Vary: Sec-Fetch-Site`), whatever its method; same-origin
 * requests, direct visits and requests without the header go on (`same-site`
 * ones with `allowSameSite`). It needs no session.
 * @throws `SessionConfigError` when an option is unknown or not a boolean.
 */
export function createFetchMetadataCheck(options?: FetchMetadataOptions): FetchMetadataCheck {
  const resolved = resolveFetchMetadataOptions(options);
  return (request) => {
    if (checkFetchMetadata(readFetchMetadata(request.headers, request.method), resolved)) {
      return undefined;
    }
    return new Response(FETCH_METADATA_FAILURE.body, {
      status: FETCH_METADATA_FAILURE.status,
      headers: FETCH_METADATA_FAILURE.headers,
    });
  };
}
