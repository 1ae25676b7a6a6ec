import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import {
  fetchMetadataProtection,
  getSession,
  tesseraSession,
} from '../../../src/adapters/fastify/index.js';
import { runRoute } from './routes.js';
import type { TinyApp } from './tiny-app.js';

export const fastifyApp: TinyApp = {
  name: 'fastify 5',
  nodeResponse: false,
  async start(options, features = {}) {
    const app = Fastify();
    // Before the plugin's own onRequest hook, so a refused request never loads its session.
    if (features.fetchMetadata) app.addHook('onRequest', fetchMetadataProtection);
    await app.register(tesseraSession, { ...options, csrf: features.csrf === true });
    if (features.csrf) {
      // What @fastify/formbody does: the form fields become request.body.
      app.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string' },
        (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
      );
    }
    // A route that throws is answered 500 by Fastify's default error handler.
    app.all('/*', async (request, reply) => {
      const result = await runRoute(getSession(request), request.url);
      reply.code(result.status ?? 200);
      if (result.headers) reply.headers(result.headers);
      return result.body ?? '';
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    return {
      baseUrl: `http://127.0.0.1:${port}`,
      port,
      close: () => app.close(), // also closes the store (onClose)
      manager: app.sessionManager,
    };
  },
};
