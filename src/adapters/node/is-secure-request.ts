import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** Whether the request arrived over HTTPS; `X-Forwarded-Proto` only counts with `trustProxy`. */
export function isSecureRequest(req: IncomingMessage, trustProxy: boolean): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  if (!trustProxy) return false;
  const header = req.headers['x-forwarded-proto'];
  const value = Array.isArray(header) ? header[0] : header;
  // The first hop is the client's view (RFC 7239 order).
  return value?.split(',')[0]?.trim().toLowerCase() === 'https';
}
