/**
 * A small shop app, framework-free, mounted on Express and on node:http with
 * Tessera's adapters, for the test client's specifications.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { createSessionMiddleware, getSession } from '../../src/adapters/express/index.js';
import { createSessionHandler } from '../../src/adapters/node/index.js';
import type { Session, SessionManager } from '../../src/core/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import type { RequestListenerTarget } from '../../src/testing/index.js';

/** The shop's session data. */
export interface ShopData {
  counter: number;
  user: string;
  cart: string[];
  theme: string;
}

interface ShopRequest {
  method: string;
  url: URL;
  body: string;
  contentType: string;
}

interface ShopReply {
  status?: number;
  headers?: Record<string, string | string[]>;
  body?: string;
}

const seeOther = (location: string, headers: Record<string, string> = {}): ShopReply => ({
  status: 303,
  headers: { Location: location, ...headers },
});

/** The shop's routes: the session in, a reply out. */
export function runShop(session: Session<ShopData>, request: ShopRequest): ShopReply {
  const route = `${request.method} ${request.url.pathname}`;
  switch (route) {
    case 'GET /count': {
      const counter = session.get('counter', 0) + 1;
      session.set('counter', counter);
      return { body: String(counter) };
    }
    case 'GET /whoami':
      return { body: session.get('user') ?? 'anonymous' };
    case 'POST /login': {
      const user = new URLSearchParams(request.body).get('user') ?? 'nobody';
      session.cycleKey();
      session.set('user', user);
      session.flash(`Welcome, ${user}`);
      return seeOther('/home');
    }
    case 'GET /home':
      return {
        body: JSON.stringify({ user: session.get('user') ?? null, flash: session.popFlash() }),
      };
    case 'POST /cart': {
      const { item } = JSON.parse(request.body) as { item: string };
      session.set('cart', [...session.get('cart', []), item]);
      session.flash(`Added ${item}`);
      session.flash(item, { queue: 'added' });
      return { status: 201, body: JSON.stringify(session.get('cart')) };
    }
    case 'GET /cart':
      return { body: JSON.stringify({ cart: session.get('cart', []), flash: session.popFlash() }) };
    // Two redirects, each setting a cookie of its own, then a page that sets the session.
    case 'GET /hop/1':
      return seeOther('/hop/2', { 'Set-Cookie': 'hop1=yes; Path=/' });
    case 'GET /hop/2':
      return seeOther('/hop/3', { 'Set-Cookie': 'hop2=yes; Path=/' });
    case 'GET /hop/3':
      session.set('theme', 'dark');
      return { body: 'landed' };
    case 'POST /echo':
    case 'PUT /echo':
      return {
        body: JSON.stringify({
          method: request.method,
          contentType: request.contentType,
          body: request.body,
        }),
      };
    default:
      return { status: 404, body: 'not found' };
  }
}

/** A running shop: the app to hand to the test client, and its adapter's manager. */
export interface ShopApp {
  name: string;
  app: RequestListenerTarget;
  manager: SessionManager;
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return body;
}

async function toShopRequest(req: IncomingMessage): Promise<ShopRequest> {
  return {
    method: req.method ?? 'GET',
    url: new URL(req.url ?? '/', 'http://localhost'),
    body: await readBody(req),
    contentType: req.headers['content-type'] ?? '',
  };
}

function send(res: ServerResponse, reply: ShopReply): void {
  res.statusCode = reply.status ?? 200;
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  res.end(reply.body ?? '');
}

/** The shop on Express 5 with `createSessionMiddleware`. */
export function createExpressShop(): ShopApp {
  const middleware = createSessionMiddleware({ store: createMemoryStore() });
  const app = express();
  app.use(middleware);
  app.use((req, res, next) => {
    toShopRequest(req)
      .then((request) => send(res, runShop(getSession<ShopData>(req), request)))
      .catch(next);
  });
  return { name: 'express', app, manager: middleware.manager };
}

/** The shop on node:http with `createSessionHandler`. */
export function createNodeShop(): ShopApp {
  const withSession = createSessionHandler({ store: createMemoryStore() });
  const app = withSession<ShopData>(async (req, res, session) =>
    send(res, runShop(session, await toShopRequest(req))),
  );
  return { name: 'node:http', app, manager: withSession.manager };
}
