/**
 * Tessera for Fastify 5: a plugin that puts the visitor's session on
 * `request.session`, saved before the response goes out.
 *
 * ```ts
 * import Fastify from 'fastify';
 * import { tesseraSession } from 'tessera-session/fastify';
 *
 * declare module 'tessera-session/fastify' {
 *   interface TesseraSessionData {
 *     visits: number;
 *   }
 * }
 *
 * const app = Fastify();
 * await app.register(tesseraSession); // SQLite at .tessera/sessions.db; options are SessionOptions
 * app.get('/', (request) => {
 *   const visits = request.session.get('visits', 0) + 1;
 *   request.session.set('visits', visits);
 *   return `You have visited this page ${visits} times`;
 * });
 * await app.listen({ port: 3000 });
 * ```
 *
 * - Register it before the routes and plugins that use it. `request.session` is
 *   set in its `onRequest` hook (so from `preParsing` on, and in `onRequest`
 *   hooks added after it) and saved in its `onSend` hook, before the response
 *   goes out; a 5xx reply saves nothing.
 * - Type your data once by augmenting {@link TesseraSessionData} (above), or
 *   per call with `getSession<Data>(request)`.
 * - Needs no `@fastify/cookie`, and works beside it (`reply.setCookie()` keeps working).
 * - `app.sessionManager` opens sessions by id and clears expired ones; the store
 *   is closed by `app.close()`.
 * - Secure cookies (`cookie.secure: 'auto'`): HTTPS as Fastify sees it
 *   (`request.protocol`, which honours Fastify's own `trustProxy`), or
 *   `X-Forwarded-Proto: https` when Tessera's `trustProxy` option is on.
 * - A reply you `hijack()` is not saved for you: call `reply.hijack()`, then
 *   `await request.session.save()` before writing to `reply.raw`.
 * @module tessera-session/fastify
 */

export { csrfProtection } from './csrf.js';
export { createFetchMetadataProtection, fetchMetadataProtection } from './fetch-metadata.js';
export { getSession } from './get-session.js';
export { type TesseraPluginOptions, tesseraSession } from './plugin.js';
export type { TesseraSession, TesseraSessionData } from './session-types.js';
