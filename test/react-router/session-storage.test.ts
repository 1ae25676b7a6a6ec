/**
 * `tessera-session/react-router`: React Router's `SessionStorage` on Tessera.
 * Runs without `react-router` installed (the main suite, Node 20); the
 * example app (test/examples/react-router.test.ts) runs it inside React
 * Router's production server, and React Router's own session tests run in
 * upstream-sessions.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  SessionConfigError,
  SessionInterruptedError,
  type SessionStore,
  SessionStoreError,
} from '../../src/core/index.js';
import {
  createReactRouterSession,
  createTesseraSessionStorage,
  REACT_ROUTER_FLASH_QUEUE,
} from '../../src/integrations/react-router/index.js';
import { createSignedCookieStore } from '../../src/stores/cookie/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { countingStore } from '../helpers/security-stores.js';

interface Data {
  user: string;
  visits: number;
  cart: string[];
}
interface Flash {
  error: string;
  notice: string;
}

function storage(store: SessionStore = createMemoryStore()) {
  return createTesseraSessionStorage<Data, Flash>({ store });
}

/** The `Cookie` header a browser sends back for a `Set-Cookie` value. */
function cookieOf(setCookie: string): string {
  return setCookie.split(';')[0]!;
}

describe('getSession / commitSession / destroySession, called as React Router calls them', () => {
  it('gives a new, empty session (id "") without a cookie, with no store read', async () => {
    const store = countingStore(createMemoryStore());
    const { getSession } = storage(store);
    const session = await getSession(null);
    expect(session.id).toBe('');
    expect(session.data).toEqual({});
    expect(session.has('user')).toBe(false);
    expect(await getSession()).toMatchObject({ id: '' });
    expect(await getSession('')).toMatchObject({ id: '' });
    expect(store.reads).toEqual([]);
  });

  it('keeps values across requests through the Set-Cookie it answers', async () => {
    const { getSession, commitSession } = storage();
    const session = await getSession(null);
    session.set('user', 'ann');
    const setCookie = await commitSession(session);
    expect(setCookie).toMatch(
      /^sessionid=[\w-]+; Max-Age=1209600; Expires=.+; Path=\/; HttpOnly; SameSite=Lax$/,
    );
    const next = await getSession(cookieOf(setCookie));
    expect(next.get('user')).toBe('ann');
    expect(next.id).not.toBe('');
    expect(next.data).toEqual({ user: 'ann' });
  });

  it('answers "" when there is nothing to send: an empty session is never stored, an unchanged one keeps its cookie', async () => {
    const store = countingStore(createMemoryStore());
    const { getSession, commitSession } = storage(store);
    expect(await commitSession(await getSession(null))).toBe('');
    const session = await getSession(null);
    session.set('user', 'ann');
    const cookie = cookieOf(await commitSession(session));
    const unchanged = await getSession(cookie);
    expect(unchanged.get('user')).toBe('ann');
    expect(await commitSession(unchanged)).toBe('');
  });

  it('accepts the Request itself, so that cookie.secure "auto" sees HTTPS', async () => {
    const { getSession, commitSession } = storage();
    const secure = await getSession(new Request('https://shop.example/cart'));
    secure.set('user', 'ann');
    expect(await commitSession(secure)).toMatch(/; Secure$/);
    const plain = await getSession(new Request('http://localhost/cart'));
    plain.set('user', 'ann');
    expect(await commitSession(plain)).not.toMatch(/Secure/);
    const headers = await getSession(new Headers({ Cookie: 'a=b' }));
    expect(headers.id).toBe('');
  });

  it('treats a forged, tampered or malformed cookie as no session, never as an error', async () => {
    const { getSession, commitSession } = storage();
    const session = await getSession(null);
    session.set('user', 'ann');
    const cookie = cookieOf(await commitSession(session));
    for (const header of [
      `${cookie.slice(0, -1)}${cookie.endsWith('A') ? 'B' : 'A'}`,
      'sessionid=%E0%A4%A',
      'sessionid=',
      'sessionid=a;sessionid=b',
      'garbage',
      'sessionid=ok\u0000',
    ]) {
      const fresh = await getSession(header);
      expect(fresh.get('user')).toBeUndefined();
      expect(fresh.id).toBe('');
    }
  });

  it('destroys: the deletion cookie, and the old cookie is worth nothing afterwards', async () => {
    const { getSession, commitSession, destroySession } = storage();
    const session = await getSession(null);
    session.set('user', 'ann');
    const cookie = cookieOf(await commitSession(session));
    const deletion = await destroySession(await getSession(cookie));
    expect(deletion).toMatch(
      /^sessionid=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=\//,
    );
    const replayed = await getSession(cookie);
    expect(replayed.get('user')).toBeUndefined();
    expect(replayed.id).toBe('');
  });

  it('answers "" when destroying a session the browser has no cookie for', async () => {
    const { getSession, destroySession } = storage();
    expect(await destroySession(await getSession(null))).toBe('');
  });

  it('works on a cookie store too: the whole session sealed in the cookie, over 4096 bytes refused', async () => {
    const { getSession, commitSession } = storage(
      createSignedCookieStore({ secrets: ['a-secret-of-at-least-32-bytes-for-tests'] }),
    );
    const session = await getSession(null);
    session.set('user', 'ann');
    const next = await getSession(cookieOf(await commitSession(session)));
    expect(next.get('user')).toBe('ann');
    next.set('user', 'a'.repeat(4097));
    await expect(commitSession(next)).rejects.toThrow(/4096-byte limit/);
  });
});

