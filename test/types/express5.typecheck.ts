/**
 * Type tests (compiled by `npm run typecheck`, never run): the README's Express
 * patterns against @types/express 5, under `strict`.
 */

import express, { type Request, type Response } from 'express';
import {
  createCsrfMiddleware,
  createSessionMiddleware,
  getSession,
  type SessionRequest,
  withSession,
} from '../../src/adapters/express/index.js';
import type { Session } from '../../src/core/index.js';

const app = express();
app.use(createSessionMiddleware()); // SQLite at .tessera/sessions.db

// README "Express in ten lines", as written there.
// biome-ignore format: the README's layout
app.get('/', withSession((req: SessionRequest<{ visits: number }>, res) => {
  const visits = req.session.get('visits', 0) + 1;
  req.session.set('visits', visits);
  res.send(`You have visited this page ${visits} times`);
}));

// The same, typed by the generic argument.
app.get(
  '/again',
  withSession<{ visits: number }>((req, res) => {
    const visits = req.session.get('visits', 0) + 1;
    req.session.set('visits', visits);
    res.send(`You have visited this page ${visits} times`);
  }),
);

// An async handler, `next`, and route parameters through Express's own `Request`.
app.post(
  '/users/:id',
  withSession(
    async (req: SessionRequest<{ users: string[] }, Request<{ id: string }>>, res, next) => {
      if (req.params.id === '') return next('route');
      req.session.set('users', [...req.session.get('users', []), req.params.id]);
      res.redirect(303, '/');
    },
  ),
);

// A named handler, several handlers on one route, a router.
function home(req: SessionRequest<{ visits: number }>, res: Response): void {
  res.send(String(req.session.get('visits')));
}
app.get('/home', (_req, _res, next) => next(), withSession(home));
const router = express.Router();
router.get('/', withSession(home));
app.use('/r', router);

// getSession<Data>(req) from any handler; the CSRF middleware after a body parser.
app.use(express.urlencoded({ extended: false }));
app.use(createCsrfMiddleware());
app.get('/cart', (req, res) => {
  const session = getSession<{ cart: string[] }>(req);
  session.set('cart', [...session.get('cart', []), String(req.query.item)]);
  res.send(`<input type="hidden" name="_csrf" value="${getSession(req).csrfToken()}">`);
});

// The typed session is a Session: the middleware's manager saves it.
const sessions = createSessionMiddleware();
app.get(
  '/save',
  withSession(async (req: SessionRequest<{ visits: number }>, res) => {
    await sessions.manager.save(req.session);
    const untyped: Session = req.session;
    res.json(untyped.keys());
  }),
);

// What must stay rejected.
app.get(
  '/wrong',
  withSession((req: SessionRequest<{ visits: number }>, res) => {
    // @ts-expect-error a string is not the number `visits` holds
    req.session.set('visits', 'many');
    // @ts-expect-error `cart` is not a key of this session's data
    req.session.get('cart');
    res.end();
  }),
);
// @ts-expect-error Express 5 types `req` as its own Request: wrap the handler in withSession()
app.get('/unwrapped', (req: SessionRequest<{ visits: number }>, res) => {
  res.send(String(req.session.get('visits')));
});
