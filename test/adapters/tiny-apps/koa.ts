import Koa, { type Middleware } from 'koa';
import {
  createCsrfMiddleware,
  createFetchMetadataMiddleware,
  createSessionMiddleware,
} from '../../../src/adapters/koa/index.js';
import { listen } from '../../helpers/listen.js';
import { runRoute } from './routes.js';
import type { TinyApp } from './tiny-app.js';

export const koaApp: TinyApp = {
  name: 'koa',
  nodeResponse: false,
  async start(options, features = {}) {
    const middleware = createSessionMiddleware(options);
    const app = new Koa();
    if (features.fetchMetadata) app.use(createFetchMetadataMiddleware());
    app.use(middleware);
    if (features.csrf) app.use(parseForm).use(createCsrfMiddleware());
    app.silent = true; // a thrown route still answers Koa's 500, without the console.error
    app.use(async (ctx) => {
      const reply = await runRoute(ctx.session, ctx.url);
      ctx.status = reply.status ?? 200;
      for (const [name, value] of Object.entries(reply.headers ?? {})) ctx.set(name, value);
      ctx.body = reply.body ?? '';
    });
    const server = await listen(app.callback());
    return { ...server, manager: middleware.manager };
  },
};

/** What `@koa/bodyparser` does for forms: the fields become `ctx.request.body`. */
const parseForm: Middleware = async (ctx, next) => {
  if (ctx.is('application/x-www-form-urlencoded')) {
    let body = '';
    for await (const chunk of ctx.req) body += String(chunk);
    (ctx.request as { body?: unknown }).body = Object.fromEntries(new URLSearchParams(body));
  }
  await next();
};
