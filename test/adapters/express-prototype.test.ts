import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createSessionMiddleware, getSession } from '../../src/adapters/express/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { CookieJarClient } from '../helpers/cookie-jar-client.js';
import { listen, type RunningServer } from '../helpers/listen.js';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('express adapter: response interception', () => {
  it('leaves routes mounted before the middleware untouched', async () => {
    const app = express();
    app.get('/before', (_req, res) => {
      res.send('plain');
    });
    app.use(createSessionMiddleware({ store: createMemoryStore() }));
    app.get('/after', (req, res) => {
      getSession(req).set('n', 1);
      res.send('with session');
    });
    server = await listen(app);
    const client = new CookieJarClient(server.baseUrl);
    await client.get('/after'); // installs the interceptors on this app's response prototype
    const before = await client.get('/before');
    expect(before.text).toBe('plain');
    expect(before.setCookies).toEqual([]);
    expect((await client.get('/after')).status).toBe(200);
  });

  it('still saves first when an earlier middleware wrapped res.end itself', async () => {
    const app = express();
    const seen: string[] = [];
    app.use((_req, res, next) => {
      const end = res.end;
      res.end = function wrappedEnd(this: typeof res, ...args: unknown[]) {
        seen.push('wrapper');
        return (end as (...a: unknown[]) => typeof res).apply(this, args);
      } as typeof res.end;
      next();
    });
    app.use(createSessionMiddleware({ store: createMemoryStore() }));
    app.get('/count', (req, res) => {
      const session = getSession<{ n: number }>(req);
      session.set('n', session.get('n', 0) + 1);
      res.redirect(303, '/read');
    });
    app.get('/read', (req, res) => {
      res.send(String(getSession<{ n: number }>(req).get('n', 0)));
    });
    server = await listen(app);
    const client = new CookieJarClient(server.baseUrl);
    const redirect = await client.get('/count');
    expect(redirect.setCookies).toHaveLength(1);
    expect((await client.get('/read')).text).toBe('1');
    expect(seen.length).toBeGreaterThan(0);
  });

  it('saves both sessions when two session middlewares (two cookie names) share one app', async () => {
    const app = express();
    const user = createSessionMiddleware({
      store: createMemoryStore(),
      cookie: { name: 'usersid' },
    });
    const admin = createSessionMiddleware({
      store: createMemoryStore(),
      cookie: { name: 'adminsid' },
    });
    app.use(user);
    app.use((req, _res, next) => {
      (req as unknown as { userSession: unknown }).userSession = getSession(req);
      next();
    });
    app.use(admin);
    app.get('/both', (req, res) => {
      const userSession = (req as unknown as { userSession: ReturnType<typeof getSession> })
        .userSession;
      userSession.set('n', (userSession.get('n', 0) as number) + 1);
      const adminSession = getSession(req);
      adminSession.set('m', (adminSession.get('m', 0) as number) + 10);
      res.send(`${userSession.get('n')} ${adminSession.get('m')}`);
    });
    server = await listen(app);
    const client = new CookieJarClient(server.baseUrl);
    const first = await client.get('/both');
    expect(first.setCookies.map((c) => c.split('=')[0]).sort()).toEqual(['adminsid', 'usersid']);
    expect((await client.get('/both')).text).toBe('2 20');
  });
});