describe("keyed flash, as React Router's", () => {
  it('keeps a flash value until the first get() reads it, in that request or a later one', async () => {
    const { getSession, commitSession } = storage();
    const session = await getSession(null);
    session.set('user', 'ann');
    session.flash('error', 'boom');
    const cookie = cookieOf(await commitSession(session));
    const second = await getSession(cookie);
    expect(second.has('error')).toBe(true);
    expect(second.get('error')).toBe('boom');
    expect(second.has('error')).toBe(false);
    expect(second.get('error')).toBeUndefined();
    await commitSession(second);
    const third = await getSession(cookie);
    expect(third.has('error')).toBe(false);
    expect(third.get('user')).toBe('ann');
  });

  it('replaces a flash value of the same name, and keeps the other names', async () => {
    const { getSession } = storage();
    const session = await getSession(null);
    session.flash('error', 'first');
    session.flash('notice', 'saved');
    session.flash('error', 'second');
    expect(session.get('error')).toBe('second');
    expect(session.get('notice')).toBe('saved');
    expect(session.has('notice')).toBe(false);
  });

  it("shows flash values in data under React Router's __flash_<name>__ keys", async () => {
    const { getSession } = storage();
    const session = await getSession(null);
    session.set('user', 'ann');
    session.flash('notice', 'saved');
    expect(session.data).toEqual({ user: 'ann', __flash_notice__: 'saved' });
  });

  it('answers a value before a flash value of the same name, as React Router does', async () => {
    const { getSession } = storage();
    const session = await getSession(null);
    session.set('user', 'ann');
    session.flash('user' as keyof Flash, 'flashed');
    expect(session.get('user')).toBe('ann');
    session.unset('user');
    expect(session.get('user')).toBe('flashed');
  });

  it("lives in one Tessera flash queue, readable from Tessera's API", async () => {
    const { getSession } = storage();
    const session = await getSession(null);
    session.flash('notice', 'saved');
    expect(session.tessera.keys()).toEqual([]);
    expect(session.tessera.peekFlash(REACT_ROUTER_FLASH_QUEUE)).toEqual([{ notice: 'saved' }]);
  });
});

