/**
 * Koa with no session layer: the baseline for `tessera-koa`. Serves /hit and
 * /read (answering 0) and /plain on 127.0.0.1:$PORT, prints `ready <url>`,
 * exits on SIGTERM/SIGINT or when stdin closes; under `captureNextApp()`
 * (in-process and A/B benches) it hands over its node:http listener.
 */
import type { RequestListener } from 'node:http';
import Koa from 'koa';
import { serveBench } from './serve-bench.js';

const app = new Koa();
app.use((ctx) => {
  if (ctx.path === '/hit' || ctx.path === '/read') ctx.body = '0';
  else if (ctx.path === '/plain') ctx.body = 'ok';
});

serveBench(app.callback() as RequestListener);
