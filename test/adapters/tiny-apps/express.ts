import express5 from 'express';
import express4 from 'express4';
import {
  createCsrfMiddleware,
  createFetchMetadataMiddleware,
  createSessionMiddleware,
  getSession,
} from '../../../src/adapters/express/index.js';
import { listen } from '../../helpers/listen.js';
import { sendNodeReply } from './node-response.js';
import { runRoute } from './routes.js';
import type { TinyApp } from './tiny-app.js';

function expressApp(name: string, factory: typeof express5 | typeof express4): TinyApp {
  return {
    name,
    nodeResponse: true,
    async start(options, features = {}) {
      // Both majors have the API used here; the adapter is typed against Express 5's types.
      const app = factory() as unknown as express5.Express;
      const middleware = createSessionMiddleware(options);
      if (features.fetchMetadata) app.use(createFetchMetadataMiddleware());
      app.use(middleware);
      if (features.csrf) {
        app.use(factory.urlencoded({ extended: false }));
        app.use(createCsrfMiddleware());
      }
      app.use((req, res, next) => {
        // Express answers a thrown handler with 500 through its final handler.
        runRoute(getSession(req), req.url).then((reply) => sendNodeReply(res, reply), next);
      });
      const server = await listen(app as unknown as Parameters<typeof listen>[0]);
      return { ...server, manager: middleware.manager };
    },
  };
}

export const express5App = expressApp('express 5', express5);
export const express4App = expressApp('express 4', express4);
