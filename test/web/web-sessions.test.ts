/**
 * tessera-session/web on its own: what the adapter conformance suite (where
 * it runs as the `web` tiny app) does not reach — cookie jars, read-only
 * sessions, immutable responses, `Headers` targets and the failure answers.
 */
import diagnostics_channel from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import {
  SESSION_DIAGNOSTICS_CHANNELS,
  SessionConfigError,
  SessionInterruptedError,
  SessionStoreError,
} from '../../src/core/index.js';
import { describeSetCookie } from '../../src/kit/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import {
  type CookieAttributes,
  checkCsrfRequest,
  createSessions,
  csrfFailureResponse,
} from '../../src/web/index.js';
import { countCalls, writes } from '../core/counting-store.js';

/** A framework's cookie jar, as Next.js `cookies()` or SvelteKit `event.cookies`: it records every `set`. */
function createJar(shape: 'string' | 'object' = 'string') {
  const values = new Map<string, string>();
  const sets: { name: string; value: string; attributes: CookieAttributes }[] = [];
  return {
    sets,
    get(name: string) {
      const value = values.get(name);
      if (value === undefined) return undefined;
      return shape === 'string' ? value : { name, value };
    },
    set(name: string, value: string, attributes: CookieAttributes) {
      sets.push({ name, value, attributes });
      if (attributes.maxAge === 0) values.delete(name);
      else values.set(name, value);
    },
  };
}

function requestWith(cookie?: string, init: RequestInit = {}): Request {
  const headers = new Headers(init.headers);
  if (cookie) headers.set('Cookie', cookie);
  return new Request('http://app.test/', { ...init, headers });
}

function cookieOf(response: Response | Headers): string {
  const headers = response instanceof Response ? response.headers : response;
  return headers.get('Set-Cookie')!.split(';')[0]!;
}

describe('createSessions()', () => {
  it('refuses a missing store and unknown options, naming the fix', () => {
    // @ts-expect-error store is required
    expect(() => createSessions({})).toThrow(/Option "store" is required by tessera-session\/web/);
    expect(() =>
      // @ts-expect-error not an option
      createSessions({ store: createMemoryStore(), cookieName: 'sid' }),
    ).toThrow(/cookieName/);
  });

  it('reads no store without a cookie, and writes one record for a new session', async () => {
    const { store, calls } = countCalls(createMemoryStore());
    const sessions = createSessions<{ visits: number }>({ store });
    const session = await sessions.get(requestWith());
    expect(Object.keys(calls)).toEqual([]);
    session.set('visits', 1);
    const response = await sessions.commit(session, new Response('ok'));
    expect(writes(calls)).toBe(1);
    expect(response.headers.get('Set-Cookie')).toMatch(/^sessionid=[\w-]+; /);
    expect(response.headers.get('Vary')).toBe('Cookie');
    const again = await sessions.get(requestWith(cookieOf(response)));
    expect(again.get('visits')).toBe(1);
  });

  it('adds its cookie to an immutable response (Response.redirect) by answering a copy', async () => {
    const sessions = createSessions({ store: createMemoryStore() });
    const session = await sessions.get(requestWith());
    session.flash('Added pear');
    const redirect = Response.redirect('http://app.test/cart', 303);
    const sent = await sessions.commit(session, redirect);
    expect(sent).not.toBe(redirect);
    expect(sent.status).toBe(303);
    expect(sent.headers.get('Location')).toBe('http://app.test/cart');
    expect(sent.headers.get('Set-Cookie')).toMatch(/^sessionid=/);
  });

  it('commits onto Headers, and saves nothing for a 5xx status', async () => {
    const { store, calls } = countCalls(createMemoryStore());
    const sessions = createSessions({ store });
    const failed = await sessions.get(requestWith());
    failed.set('x', 1);
    const headers = await sessions.commit(failed, new Headers(), { status: 500 });
    expect(headers.get('Set-Cookie')).toBeNull();
    expect(writes(calls)).toBe(0);
    const ok = await sessions.get(requestWith());
    ok.set('x', 1);
    expect((await sessions.commit(ok, new Headers())).get('Set-Cookie')).toMatch(/^sessionid=/);
  });

  it('sends the cookie of an early session.save() with the commit', async () => {
    const sessions = createSessions({ store: createMemoryStore() });
    const session = await sessions.get(requestWith());
    session.set('early', true);
    await session.save();
    const response = await sessions.commit(session, new Response('ok'));
    const reloaded = await sessions.get(requestWith(cookieOf(response)));
    expect(reloaded.get('early')).toBe(true);
  });

  it('destroys: deletes the cookie and the record', async () => {
    const sessions = createSessions({ store: createMemoryStore() });
    const session = await sessions.get(requestWith());
    session.set('user', 'ann');
    const cookie = cookieOf(await sessions.commit(session, new Response('ok')));
    const loaded = await sessions.get(requestWith(cookie));
    const response = await sessions.destroy(loaded, new Response('bye'));
    expect(response.headers.get('Set-Cookie')).toMatch(/^sessionid=; .*Expires=Thu, 01 Jan 1970/);
    expect((await sessions.get(requestWith(cookie))).get('user')).toBeUndefined();
  });

  it('answers session failures with their status, and leaves other errors to the app', () => {
    const sessions = createSessions({ store: createMemoryStore() });
    const outage = sessions.failureResponse(
      new SessionStoreError('memory', 'load', new Error('down')),
    );
    expect(outage?.status).toBe(503);
    expect(outage?.headers.get('Retry-After')).not.toBeNull();
    expect(sessions.failureResponse(new SessionInterruptedError())?.status).toBe(400);
    expect(sessions.failureResponse(new Error('app bug'))).toBeUndefined();
  });
});

