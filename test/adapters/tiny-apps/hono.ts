import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import {
  createCsrfMiddleware,
  createFetchMetadataMiddleware,
  createSessionMiddleware,
  type SessionEnv,
} from '../../../src/adapters/hono/index.js';
import { createMemoryStore } from '../../../src/stores/memory/index.js';
import { listen } from '../../helpers/listen.js';
import { type Reply, runRoute } from './routes.js';
import type { TinyApp } from './tiny-app.js';

/** A reply as a Web `Response`, the way Hono handlers answer. */
function toResponse(reply: Reply): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(reply.headers ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return new Response(reply.body ?? '', { status: reply.status ?? 200, headers });
}

export const honoApp: TinyApp = {
  name: 'hono',
  nodeResponse: false,
  async start(options, features = {}) {
    // The suite's "default store" scenario is Node-only: Hono always names its store.
    const middleware = createSessionMiddleware({
      ...options,
      store: options.store ?? createMemoryStore(),
    });
    const app = new Hono<SessionEnv>();
    if (features.fetchMetadata) app.use(createFetchMetadataMiddleware());
    app.use(middleware);
    if (features.csrf) app.use(createCsrfMiddleware());
    // Hono's default 500, without its console.error.
    app.onError((_error, c) => c.text('Internal Server Error', 500));
    app.all('*', async (c) => toResponse(await runRoute(c.get('session'), c.req.url)));
    const server = await listen(getRequestListener(app.fetch));
    return { ...server, manager: middleware.manager };
  },
};
