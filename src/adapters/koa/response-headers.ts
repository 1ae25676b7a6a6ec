import type { ParameterizedContext } from 'koa';
import {
  addCookieToVary,
  type SessionCommitResult,
  type SessionFailureResponse,
} from '../../core/index.js';

type AnyContext = ParameterizedContext<unknown, object, unknown>;

/** Adds the session's `Set-Cookie` and `Vary: Cookie` to the response, keeping what is there. */
export function applySessionHeaders(ctx: AnyContext, committed: SessionCommitResult): void {
  if (committed.setCookie !== undefined) ctx.append('Set-Cookie', committed.setCookie);
  if (committed.vary) {
    // Typed as a string, but an app may have set an array.
    const current = ctx.response.get('Vary') as string | string[];
    const vary = addCookieToVary(Array.isArray(current) ? current.join(', ') : current);
    if (vary !== undefined) ctx.set('Vary', vary);
  }
}

/** Replaces whatever the app prepared (status, headers, body) with the failure response. */
export function sendSessionFailure(ctx: AnyContext, failure: SessionFailureResponse): void {
  for (const name of ctx.res.getHeaderNames()) ctx.remove(name);
  ctx.status = failure.status;
  ctx.body = failure.body; // Koa destroys a stream body it replaces
  ctx.set({ ...failure.headers });
}