describe('read-only sessions (a render that cannot set cookies)', () => {
  it('reads, and refuses every change with the message given', async () => {
    const sessions = createSessions<{ user: string }>({ store: createMemoryStore() });
    const writer = await sessions.get(requestWith());
    writer.set('user', 'ann');
    const cookie = cookieOf(await sessions.commit(writer, new Response('ok')));
    const reader = await sessions.get(requestWith(cookie), {
      readOnly: 'Server Components cannot change the session.',
    });
    expect(reader.get('user')).toBe('ann');
    expect(() => reader.set('user', 'bob')).toThrow(SessionConfigError);
    expect(() => reader.set('user', 'bob')).toThrow('Server Components cannot change the session.');
    expect(() => reader.delete('user')).toThrow(SessionConfigError);
    expect(() => reader.login('bob')).toThrow(SessionConfigError);
    expect(() => reader.flush()).toThrow(SessionConfigError);
    expect(reader.get('user')).toBe('ann');
  });

  it('says where to make the change when no message is given', async () => {
    const sessions = createSessions({ store: createMemoryStore() });
    const reader = await sessions.get(requestWith(), { readOnly: true });
    expect(() => reader.set('x', 1)).toThrow(
      /read-only.*route handler, form action or server action/,
    );
  });
});

describe('cookie jars (Next.js cookies(), SvelteKit event.cookies, Astro context.cookies)', () => {
  it.each(['string', 'object'] as const)(
    'loads from and commits to a jar whose get() answers a %s',
    async (shape) => {
      const sessions = createSessions<{ visits: number }>({ store: createMemoryStore() });
      const jar = createJar(shape);
      const first = await sessions.getFromCookies(jar);
      first.set('visits', 1);
      await sessions.commitToCookies(first, jar);
      expect(jar.sets).toHaveLength(1);
      const [set] = jar.sets;
      expect(set!.name).toBe('sessionid');
      expect(set!.attributes).toMatchObject({ path: '/', httpOnly: true, sameSite: 'lax' });
      expect(set!.attributes.maxAge).toBe(14 * 24 * 3600); // seconds, as cookie APIs take it
      const second = await sessions.getFromCookies(jar);
      expect(second.get('visits')).toBe(1);
      second.set('visits', 2);
      await sessions.commitToCookies(second, jar);
      // A change refreshes the cookie's expiry; the id stays.
      expect(jar.sets.map((cookie) => cookie.value)).toEqual([set!.value, set!.value]);
      expect((await sessions.getFromCookies(jar)).get('visits')).toBe(2);
    },
  );

  it('deletes the cookie through the jar on logout', async () => {
    const sessions = createSessions({ store: createMemoryStore() });
    const jar = createJar();
    const session = await sessions.getFromCookies(jar);
    session.login('ann');
    await sessions.commitToCookies(session, jar);
    const loaded = await sessions.getFromCookies(jar);
    loaded.logout();
    await sessions.commitToCookies(loaded, jar);
    expect(jar.sets.at(-1)).toMatchObject({ value: '', attributes: { maxAge: 0, path: '/' } });
  });

  it('treats an empty or malformed cookie as no session', async () => {
    const sessions = createSessions({ store: createMemoryStore() });
    for (const value of ['', 'garbage', '%%%', 'a'.repeat(5000)]) {
      const session = await sessions.getFromCookies({ get: () => value });
      expect(session.isEmpty).toBe(true);
    }
  });
});

