/**
 * Type tests (compiled by `npm run typecheck`, never run): a `Session<Data>`
 * is accepted wherever a session is taken, and stays typed by `Data`.
 */

import { createServer } from 'node:http';
import { Hono } from 'hono';
import Koa, { type DefaultState } from 'koa';
import {
  createCsrfMiddleware as createHonoCsrf,
  createSessionMiddleware as createHonoSessions,
  type SessionEnv,
} from '../../src/adapters/hono/index.js';
import {
  createCsrfMiddleware as createKoaCsrf,
  createSessionMiddleware as createKoaSessions,
  type SessionContext,
  type WithSession,
} from '../../src/adapters/koa/index.js';
import { checkCsrfRequest, createSessionHandler } from '../../src/adapters/node/index.js';
import {
  type AnySession,
  checkCsrf,
  createSessionManager,
  type Session,
  type SessionData,
} from '../../src/core/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { createTestClient } from '../../src/testing/index.js';

type Cart = { user: string; cart: string[]; visits?: number };

const manager = createSessionManager({ store: createMemoryStore() });
const session = await manager.open<Cart>('some id');

// The manager takes typed sessions.
session.set('cart', ['pear']);
await manager.save(session);
const committed = await manager.commit(session, { status: 200 });
void committed.setCookie;
await manager.listUserSessions('ann', { current: session });
await manager.destroyUserSessions('ann', { except: session });
const loaded = await manager.load<Cart>({ cookie: undefined, secure: false });
await manager.commit(loaded);
await session.save();

// A typed session is a Session (and an AnySession), e.g. for your own helpers.
function audit(any: Session): string[] {
  return any.keys();
}
audit(session);
const untyped: Session = session;
const anySession: AnySession = session;
const narrower: Session<{ user: string }> = session;
void untyped.get('anything'); // untyped: any key
void anySession;
void narrower.get('user');
function count<Data extends SessionData>(typed: Session<Data>): number {
  let n = 0;
  for (const key of typed.keys()) if (typed.get(key) !== undefined) n++;
  return n;
}
count(session);
checkCsrf({ method: 'POST', headerToken: 'x' }, session);

// Typed access stays typed.
const user: string | undefined = session.get('user');
const cart: string[] = session.get('cart', []);
const keys: ('user' | 'cart' | 'visits')[] = session.keys();
const values: (string | string[] | number | undefined)[] = session.values();
for (const [key, value] of session) {
  const k: 'user' | 'cart' | 'visits' = key;
  void k;
  void value;
}
for (const [key, value] of session.entries()) session.set(key, value);
session.update({ visits: 2 });
void [user, cart, keys, values];

// What must stay rejected.
// @ts-expect-error a number is not the string[] `cart` holds
session.set('cart', 3);
// @ts-expect-error `basket` is not a key of Cart
session.get('basket');
// @ts-expect-error `user` holds a string
session.update({ user: 1 });
// @ts-expect-error the keys are Cart's, not any string
const anyKeys: 'user'[] = session.keys();
// @ts-expect-error an untyped session is not a Cart session
const typedFromUntyped: Session<Cart> = manager.load({
  cookie: undefined,
  secure: false,
}) as Session;
// @ts-expect-error a session of other values is not a Cart session
const otherValues: Session<{ user: number }> = session;
// @ts-expect-error a Cart session lacks the keys of a larger type
const larger: Session<Cart & { extra: boolean }> = session;
void [anyKeys, typedFromUntyped, otherValues, larger];

// node:http: the handler's typed session goes to the CSRF check.
const withSession = createSessionHandler({ store: createMemoryStore() });
createServer(
  withSession<Cart>((req, res, typed) => {
    if (!checkCsrfRequest(req, typed)) return;
    res.end(typed.get('user'));
  }),
);
await withSession.manager.save(session);

// Hono and Koa: the CSRF middleware on apps typed with session data.
const hono = new Hono<SessionEnv<Cart>>();
hono.use(createHonoSessions<Cart>({ store: createMemoryStore() }));
hono.use(createHonoCsrf());
hono.get('/', (c) => c.text(c.get('session').get('cart', []).join()));
const koa = new Koa<DefaultState, WithSession<Cart>>();
koa.use(createKoaSessions<Cart>());
koa.use(createKoaCsrf());
koa.use((ctx: SessionContext<Cart>) => {
  ctx.body = ctx.session.get('cart', []).join();
});

// The test client saves typed sessions, its own and others.
const app = (_req: unknown, res: { end(): void }) => res.end();
const client = createTestClient<Cart>(app, { manager });
const seen = await client.session();
seen.set('user', 'ann');
await client.saveSession(seen);
const plainClient = createTestClient(app, { manager });
await plainClient.saveSession(seen);
