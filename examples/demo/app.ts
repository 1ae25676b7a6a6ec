/**
 * The Tessera demo app: the examples of the Django and Pyramid session
 * tutorials (visit counter, cart with flash messages, login with a test
 * cookie, comment once) on Express, plus "where you're logged in" with
 * "sign out all other sessions". Every form carries a CSRF token.
 *
 * @module
 */
import express from 'express';
import { createCsrfMiddleware, createSessionMiddleware } from '../../src/adapters/express/index.js';
import type { SessionStore } from '../../src/core/store.js';
import { errorHandler, notFound } from './errors.js';
import { accountSessionsRouter } from './routes/account-sessions.js';
import { authRouter, requireTestCookie } from './routes/auth.js';
import { cartRouter } from './routes/cart.js';
import { commentRouter } from './routes/comment.js';
import { counterRouter } from './routes/counter.js';
import { visitsRouter } from './routes/visits.js';

export interface DemoAppOptions {
  /** Where sessions live; by default the library's SQLite store in `.tessera/`. */
  store?: SessionStore;
}

/** Builds the demo app. It does not listen; call `app.listen()`. */
export function createDemoApp(options: DemoAppOptions = {}): express.Application {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.urlencoded({ extended: false, limit: '16kb' }));
  const sessions = createSessionMiddleware(options.store ? { store: options.store } : {});
  app.use(sessions);
  // Before the CSRF check: a browser without cookies gets "Please enable
  // cookies" rather than a bare 403 (see requireTestCookie).
  app.post('/login', requireTestCookie);
  // Every unsafe request must carry the session's token (form field `_csrf`,
  // read from the body parsed above, or the X-CSRF-Token header): the cookie
  // alone no longer authorizes a post another site makes the browser send.
  app.use(createCsrfMiddleware());
  app.use(visitsRouter());
  app.use(counterRouter());
  app.use(cartRouter());
  app.use(authRouter());
  app.use(accountSessionsRouter(sessions.manager));
  app.use(commentRouter());
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
