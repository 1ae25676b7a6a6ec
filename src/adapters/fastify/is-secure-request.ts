import type { FastifyRequest } from 'fastify';
import { isForwardedHttps } from '../../core/index.js';

/**
 * Whether the request arrived over HTTPS, for `cookie.secure: 'auto'`.
 *
 * - `request.protocol` first: the socket's TLS, or, when Fastify's own
 *   `trustProxy` is on, `X-Forwarded-Proto` from a proxy Fastify trusts (it can
 *   be limited to the proxy's address, so prefer it behind a proxy).
 * - Then Tessera's `trustProxy` option: `X-Forwarded-Proto` from anyone, read as
 *   every Tessera adapter reads it.
 */
export function isSecureRequest(request: FastifyRequest, trustProxy: boolean): boolean {
  if (request.protocol === 'https') return true;
  if (!trustProxy) return false;
  const header = request.raw.headers['x-forwarded-proto'];
  return isForwardedHttps(Array.isArray(header) ? header[0] : header);
}
