/**
 * The cookie-jar client the tests use. It lives in `src/testing` (it is part of
 * `tessera-session/testing`); this module keeps the tests' old import path working.
 *
 * @module
 */
export {
  CookieJar,
  CookieJarClient,
  type CookieJarClientOptions,
  type FetchFunction,
  type JarResponse,
  type ParsedSetCookie,
  parseSetCookie,
  type RequestOptions,
} from '../../src/testing/index.js';
