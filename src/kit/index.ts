/**
 * The adapter kit: what it takes to put Tessera under a web framework, using
 * only public entry points. Every adapter of this package (node:http, Express,
 * Fastify, Hono, Koa) is built on it; a new one needs nothing private.
 *
 * ```ts
 * import { createSessionManager } from 'tessera-session';
 * import { addCookieToVary, createSessionKit } from 'tessera-session/kit';
 *
 * const kit = createSessionKit(createSessionManager({ store }));
 * async function handle(request: Request): Promise<Response> {
 *   let session;
 *   try {
 *     session = await kit.load({ cookie: request.headers.get('Cookie'), secure: true });
 *   } catch (error) {
 *     kit.report(error, 'load');
 *     const failure = kit.describeFailure(error);
 *     return new Response(failure.body, failure);
 *   }
 *   const response = new Response(`visits: ${session.get('visits', 0)}`);
 *   session.set('visits', session.get('visits', 0) + 1);
 *   const committed = await kit.commit(session, response.status);
 *   if (committed.setCookie) response.headers.append('Set-Cookie', committed.setCookie);
 *   if (committed.vary) response.headers.set('Vary', addCookieToVary(response.headers.get('Vary')) ?? 'Cookie');
 *   return response;
 * }
 * ```
 * @module tessera-session/kit
 */

export { isPromiseLike, whenReady } from '../core/awaitable.js';
export { checkOptionKeys, type OptionKeysContext } from '../core/check-option-keys.js';
export { readCookie } from '../core/cookie.js';
export {
  addCookieToVary,
  describeSessionFailure,
  isForwardedHttps,
  type SessionCommitResult,
  type SessionFailureResponse,
  type SessionManager,
  type SessionRequestInfo,
} from '../core/index.js';
export { checkSessionOptionKeys } from '../core/options.js';
export { generateRandomToken, isRandomToken, isSameSecret } from '../core/random-token.js';
export {
  type CookieAttributes,
  type CookieToSet,
  describeSetCookie,
} from '../core/set-cookie.js';
export { digestSessionIdCached } from './digest-session-id-cached.js';
export { requireSession } from './require-session.js';
export { requireStore } from './require-store.js';
export { createSessionKit, type DeliverHeaders, type SessionKit } from './session-kit.js';
