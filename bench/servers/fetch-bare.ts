import { getRequestListener } from '@hono/node-server';
import { serveBench } from './serve-bench.js';

/** A bare Web `fetch` handler (no framework), served by Node through @hono/node-server. */
async function handle(request: Request): Promise<Response> {
  const path = new URL(request.url).pathname;
  return new Response(path === '/plain' ? 'ok' : '0');
}

serveBench(getRequestListener(handle));
