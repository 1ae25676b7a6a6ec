/** @fastify/session (with @fastify/cookie) and its default memory store. */
import fastifyCookie from '@fastify/cookie';
import fastifySession, { type FastifySessionObject } from '@fastify/session';
import type { FastifyRequest } from 'fastify';
import { startFastifyBenchServer } from './fastify-app.js';

declare module 'fastify' {
  interface Session {
    counter: number;
  }
}

/**
 * @fastify/session's `request.session`. Tessera's plugin declares the same
 * property in this tsc project (src/adapters/fastify) and its declaration wins,
 * so the peer's object is read through this one cast; the two never share a process.
 */
const sessionOf = (request: FastifyRequest): FastifySessionObject =>
  request.session as unknown as FastifySessionObject;

await startFastifyBenchServer({
  async register(app) {
    await app.register(fastifyCookie);
    await app.register(fastifySession, {
      secret: 'tessera-bench-fixed-secret-for-fastify-session',
      saveUninitialized: false,
      cookie: { secure: false },
    });
  },
  counter: {
    hit(request) {
      const session = sessionOf(request);
      const counter = (session.get('counter') ?? 0) + 1;
      session.set('counter', counter);
      return counter;
    },
    read: (request) => sessionOf(request).get('counter') ?? 0,
  },
});
