import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { tesseraSession } from 'tessera-session/fastify';
import { createMemoryStore } from 'tessera-session/stores/memory';
import type { RunningApp } from './listen.js';

declare module 'tessera-session/fastify' {
  interface TesseraSessionData {
    count: number;
  }
}

export async function startFastify(): Promise<RunningApp> {
  const app = Fastify();
  await app.register(tesseraSession, { store: createMemoryStore() });
  app.get('/', async (request, reply) => {
    const count: number = request.session.get('count', 0) + 1;
    request.session.set('count', count);
    return reply.type('text/plain').send(`count=${count}`);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { port, close: () => app.close() }; // also closes the store
}
