import type { HonoRequest } from 'hono';
import { isForwardedHttps } from '../../core/index.js';

/** Whether the request arrived over HTTPS; `X-Forwarded-Proto` only counts with `trustProxy`. */
export function isSecureRequest(req: HonoRequest, trustProxy: boolean): boolean {
  // A Request's URL is serialized with a lower-case scheme, so no URL parsing is needed.
  if (req.url.startsWith('https:')) return true;
  return trustProxy && isForwardedHttps(req.header('X-Forwarded-Proto'));
}
