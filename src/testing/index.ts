/**
 * Testing apps that use Tessera, with any test runner: a cookie-jar HTTP client
 * for an Express, node:http, Fastify, Hono or Koa app (or any URL), with
 * helpers that read and seed the session through the store, as Django's test
 * client and AdonisJS's session assertions. Assertions throw `node:assert`'s
 * `AssertionError`.
 *
 * ```ts
 * import { createTestClient } from 'tessera-session/testing';
 *
 * const middleware = createSessionMiddleware({ store: createMemoryStore() });
 * app.use(middleware);
 * const client = createTestClient(app, { manager: middleware.manager });
 *
 * await client.setSession({ user: 'ann' });           // seed before a request
 * await client.post('/cart', { form: { item: 'pear' }, follow: true });
 * await client.expectSession({ user: 'ann', cart: ['pear'] });
 * await client.expectFlash(['Added pear']);           // peeks: the app still shows it
 * await client.close();                               // stops the server it started
 * ```
 * @module tessera-session/testing
 */

export { CookieJar } from './cookie-jar.js';
export {
  CookieJarClient,
  type CookieJarClientOptions,
  type FetchFunction,
  type JarResponse,
  type RequestOptions,
} from './cookie-jar-client.js';
export type { InjectReply, InjectRequest, InjectTarget } from './inject-fetch.js';
export { type ParsedSetCookie, parseSetCookie } from './parse-set-cookie.js';
export {
  createTestClient,
  type ExpectFlashOptions,
  type TestClient,
  type TestClientOptions,
  type TestGetOptions,
  type TestRequestOptions,
  type TestResponse,
} from './test-client.js';
export type {
  CallbackTarget,
  FetchTarget,
  RequestListenerTarget,
  TestTarget,
} from './test-target.js';
