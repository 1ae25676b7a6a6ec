/**
 * The same tiny app on every adapter, so one set of HTTP scenarios
 * (`test/adapters/adapters.test.ts`) checks them all. A new adapter is added by
 * writing its tiny app in this folder and listing it here.
 * @module
 */
import { express4App, express5App } from './express.js';
import { fastifyApp } from './fastify.js';
import { honoApp } from './hono.js';
import { koaApp } from './koa.js';
import { nodeApp } from './node.js';
import type { TinyApp } from './tiny-app.js';
import { webApp } from './web.js';

export type { RunningTinyApp, TinyApp, TinyAppFeatures } from './tiny-app.js';

export const TINY_APPS: readonly TinyApp[] = [
  express5App,
  express4App,
  nodeApp,
  fastifyApp,
  honoApp,
  koaApp,
  webApp,
];
