/**
 * Type tests (compiled by `npm run typecheck`, never run): an express-session
 * application, typed by @types/express-session, after the one-line switch to
 * the drop-in — the same `req.session` code compiles unchanged under `strict`.
 */

import { RedisStore } from 'connect-redis';
import express from 'express';
import type {} from 'express-session';
import { createClient } from 'redis';
import session from '../../src/express-session/index.js';
import { createRedisStore } from '../../src/stores/redis/index.js';

// As the application declared it for express-session, unchanged.
declare module 'express-session' {
  interface SessionData {
    views: number;
    user: string;
  }
}

const app = express();
app.use(session({ secret: 'keyboard cat', resave: false, saveUninitialized: false }));

app.get('/', (req, res) => {
  req.session.views = (req.session.views ?? 0) + 1;
  // @ts-expect-error: a number, as SessionData says
  req.session.user = 42;
  res.send(`views: ${req.session.views}, id ${req.sessionID}`);
});

app.post('/login', (req, res, next) => {
  req.session.regenerate((error) => {
    if (error) return next(error);
    req.session.user = 'ann';
    req.session.save((saveError) => (saveError ? next(saveError) : res.redirect('/')));
  });
});

app.post('/logout', (req, res, next) => {
  req.session.destroy((error) => (error ? next(error) : res.redirect('/')));
});

// The application's existing store, and a Tessera store to move to.
const client = createClient();
app.use(
  session({
    secret: ['new secret', 'old secret'],
    store: new RedisStore({ client, prefix: 'sess:' }),
    upgradeTo: createRedisStore({ client, prefix: 'tessera:' }),
    cookie: { maxAge: 86_400_000, secure: 'auto', sameSite: 'lax' },
    rolling: true,
  }),
);
