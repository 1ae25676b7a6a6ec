/**
 * The tiny app's routes, framework-free: each takes the session and the URL and
 * answers a {@link Reply}. Every adapter's tiny app turns a reply into its own
 * response type, so one set of HTTP scenarios checks every adapter.
 *
 * Routes take their input from the query string only, so no body parsing is needed
 * (the CSRF scenarios post a form body only for the CSRF check to read).
 * @module
 */
import type { Session } from '../../../src/core/index.js';

/** What a route answers. */
export interface Reply {
  status?: number;
  body?: string;
  headers?: Record<string, string | string[]>;
  /** The handler throws after the route ran (the framework answers 500). */
  throws?: boolean;
  /** node:http apps only: send status and headers with an explicit `res.writeHead()`. */
  writeHead?: boolean;
  /** node:http apps only: write the body with `res.write()` before `res.end()`. */
  stream?: boolean;
  /** node:http responses: `end()` the body, then set a header and `end()` again, as a buggy handler does. */
  endTwice?: boolean;
}

type Route = (session: Session, url: URL) => Promise<Reply> | Reply;

const redirect = (location: string): Reply => ({ status: 303, headers: { Location: location } });

/** Routes every adapter's tiny app serves. */
export const ROUTES: Readonly<Record<string, Route>> = {
  // The seeds' visit counter.
  '/hit': (s) => {
    const n = (s.get('counter', 0) as number) + 1;
    s.set('counter', n);
    return { body: String(n) };
  },
  '/read': (s) => ({ body: String(s.get('counter', 0)) }),
  '/plain': () => ({ body: 'ok' }),
  '/set': (s, url) => {
    s.set(url.searchParams.get('key')!, url.searchParams.get('value') ?? true);
    return { body: 'set' };
  },
  '/delete': (s, url) => ({ body: String(s.delete(url.searchParams.get('key')!)) }),
  '/keys': (s) => ({ body: JSON.stringify(s.keys().sort()) }),
  '/flush': (s) => {
    s.flush();
    return redirect('/read');
  },
  '/set-and-redirect': (s) => {
    s.set('counter', 99);
    return redirect('/read');
  },
  // Django's set_expiry: seconds, 0 (browser close) or "default" (null).
  '/expiry': (s, url) => {
    const value = url.searchParams.get('seconds');
    s.setExpiry(value === 'default' ? null : Number(value));
    return { body: String(s.getExpiryAge()) };
  },
  // A cart changed in place, and a flash message shown once after the redirect.
  '/cart/add': (s, url) => {
    const item = url.searchParams.get('item') ?? 'thing';
    const cart = s.setDefault('cart', { items: [] as string[] }) as { items: string[] };
    cart.items.push(item);
    s.flash(`Added ${item}`);
    return redirect('/cart');
  },
  '/cart': (s) => ({
    body: JSON.stringify({
      items: (s.get('cart') as { items: string[] } | undefined)?.items ?? [],
      flash: s.popFlash(),
    }),
  }),
  // Django's test cookie before a login that cycles the key.
  '/login-form': (s) => {
    s.setTestCookie();
    return { body: 'form' };
  },
  '/login': (s, url) => {
    if (!s.testCookieWorked()) return { status: 400, body: 'Please enable cookies and try again.' };
    s.deleteTestCookie();
    s.cycleKey();
    s.set('user', url.searchParams.get('user') ?? 'ann');
    return { body: `welcome ${s.get('user')}` };
  },
  '/whoami': (s) => ({ body: String(s.get('user', 'anonymous')) }),
  // CSRF: the token to put in forms, and a real login (new id, new token, owner recorded).
  '/csrf': (s) => ({ body: s.csrfToken() }),
  '/signin': (s, url) => {
    s.login(url.searchParams.get('user') ?? 'ann');
    return { body: s.csrfToken() };
  },
  // The seeds' "comment once".
  '/comment': (s) => {
    if (s.get('hasCommented', false)) return { body: 'You have already commented.' };
    s.set('hasCommented', true);
    return { body: 'Thanks for your comment!' };
  },
  '/own-headers': (s) => {
    s.set('counter', 1);
    return {
      body: 'own',
      headers: { 'Set-Cookie': ['theme=dark; Path=/'], Vary: 'Accept-Encoding' },
    };
  },
  '/slow-set': async (s, url) => {
    await new Promise((resolve) => setTimeout(resolve, Number(url.searchParams.get('ms') ?? 50)));
    s.set(url.searchParams.get('key') ?? 'late', true);
    return { body: 'late' };
  },
  '/slow-regenerate': async (s, url) => {
    await new Promise((resolve) => setTimeout(resolve, Number(url.searchParams.get('ms') ?? 50)));
    s.regenerate();
    return { body: 'regenerated' };
  },
  '/boom': (s) => {
    s.set('counter', 1000);
    return { throws: true };
  },
  '/write-head-redirect': (s) => {
    s.set('counter', 7);
    return {
      status: 302,
      headers: { Location: '/read', 'Set-Cookie': 'theme=dark' },
      writeHead: true,
    };
  },
  '/stream-after-save': async (s) => {
    s.set('counter', 5);
    await s.save();
    return { body: 'streamed', stream: true };
  },
  '/stream-without-save': (s) => {
    s.set('counter', 6);
    return { body: 'streamed', stream: true };
  },
  '/stream-after-cycle': (s) => {
    s.set('counter', 8);
    s.cycleKey();
    return { body: 'streamed', stream: true };
  },
  '/end-twice': (s) => {
    s.set('counter', 9);
    return { body: 'first', endTwice: true };
  },
};

/** Runs the route for `url` (a path with query), or answers 404. Throws when the route asks to. */
export async function runRoute(session: Session, url: string): Promise<Reply> {
  const parsed = new URL(url, 'http://localhost');
  const route = ROUTES[parsed.pathname];
  if (!route) return { status: 404, body: 'not found' };
  const reply = await route(session, parsed);
  if (reply.throws) throw new Error('handler failed');
  return reply;
}
