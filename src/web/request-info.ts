import { isForwardedHttps } from '../kit/index.js';

/** What `get()` reads from a request: a `Request`, or anything with its `headers` (and `url`). */
export interface RequestLike {
  readonly headers: Headers;
  /** The request's URL; `https:` makes the request secure. */
  readonly url?: string;
}

/** Whether the request arrived over HTTPS; `X-Forwarded-Proto` only counts with `trustProxy`. */
export function isSecureWebRequest(request: RequestLike, trustProxy: boolean): boolean {
  // A Request's URL is serialized with a lower-case scheme, so no URL parsing is needed.
  if (request.url?.startsWith('https:')) return true;
  return trustProxy && isForwardedHttps(request.headers.get('X-Forwarded-Proto'));
}
