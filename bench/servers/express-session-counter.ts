/** Counter access through express-session's `req.session`, shared by its competitors. */
import type { CounterAccess } from './express-app.js';

declare module 'express-session' {
  interface SessionData {
    counter: number;
  }
}

export const expressSessionCounter: CounterAccess = {
  hit(req) {
    const counter = (req.session.counter ?? 0) + 1;
    req.session.counter = counter;
    return counter;
  },
  read: (req) => req.session.counter ?? 0,
};

/** Options common to the express-session competitors (as the brief fixes them). */
export const expressSessionOptions = {
  secret: 'tessera-bench-fixed-secret',
  resave: false,
  saveUninitialized: false,
} as const;
