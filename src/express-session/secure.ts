/**
 * Whether a request came over HTTPS, with express-session's `proxy` meaning.
 * @module
 */

import type { IncomingMessage } from 'node:http';

/**
 * `true` on a TLS socket; else with `proxy: true` when the first
 * `X-Forwarded-Proto` value is `https`; with `proxy` unset, Express's
 * `req.secure` (which applies the app's `trust proxy`); with `proxy: false`,
 * only the socket counts.
 */
export function isSecureRequest(req: IncomingMessage, proxy: boolean | undefined): boolean {
  if ((req.socket as { encrypted?: boolean } | undefined)?.encrypted) return true;
  if (proxy === false) return false;
  if (proxy !== true) return (req as { secure?: unknown }).secure === true;
  const header = req.headers['x-forwarded-proto'];
  const first = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim();
  return first?.toLowerCase() === 'https';
}
