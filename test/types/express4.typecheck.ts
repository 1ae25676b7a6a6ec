/**
 * Type tests (compiled by `npm run typecheck`, never run): the README's Express
 * patterns against Express 4's types, under `strict`. The repository installs
 * Express 4 as "express4", so its `Request` and `Response` are named here; in an
 * app on @types/express 4, `import('express')` is Express 4 and the README
 * applies as written.
 */

import express, { type Request, type Response } from 'express4';
import {
  createCsrfMiddleware,
  createSessionMiddleware,
  getSession,
  type SessionRequest,
  withSession,
} from '../../src/adapters/express/index.js';

const app = express();
app.use(createSessionMiddleware());

app.get(
  '/',
  withSession((req: SessionRequest<{ visits: number }, Request>, res: Response) => {
    const visits = req.session.get('visits', 0) + 1;
    req.session.set('visits', visits);
    res.send(`You have visited this page ${visits} times`);
  }),
);

app.get(
  '/again',
  withSession<{ visits: number }, Request, Response>((req, res) => {
    const visits = req.session.get('visits', 0) + 1;
    req.session.set('visits', visits);
    res.send(`You have visited this page ${visits} times`);
  }),
);

// Express 4 ignores a returned promise: withSession passes its rejection to next().
app.post(
  '/users/:id',
  withSession(
    async (req: SessionRequest<{ users: string[] }, Request<{ id: string }>>, res: Response) => {
      req.session.set('users', [...req.session.get('users', []), req.params.id]);
      res.redirect(303, '/');
    },
  ),
);

app.use(express.urlencoded({ extended: false }));
app.use(createCsrfMiddleware());
app.get('/cart', (req, res) => {
  const session = getSession<{ cart: string[] }>(req);
  session.set('cart', [...session.get('cart', []), String(req.query.item)]);
  res.send(`<input type="hidden" name="_csrf" value="${getSession(req).csrfToken()}">`);
});

app.get(
  '/wrong',
  withSession((req: SessionRequest<{ visits: number }, Request>, res: Response) => {
    // @ts-expect-error a string is not the number `visits` holds
    req.session.set('visits', 'many');
    res.end();
  }),
);
// @ts-expect-error Express types `req` as its own Request: wrap the handler in withSession()
app.get('/unwrapped', (req: SessionRequest<{ visits: number }, Request>, res: Response) => {
  res.send(String(req.session.get('visits')));
});
