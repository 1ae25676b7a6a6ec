import { getRequestListener } from '@hono/node-server';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { createSessions } from '../../src/web/index.js';
import { serveBench } from './serve-bench.js';

/**
 * tessera-web.ts committing into a `Headers` first and building the `Response`
 * with them: on @hono/node-server, adding headers to a finished `Response`
 * turns its light response into a full one, which costs more than Tessera.
 */
const sessions = createSessions<{ counter: number }>({
  store: createMemoryStore({ maxEntries: 100_000 }),
});
async function handle(request: Request): Promise<Response> {
  const path = new URL(request.url).pathname;
  const session = await sessions.get(request);
  let body = 'ok';
  if (path !== '/plain') {
    let counter = session.get('counter', 0);
    if (path === '/hit') session.set('counter', ++counter);
    body = String(counter);
  }
  const headers = await sessions.commit(session, new Headers());
  return new Response(body, { headers });
}
serveBench(getRequestListener(handle), () => sessions.close());
