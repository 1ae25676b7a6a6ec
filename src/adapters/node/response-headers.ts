import type { ServerResponse } from 'node:http';
import type { SessionCommitResult } from '../../core/index.js';

/** Adds the session's `Set-Cookie` and `Vary: Cookie` to a response, keeping what is there. */
export function applySessionHeaders(res: ServerResponse, result: SessionCommitResult): void {
  if (result.setCookie !== undefined) {
    const existing = res.getHeader('set-cookie');
    if (existing === undefined) res.setHeader('Set-Cookie', result.setCookie);
    else res.setHeader('Set-Cookie', [...toList(existing), result.setCookie]);
  }
  if (result.vary) {
    const vary = res.getHeader('vary');
    if (vary === undefined) res.setHeader('Vary', 'Cookie');
    else if (!/(^|,)\s*(cookie|\*)\s*(,|$)/i.test(toList(vary).join(','))) {
      res.setHeader('Vary', `${toList(vary).join(', ')}, Cookie`);
    }
  }
}

function toList(value: number | string | readonly string[]): string[] {
  return Array.isArray(value) ? [...value] : [String(value)];
}

/** Replaces whatever the app prepared with a short plain-text error (store down → 503, interrupted → 400). */
export function sendSessionError(res: ServerResponse, status: number, message: string): void {
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  if (status === 503) res.setHeader('Retry-After', '5');
  res.setHeader('Content-Length', Buffer.byteLength(message));
}
