import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { isForwardedHttps } from '../../core/index.js';

/** Whether the request arrived over HTTPS; `X-Forwarded-Proto` only counts with `trustProxy`. */
export function isSecureRequest(req: IncomingMessage, trustProxy: boolean): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  if (!trustProxy) return false;
  const header = req.headers['x-forwarded-proto'];
  return isForwardedHttps(Array.isArray(header) ? header[0] : header);
}
