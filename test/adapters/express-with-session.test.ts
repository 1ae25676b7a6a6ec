import type { ErrorRequestHandler } from 'express';
import express5 from 'express';
import express4 from 'express4';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSessionMiddleware,
  type SessionRequest,
  withSession,
} from '../../src/adapters/express/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { CookieJarClient } from '../helpers/cookie-jar-client.js';
import { listen, type RunningServer } from '../helpers/listen.js';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

type Visits = { visits: number };

// Express answers errors handed to next() here, so each test can see which error arrived.
const reportError: ErrorRequestHandler = (error, _req, res, _next) => {
  res
    .status(500)
    .type('text/plain')
    .send(`error: ${(error as Error).message}`);
};

describe.each([
  ['Express 5', express5],
  ['Express 4', express4 as unknown as typeof express5],
])('withSession() on %s', (_, express) => {
  async function serve(
    configure: (app: ReturnType<typeof express5>) => void,
  ): Promise<CookieJarClient> {
    const app = express();
    configure(app);
    app.use(reportError);
    server = await listen(app);
    return new CookieJarClient(server.baseUrl);
  }

  it('hands the route the typed session as req.session', async () => {
    const client = await serve((app) => {
      app.use(createSessionMiddleware({ store: createMemoryStore() }));
      app.get(
        '/',
        withSession((req: SessionRequest<Visits>, res) => {
          const visits = req.session.get('visits', 0) + 1;
          req.session.set('visits', visits);
          res.send(`visits=${visits}`);
        }),
      );
    });
    expect((await client.get('/')).text).toBe('visits=1');
    expect((await client.get('/')).text).toBe('visits=2');
  });

  it('passes an error to next() when the session middleware is missing', async () => {
    const client = await serve((app) => {
      app.get(
        '/',
        withSession((_req, res) => {
          res.send('unreachable');
        }),
      );
    });
    const response = await client.get('/');
    expect(response.status).toBe(500);
    expect(response.text).toMatch(/^error: .*createSessionMiddleware/);
  });

  it('passes what a handler throws to next()', async () => {
    const client = await serve((app) => {
      app.use(createSessionMiddleware({ store: createMemoryStore() }));
      app.get(
        '/',
        withSession(() => {
          throw new Error('thrown');
        }),
      );
    });
    expect((await client.get('/')).text).toBe('error: thrown');
  });

  it('passes the rejection of an async handler to next(), on Express 4 too', async () => {
    const client = await serve((app) => {
      app.use(createSessionMiddleware({ store: createMemoryStore() }));
      app.get(
        '/',
        withSession(async () => {
          await Promise.resolve();
          throw new Error('rejected');
        }),
      );
    });
    expect((await client.get('/')).text).toBe('error: rejected');
  });
});
