/**
 * Tessera's node:http handler wrapper (`createSessionHandler`) with the memory
 * store; its baseline is `node-bare`. Same routes, ready line and shutdown as
 * `node-bare.ts`.
 */
import type { RequestListener } from 'node:http';
import { createSessionHandler } from '../../src/adapters/node/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { serveBench } from './serve-bench.js';

interface CounterData {
  counter: number;
}

const withSession = createSessionHandler({ store: createMemoryStore({ maxEntries: 100_000 }) });
const listener = withSession<CounterData>((req, res, session) => {
  let body = '';
  if (req.url === '/hit') {
    const counter = session.get('counter', 0) + 1;
    session.set('counter', counter);
    body = String(counter);
  } else if (req.url === '/read') {
    body = String(session.get('counter', 0));
  } else if (req.url === '/plain') {
    body = 'ok';
  }
  res.statusCode = body === '' ? 404 : 200;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(body);
});

serveBench(listener as RequestListener, () => withSession.close());