describe("Tessera's guarantees underneath", () => {
  it('writes deltas: two requests of one session changing different keys keep both changes', async () => {
    const { getSession, commitSession } = storage();
    const session = await getSession(null);
    session.set('visits', 1);
    const cookie = cookieOf(await commitSession(session));
    const [loader, action] = await Promise.all([getSession(cookie), getSession(cookie)]);
    loader.set('visits', 2);
    action.set('cart', ['pear']);
    await Promise.all([commitSession(loader), commitSession(action)]);
    expect((await getSession(cookie)).data).toEqual({ visits: 2, cart: ['pear'] });
  });

  it('never brings back a session destroyed meanwhile: the late save is refused (400)', async () => {
    const { getSession, commitSession, destroySession, failureResponse } = storage();
    const session = await getSession(null);
    session.set('user', 'ann');
    const cookie = cookieOf(await commitSession(session));
    const slow = await getSession(cookie);
    await destroySession(await getSession(cookie));
    slow.set('cart', ['pear']);
    const error = await commitSession(slow).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SessionInterruptedError);
    expect(failureResponse(error)?.status).toBe(400);
    expect((await getSession(cookie)).data).toEqual({});
  });

  it('logs in through session.tessera: new id, new CSRF token, the pre-login cookie dead', async () => {
    const { getSession, commitSession } = storage();
    const session = await getSession(null);
    session.set('cart', ['pear']);
    const before = cookieOf(await commitSession(session));
    const loggingIn = await getSession(before);
    const token = loggingIn.tessera.csrfToken();
    loggingIn.tessera.login('ann');
    expect(loggingIn.tessera.isValidCsrfToken(token)).toBe(false);
    const after = cookieOf(await commitSession(loggingIn));
    expect(after).not.toBe(before);
    const loggedIn = await getSession(after);
    expect(loggedIn.tessera.userId).toBe('ann');
    expect(loggedIn.get('cart')).toEqual(['pear']);
    expect((await getSession(before)).get('cart')).toBeUndefined();
  });

  it('answers a store outage with 503 through failureResponse', async () => {
    const failing: SessionStore = {
      ...countingStore(createMemoryStore()),
      read: () => Promise.reject(new Error('connection refused')),
    };
    const { getSession, failureResponse } = storage(failing);
    const error = await getSession(`sessionid=${'a'.repeat(32)}`).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(SessionStoreError);
    expect(failureResponse(error)?.status).toBe(503);
    expect(failureResponse(new Error('app bug'))).toBeUndefined();
  });

  it("refuses Tessera's reserved names (a leading _) with a TypeError that says so", async () => {
    const { getSession } = storage();
    const session = await getSession(null);
    expect(() => session.set('_user' as keyof Data, 'ann')).toThrow(/reserved/);
  });
});