describe('CSRF on Web requests', () => {
  async function sessionWithToken() {
    const sessions = createSessions({ store: createMemoryStore() });
    const session = await sessions.get(requestWith());
    return { session, token: session.csrfToken() };
  }

  it('lets safe methods through and refuses an unsafe one without the token', async () => {
    const { session } = await sessionWithToken();
    expect(await checkCsrfRequest(requestWith(undefined, { method: 'GET' }), session)).toBe(true);
    expect(await checkCsrfRequest(requestWith(undefined, { method: 'POST' }), session)).toBe(false);
    expect(csrfFailureResponse().status).toBe(403);
  });

  it('accepts the token in the header or the form field, and leaves the body readable', async () => {
    const { session, token } = await sessionWithToken();
    const byHeader = requestWith(undefined, { method: 'POST', headers: { 'X-CSRF-Token': token } });
    expect(await checkCsrfRequest(byHeader, session)).toBe(true);
    const form = requestWith(undefined, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `item=pear&_csrf=${token}`,
    });
    expect(await checkCsrfRequest(form, session)).toBe(true);
    expect((await form.formData()).get('item')).toBe('pear');
  });

  it('refuses a wrong token and a malformed body without throwing', async () => {
    const { session } = await sessionWithToken();
    const wrong = requestWith(undefined, {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/form-data; boundary=x' },
      body: 'not multipart at all',
    });
    expect(await checkCsrfRequest(wrong, session)).toBe(false);
  });

  it('reports one refusal per refused request on the CSRF channel, and none for an accepted form', async () => {
    const { session, token } = await sessionWithToken();
    const reasons: unknown[] = [];
    const listener = (event: unknown) => reasons.push((event as { reason: string }).reason);
    const channel = diagnostics_channel.channel(SESSION_DIAGNOSTICS_CHANNELS.csrfRejected);
    channel.subscribe(listener);
    try {
      const post = (body: string) =>
        requestWith(undefined, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body,
        });
      expect(await checkCsrfRequest(post(`item=pear&_csrf=${token}`), session)).toBe(true);
      expect(reasons).toEqual([]);
      expect(await checkCsrfRequest(post('item=pear&_csrf=forged'), session)).toBe(false);
      expect(await checkCsrfRequest(post('item=pear'), session)).toBe(false);
      expect(reasons).toEqual(['wrong-token', 'missing-token']);
    } finally {
      channel.unsubscribe(listener);
    }
  });
});

describe('describeSetCookie()', () => {
  it('takes apart the Set-Cookie values Tessera writes', () => {
    expect(
      describeSetCookie(
        'sessionid=abc%20d; Max-Age=60; Domain=app.test; Path=/; Expires=Thu, 01 Jan 2037 00:00:00 GMT; HttpOnly; Secure; SameSite=Strict; Partitioned; Priority=High',
      ),
    ).toEqual({
      name: 'sessionid',
      value: 'abc d',
      attributes: {
        maxAge: 60,
        domain: 'app.test',
        path: '/',
        expires: new Date('2037-01-01T00:00:00Z'),
        httpOnly: true,
        secure: true,
        sameSite: 'strict',
        partitioned: true,
        priority: 'high',
      },
    });
  });
});
