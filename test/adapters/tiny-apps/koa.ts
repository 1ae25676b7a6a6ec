import Koa from 'koa';
import { createSessionMiddleware } from '../../../src/adapters/koa/index.js';
import { listen } from '../../helpers/listen.js';
import { runRoute } from './routes.js';
import type { TinyApp } from './tiny-app.js';

export const koaApp: TinyApp = {
  name: 'koa',
  nodeResponse: false,
  async start(options) {
    const middleware = createSessionMiddleware(options);
    const app = new Koa().use(middleware);
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