describe('commitSession(session, { maxAge | expires })', () => {
  it('gives the session that lifetime, from now and for later saves', async () => {
    const { getSession, commitSession } = storage();
    const session = await getSession(null);
    session.set('user', 'ann');
    const setCookie = await commitSession(session, { maxAge: 3600 });
    expect(setCookie).toMatch(/Max-Age=3600;/);
    const next = await getSession(cookieOf(setCookie));
    expect(next.tessera.getExpiryAge()).toBe(3600);
    next.set('visits', 1);
    expect(await commitSession(next)).toMatch(/Max-Age=3600;/);
  });

  it('takes an expiry date', async () => {
    const { getSession, commitSession } = storage();
    const session = await getSession(null);
    session.set('user', 'ann');
    const expires = new Date(Date.now() + 7_200_000);
    const setCookie = await commitSession(session, { expires });
    expect(setCookie).toMatch(/Max-Age=(7199|7200);/);
  });

  it('ends the session for maxAge 0 or a past date, as a cookie expiring at once would', async () => {
    const { getSession, commitSession } = storage();
    for (const options of [{ maxAge: 0 }, { maxAge: -1 }, { expires: new Date(0) }]) {
      const session = await getSession(null);
      session.set('user', 'ann');
      const cookie = cookieOf(await commitSession(session));
      const ending = await getSession(cookie);
      expect(await commitSession(ending, options)).toMatch(/^sessionid=; Max-Age=0;/);
      expect((await getSession(cookie)).get('user')).toBeUndefined();
    }
  });

  it('stores nothing for an empty session, whatever its lifetime', async () => {
    const { getSession, commitSession } = storage();
    expect(await commitSession(await getSession(null), { maxAge: 3600 })).toBe('');
  });

  it('refuses per-call cookie attributes, saying where they are set', async () => {
    const { getSession, commitSession, destroySession } = storage();
    const session = await getSession(null);
    await expect(commitSession(session, { domain: 'example.com' } as object)).rejects.toThrow(
      /createTesseraSessionStorage\(\{ cookie/,
    );
    await expect(destroySession(session, { path: '/admin' } as object)).rejects.toThrow(
      SessionConfigError,
    );
    await expect(commitSession(session, { maxAge: Number.NaN })).rejects.toThrow(/maxAge/);
    await expect(commitSession(session, { expires: new Date('nope') })).rejects.toThrow(/expires/);
    expect(await commitSession(session, { domain: undefined } as object)).toBe('');
  });
});

describe('developer mistakes', () => {
  it('refuses a session this storage did not make', async () => {
    const one = storage();
    const other = storage();
    const foreign = await other.getSession(null);
    await expect(one.commitSession(foreign)).rejects.toThrow(/not a session of this storage/);
    const lookalike = { ...(await one.getSession(null)) };
    await expect(one.commitSession(lookalike)).rejects.toThrow(SessionConfigError);
    await expect(one.destroySession(foreign)).rejects.toThrow(SessionConfigError);
  });

  it("refuses React Router's cookie decode option and unknown getSession options", async () => {
    const { getSession } = storage();
    await expect(getSession(null, { decode: (value: string) => value })).rejects.toThrow(
      /needs no decoding/,
    );
    await expect(getSession(null, { readOnly: false, secure: false })).resolves.toBeDefined();
    await expect(getSession({} as Request)).rejects.toThrow(/takes the Cookie header/);
  });

  it('checks its options at creation: store required, unknown keys named', () => {
    expect(() => createTesseraSessionStorage({} as never)).toThrow(/"store" is required/);
    expect(() =>
      createTesseraSessionStorage({ store: createMemoryStore(), secrets: ['x'] } as never),
    ).toThrow(SessionConfigError);
    expect(() =>
      createTesseraSessionStorage({
        store: createMemoryStore(),
        cookie: { name: '__session', expires: new Date() },
      } as never),
    ).toThrow(/cookie.expires/);
    expect(() =>
      createTesseraSessionStorage({
        store: createMemoryStore(),
        cookie: { name: '__session', secrets: ['s3cr3t'] },
      } as never),
    ).toThrow(/createSignedCookieStore\(\{ secrets \}\)/);
    expect(() =>
      createTesseraSessionStorage({ store: createMemoryStore(), cookie: { maxAge: 60 } } as never),
    ).toThrow(/cookieAge/);
  });

  it('gives functions that need no this (destructured, as React Router apps do)', async () => {
    const { getSession, commitSession } = storage();
    const session = await getSession(null);
    session.set('user', 'ann');
    await expect(commitSession(session)).resolves.toMatch(/^sessionid=/);
  });
});

describe('createReactRouterSession (a Tessera session of your own in React Router’s shape)', () => {
  it('answers the same object for the same session, over the same data', async () => {
    const { getSession } = storage();
    const session = await getSession(null);
    expect(createReactRouterSession(session.tessera)).toBe(session);
    session.tessera.set('user', 'ann');
    expect(session.get('user')).toBe('ann');
  });
});
