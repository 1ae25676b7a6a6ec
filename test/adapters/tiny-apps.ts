/**
 * The same tiny app on every adapter, so one set of HTTP scenarios checks them all.
 * A new adapter is added by writing its app here.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import express5 from 'express';
import express4 from 'express4';
import { createSessionMiddleware, getSession } from '../../src/adapters/express/index.js';
import { createSessionHandler } from '../../src/adapters/node/index.js';
import type { Session, SessionOptions } from '../../src/core/index.js';

/** One route of the tiny app: framework-free, answers [status, body, headers?]. */
type Route = (session: Session, url: URL) => Promise<Reply> | Reply;
type Reply = {
  status?: number;
  body?: string;
  headers?: Record<string, string | string[]>;
  throws?: boolean;
  /** Send status and headers with an explicit `res.writeHead()`, as node:http code often does. */
  writeHead?: boolean;
  /** Write the body with `res.write()` before `res.end()`. */
  stream?: boolean;
};

const ROUTES: Record<string, Route> = {
  '/hit': (s) => {
    const n = (s.get('counter', 0) as number) + 1;
    s.set('counter', n);
    return { body: String(n) };
  },
  '/read': (s) => ({ body: String(s.get('counter', 0)) }),
  '/plain': () => ({ body: 'ok' }),
  '/set': (s, url) => {
    s.set(url.searchParams.get('key')!, url.searchParams.get('value') ?? true);
    return { body: 'set' };
  },
  '/keys': (s) => ({ body: JSON.stringify(s.keys().sort()) }),
  '/flush': (s) => {
    s.flush();
    return { status: 303, headers: { Location: '/read' } };
  },
  '/set-and-redirect': (s) => {
    s.set('counter', 99);
    return { status: 303, headers: { Location: '/read' } };
  },
  '/own-headers': (s) => {
    s.set('counter', 1);
    return {
      body: 'own',
      headers: { 'Set-Cookie': ['theme=dark; Path=/'], Vary: 'Accept-Encoding' },
    };
  },
  '/slow-set': async (s, url) => {
    await new Promise((resolve) => setTimeout(resolve, Number(url.searchParams.get('ms') ?? 50)));
    s.set(url.searchParams.get('key') ?? 'late', true);
    return { body: 'late' };
  },
  '/write-head-redirect': (s) => {
    s.set('counter', 7);
    return {
      status: 302,
      headers: { Location: '/read', 'Set-Cookie': 'theme=dark' },
      writeHead: true,
    };
  },
  '/stream-after-save': async (s) => {
    s.set('counter', 5);
    await s.save();
    return { body: 'streamed', stream: true };
  },
  '/stream-without-save': (s) => {
    s.set('counter', 6);
    return { body: 'streamed', stream: true };
  },
  '/boom': (s) => {
    s.set('counter', 1000);
    return { throws: true };
  },
};

async function answer(session: Session, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const route = ROUTES[url.pathname];
  if (!route) {
    res.statusCode = 404;
    res.end('not found');
    return;
  }
  const reply = await route(session, url);
  if (reply.throws) throw new Error('handler failed');
  if (reply.writeHead) {
    res.writeHead(reply.status ?? 200, reply.headers ?? {});
  } else {
    res.statusCode = reply.status ?? 200;
    for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  }
  if (reply.stream) {
    res.write(reply.body ?? '');
    res.end();
  } else {
    res.end(reply.body ?? '');
  }
}

export interface TinyApp {
  name: string;
  create(options: SessionOptions): RequestListener;
}

function expressApp(
  factory: typeof express5 | typeof express4,
  options: SessionOptions,
): RequestListener {
  const app = factory();
  app.use(createSessionMiddleware(options));
  app.use((req, res, next) => {
    answer(getSession(req), req, res).catch(next);
  });
  // Express answers a thrown handler with 500 through its final handler.
  return app as unknown as RequestListener;
}

export const TINY_APPS: TinyApp[] = [
  { name: 'express 5', create: (options) => expressApp(express5, options) },
  { name: 'express 4', create: (options) => expressApp(express4, options) },
  {
    name: 'node:http',
    create: (options) =>
      createSessionHandler(options)((req, res, session) =>
        answer(session, req, res),
      ) as RequestListener,
  },
];
