/**
 * Tessera for any code that holds a Web `Request` and produces a `Response`
 * (fetch handlers, Bun.serve, Deno.serve, Workers, the full-stack frameworks),
 * or that sets cookies through a framework's cookie API. No `node:` import.
 *
 * ```ts
 * import { createSessions } from 'tessera-session/web';
 * import { createMemoryStore } from 'tessera-session/stores/memory';
 *
 * const sessions = createSessions<{ visits: number }>({ store: createMemoryStore() });
 *
 * export async function handle(request: Request): Promise<Response> {
 *   try {
 *     const session = await sessions.get(request);
 *     const visits = session.get('visits', 0) + 1;
 *     session.set('visits', visits);
 *     return await sessions.commit(session, new Response(`visits: ${visits}`));
 *   } catch (error) {
 *     const failure = sessions.failureResponse(error); // 503 store outage, 400 interrupted save
 *     if (failure) return failure;
 *     throw error;
 *   }
 * }
 * ```
 * @module tessera-session/web
 */

export {
  type FetchMetadataOptions,
  isSessionError,
  Session,
  SessionConfigError,
  type SessionData,
  SessionDataError,
  SessionInterruptedError,
  SessionStoreError,
} from '../core/index.js';
export type { CookieAttributes } from '../kit/index.js';
export type { CookieReader, CookieWriter } from './cookie-jar.js';
export {
  type CommitOptions,
  createSessions,
  type GetSessionOptions,
  type WebSessionOptions,
  type WebSessions,
} from './create-sessions.js';
export { type CsrfCheckedRequest, checkCsrfRequest, csrfFailureResponse } from './csrf.js';
export {
  createFetchMetadataCheck,
  type FetchMetadataCheck,
  type FetchMetadataRequest,
} from './fetch-metadata.js';
export { isSecureWebRequest, type RequestLike } from './request-info.js';
