/**
 * An express-session application, as one is written: a visit counter, a
 * login, a cart. The live-migration spec runs this same code on real
 * express-session and on the drop-in; only the `session` function it is given
 * (the import) and its options differ. Browsers with their own cookie jars
 * talk to it over real HTTP.
 */

import type { Request, RequestHandler } from 'express';
import express from 'express';
import { listen, type RunningServer } from '../helpers/listen.js';

/** What the application keeps in `req.session`. */
interface ShopSession {
  views?: number;
  user?: string;
  cart?: string[];
  regenerate(callback: (error?: unknown) => void): void;
  destroy(callback: (error?: unknown) => void): void;
}

/** `session(options)`: express-session's default export, or the drop-in's. */
export type SessionFunction = (options: never) => unknown;

/** A running application with a gate that holds its slow route open. */
export interface ShopApp {
  readonly server: RunningServer;
  /** Resolves once `/slow-count` has loaded its session and counted. */
  readonly slowReached: Promise<void>;
  /** Lets `/slow-count` answer. */
  release(): void;
}

function sessionOf(req: Request): ShopSession {
  return (req as unknown as { session: ShopSession }).session;
}

/**
 * Routes: `POST /count` counts visits; `POST /login?user=` regenerates the
 * session and logs in; `POST /cart/:item` adds to the cart; `GET /me` reads
 * (and writes nothing); `POST /logout` destroys the session; `POST
 * /slow-count` counts, then waits for {@link ShopApp.release}.
 */
export async function startShopApp(session: SessionFunction, options: object): Promise<ShopApp> {
  let reached!: () => void;
  let release!: () => void;
  const slowReached = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });

  const app = express();
  app.use(session(options as never) as RequestHandler);
  app.post('/count', (req, res) => {
    const current = sessionOf(req);
    current.views = (current.views ?? 0) + 1;
    res.json({ views: current.views });
  });
  app.post('/login', (req, res, next) => {
    sessionOf(req).regenerate((error) => {
      if (error) return next(error);
      sessionOf(req).user = String(req.query.user);
      res.json({ user: sessionOf(req).user });
    });
  });
  app.post('/cart/:item', (req, res) => {
    const current = sessionOf(req);
    current.cart = [...(current.cart ?? []), String(req.params.item)];
    res.json({ cart: current.cart });
  });
  app.get('/me', (req, res) => {
    const current = sessionOf(req);
    res.json({ user: current.user ?? null, views: current.views ?? 0, cart: current.cart ?? [] });
  });
  app.post('/logout', (req, res, next) => {
    sessionOf(req).destroy((error) => (error ? next(error) : res.json({ out: true })));
  });
  app.post('/slow-count', async (req, res) => {
    const current = sessionOf(req);
    current.views = (current.views ?? 0) + 1;
    reached();
    await gate;
    res.json({ views: current.views });
  });
  const server = await listen(app);
  return { server, slowReached, release };
}

/** A browser: one cookie jar, kept across servers (the same host, as after a deploy). */
export class Browser {
  /** The session cookie, `connect.sid=…`, once one was set. */
  cookie: string | undefined;
  /** The `Set-Cookie` of the last response, if any. */
  lastSetCookie: string | undefined;

  /** Sends `method path` to `app` with the jar's cookie; keeps any new cookie; answers the JSON body. */
  async send(app: ShopApp, method: 'GET' | 'POST', path: string): Promise<Record<string, unknown>> {
    const response = await fetch(`${app.server.baseUrl}${path}`, {
      method,
      headers: this.cookie ? { cookie: this.cookie } : {},
    });
    const setCookie = response.headers.getSetCookie()[0];
    this.lastSetCookie = setCookie;
    if (setCookie) this.cookie = setCookie.split(';')[0];
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}`);
    return (await response.json()) as Record<string, unknown>;
  }

  /** The session id the cookie carries (`s:<id>.<signature>`). */
  get sessionId(): string {
    if (!this.cookie) throw new Error('this browser has no session cookie');
    const value = decodeURIComponent(this.cookie.slice(this.cookie.indexOf('=') + 1));
    return value.slice(2, value.lastIndexOf('.'));
  }
}
