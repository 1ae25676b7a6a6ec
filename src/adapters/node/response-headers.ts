import type { ServerResponse } from 'node:http';
import {
  addCookieToVary,
  type SessionCommitResult,
  type SessionFailureResponse,
} from '../../core/index.js';

/** Adds the session's `Set-Cookie` and `Vary: Cookie` to a response, keeping what is there. */
export function applySessionHeaders(res: ServerResponse, result: SessionCommitResult): void {
  if (result.setCookie !== undefined) {
    const existing = res.getHeader('set-cookie');
    if (existing === undefined) res.setHeader('Set-Cookie', result.setCookie);
    else res.setHeader('Set-Cookie', [...toList(existing), result.setCookie]);
  }
  if (result.vary) {
    const vary = res.getHeader('vary');
    const next = addCookieToVary(vary === undefined ? undefined : toList(vary).join(', '));
    if (next !== undefined) res.setHeader('Vary', next);
  }
}

function toList(value: number | string | readonly string[]): string[] {
  return Array.isArray(value) ? [...value] : [String(value)];
}

/** Replaces whatever the app prepared with the failure's status and headers (the body is sent by the caller). */
export function sendSessionError(res: ServerResponse, failure: SessionFailureResponse): void {
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  res.statusCode = failure.status;
  for (const [name, value] of Object.entries(failure.headers)) res.setHeader(name, value);
  res.setHeader('Content-Length', Buffer.byteLength(failure.body));
}
