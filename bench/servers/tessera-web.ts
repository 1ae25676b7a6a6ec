import { getRequestListener } from '@hono/node-server';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { createSessions } from '../../src/web/index.js';
import { serveBench } from './serve-bench.js';

interface CounterData {
  counter: number;
}

const sessions = createSessions<CounterData>({ store: createMemoryStore({ maxEntries: 100_000 }) });

/**
 * fetch-bare.ts's handler with tessera-session/web on every route, as a
 * framework hook does it: get, (use), commit. /plain never reads the session.
 */
async function handle(request: Request): Promise<Response> {
  const path = new URL(request.url).pathname;
  const session = await sessions.get(request);
  let body = 'ok';
  if (path !== '/plain') {
    let counter = session.get('counter', 0);
    if (path === '/hit') session.set('counter', ++counter);
    body = String(counter);
  }
  return sessions.commit(session, new Response(body));
}

serveBench(getRequestListener(handle), () => sessions.close());
