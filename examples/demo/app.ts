/**
 * The Tessera demo app: the examples of the Django and Pyramid session
 * tutorials (visit counter, cart with flash messages, login with a test
 * cookie, comment once) on Express.
 *
 * @module
 */
import express from 'express';
import { createSessionMiddleware } from '../../src/adapters/express/index.js';
import type { SessionStore } from '../../src/core/store.js';
import { errorHandler, notFound } from './errors.js';
import { authRouter } from './routes/auth.js';
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
  app.use(createSessionMiddleware(options.store ? { store: options.store } : {}));
  app.use(visitsRouter());
  app.use(counterRouter());
  app.use(cartRouter());
  app.use(authRouter());
  app.use(commentRouter());
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
