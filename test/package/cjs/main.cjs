// The CommonJS JavaScript consumer: the same five apps as ../apps/*.ts, loaded
// with require() (tessera-session is ESM; Node serves it through require(esm)).
// Protocol as ../apps/main.ts: one JSON line of ports, then close all when stdin ends.
'use strict';
const { createServer } = require('node:http');
const { createMemoryStore } = require('tessera-session/stores/memory');

function closeServer(server) {
  return new Promise((resolve, reject) =>
    server.close((error) => (error ? reject(error) : resolve())),
  );
}

function listen(server, closeStore) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolve({ port: server.address().port, close: () => closeServer(server).then(closeStore) }),
    );
  });
}

function count(session) {
  const value = session.get('count', 0) + 1;
  session.set('count', value);
  return `count=${value}`;
}

// Each app requires its framework and adapter when it starts, so that an entry point that
// fails to load fails only its framework.
const apps = {
  express() {
    const express = require('express');
    const tesseraExpress = require('tessera-session/express');
    const sessions = tesseraExpress.createSessionMiddleware({ store: createMemoryStore() });
    const app = express();
    app.use(sessions);
    app.get(
      '/',
      tesseraExpress.withSession((req, res) => res.type('text/plain').send(count(req.session))),
    );
    return listen(createServer(app), () => sessions.close());
  },
  async fastify() {
    const Fastify = require('fastify');
    const { tesseraSession } = require('tessera-session/fastify');
    const app = Fastify();
    await app.register(tesseraSession, { store: createMemoryStore() });
    app.get('/', async (request, reply) => reply.type('text/plain').send(count(request.session)));
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { port: app.server.address().port, close: () => app.close() };
  },
  koa() {
    const Koa = require('koa');
    const tesseraKoa = require('tessera-session/koa');
    const sessions = tesseraKoa.createSessionMiddleware({ store: createMemoryStore() });
    const app = new Koa();
    app.use(sessions);
    app.use((ctx) => {
      ctx.type = 'text/plain';
      ctx.body = count(ctx.session);
    });
    return listen(createServer(app.callback()), () => sessions.close());
  },
  hono() {
    const { Hono } = require('hono');
    const { serve } = require('@hono/node-server');
    const tesseraHono = require('tessera-session/hono');
    const sessions = tesseraHono.createSessionMiddleware({ store: createMemoryStore() });
    const app = new Hono();
    app.use(sessions);
    app.get('/', (c) => c.text(count(c.get('session'))));
    return new Promise((resolve) => {
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, ({ port }) =>
        resolve({ port, close: () => closeServer(server).then(() => sessions.close()) }),
      );
    });
  },
  async 'node-http'() {
    const { DEFAULT_COOKIE_OPTIONS } = require('tessera-session');
    const { createSessionHandler } = require('tessera-session/node');
    const { createStoreFromUrl } = require('tessera-session/stores');
    const withSession = createSessionHandler({
      store: await createStoreFromUrl('memory:'),
      cookie: { name: DEFAULT_COOKIE_OPTIONS.name },
    });
    const handler = withSession((_req, res, session) => {
      res.setHeader('Content-Type', 'text/plain');
      res.end(count(session));
    });
    return listen(createServer(handler), () => withSession.close());
  },
};

function fail(error) {
  console.error(error);
  process.exitCode = 1;
}

async function main() {
  const running = [];
  const report = {};
  for (const [name, start] of Object.entries(apps)) {
    try {
      const app = await start();
      running.push(app);
      report[name] = { port: app.port };
    } catch (error) {
      report[name] = {
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      };
    }
  }
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.stdin.on('end', () => {
    Promise.all(running.map((app) => app.close())).catch(fail);
  });
  process.stdin.resume();
}

main().catch(fail);
