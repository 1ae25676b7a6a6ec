/**
 * The Hono example (examples/hono) on the real runtimes the README names:
 * Node, Bun and Deno (their binaries from the npm packages `bun` and `deno`,
 * pinned in the example's devDependencies), each with the memory store and
 * the Redis store, and Workers (workerd from npm, through `wrangler dev`) with
 * the memory store, driven over HTTP with a cookie jar. Every runtime × store
 * pair gets the same scenarios.
 *
 * Run: npx vitest run -c vitest.examples.config.ts test/examples/runtimes.test.ts
 */
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJarClient, type JarResponse } from '../../src/testing/index.js';
import { textById, textsByClass } from '../helpers/html-query.js';
import { describeWithServer, probeServer, SERVER_URLS } from '../helpers/servers.js';
import {
  type PreparedExample,
  prepareExample,
  type RunningExample,
  startExample,
} from './harness.js';

const COOKIE = 'sessionid';

type StoreKind = 'memory' | 'redis';

/** How each runtime starts the example (the commands of its package.json scripts). */
interface Runtime {
  name: string;
  command: readonly string[];
  env?: Record<string, string>;
  /** The stores it is tested with. */
  stores: readonly StoreKind[];
}

const RUNTIMES: readonly Runtime[] = [
  { name: 'Node', command: ['node', 'server.ts'], stores: ['memory', 'redis'] },
  {
    name: 'Bun',
    command: ['./node_modules/.bin/bun', 'run', 'server.ts'],
    stores: ['memory', 'redis'],
  },
  {
    name: 'Deno',
    command: [
      './node_modules/.bin/deno',
      'run',
      '--node-modules-dir=manual',
      '--no-lock',
      '--allow-net',
      '--allow-env',
      'server.ts',
    ],
    stores: ['memory', 'redis'],
  },
  {
    // worker.ts on workerd (npm package workerd, through wrangler), memory store only: a
    // node-redis connection cannot outlive the request that opened it on Workers.
    name: 'Workers',
    command: [
      'sh',
      '-c',
      'exec ./node_modules/.bin/wrangler dev --local --ip 127.0.0.1 --port "$PORT"',
    ],
    // No fetch of workers.cloudflare.com/cf.json (a placeholder Request.cf instead), no metrics.
    env: { CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
    stores: ['memory'],
  },
];

const redisProbe = await probeServer('redis', SERVER_URLS.redis);
let prepared: PreparedExample;

beforeAll(async () => {
  prepared = await prepareExample('hono');
});

/** The CSRF token of the page's first form. */
function csrfTokenOf(page: JarResponse): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  if (token === undefined) throw new Error(`no _csrf field in ${page.url}:\n${page.text}`);
  return token;
}

/** The Redis keys under `prefix`. */
async function listRedisKeys(prefix: string): Promise<string[]> {
  const client = createClient({ url: SERVER_URLS.redis });
  await client.connect();
  try {
    const keys: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
      keys.push(...(Array.isArray(batch) ? batch : [batch]));
    }
    return keys;
  } finally {
    client.destroy();
  }
}

/** Deletes the Redis keys under `prefix`. */
async function deleteRedisKeys(prefix: string): Promise<void> {
  const keys = await listRedisKeys(prefix);
  if (keys.length === 0) return;
  const client = createClient({ url: SERVER_URLS.redis });
  await client.connect();
  try {
    await client.del(keys);
  } finally {
    client.destroy();
  }
}

/** The same specification, for one runtime and one store. */
function describeExample(runtime: Runtime, store: StoreKind): void {
  const prefix = `tessera-test-runtimes:${runtime.name.toLowerCase()}:${process.pid}:${Date.now()}:`;
  let server: RunningExample;
  /** A browser: its own cookie jar, talking to the server. */
  const browser = () => new CookieJarClient(server.url);

  beforeAll(async () => {
    server = await startExample(prepared, {
      command: runtime.command,
      env: { ...runtime.env, STORE: store, REDIS_URL: SERVER_URLS.redis, REDIS_PREFIX: prefix },
      readyPath: '/health',
    });
  });

  afterAll(async () => {
    await server?.stop();
    if (store === 'redis') await deleteRedisKeys(prefix);
  });

  it(`is served by ${runtime.name}`, async () => {
    const health = await browser().get('/health');
    expect(health.text).toMatch(new RegExp(`^ok ${runtime.name} (\\d+\\.|\\(workerd\\))`));
  });

  it('counts the visits of each browser separately', async () => {
    const ann = browser();
    const bob = browser();
    expect(textById((await ann.get('/')).text, 'visits')).toBe(
      'You have visited this page 1 times.',
    );
    expect(ann.cookie(COOKIE)).toBeDefined();
    expect(textById((await ann.get('/')).text, 'visits')).toBe(
      'You have visited this page 2 times.',
    );
    expect(textById((await bob.get('/')).text, 'visits')).toBe(
      'You have visited this page 1 times.',
    );
    expect(textById((await ann.get('/')).text, 'visits')).toBe(
      'You have visited this page 3 times.',
    );
  });

  it('adds to the cart and shows "Added …" once, after the redirect', async () => {
    const ann = browser();
    const cart = await ann.get('/cart');
    expect(textById(cart.text, 'cart-empty')).toBe('Your cart is empty.');

    const added = await ann.post(
      '/cart',
      { _csrf: csrfTokenOf(cart), item: 'apple', qty: '2' },
      {
        follow: true,
      },
    );
    expect(added.redirects.map((r) => r.status)).toEqual([303]);
    expect(added.url).toMatch(/\/cart$/);
    expect(textsByClass(added.text, 'flash')).toEqual(['Added 2 × apple']);
    expect(textById(added.text, 'cart')).toBe('2 × apple');

    const again = await ann.get('/cart');
    expect(textsByClass(again.text, 'flash')).toEqual([]);
    expect(textById(again.text, 'cart')).toBe('2 × apple');
  });

  it('refuses a POST without the CSRF token (403) and accepts the header X-CSRF-Token', async () => {
    const ann = browser();
    const token = csrfTokenOf(await ann.get('/cart'));

    const missing = await ann.post('/cart', { item: 'pear', qty: '1' });
    expect(missing.status).toBe(403);
    const wrong = await ann.post('/cart', { _csrf: `${token}x`, item: 'pear', qty: '1' });
    expect(wrong.status).toBe(403);
    expect(textById((await ann.get('/cart')).text, 'cart-empty')).toBe('Your cart is empty.');

    const viaHeader = await ann.post(
      '/cart',
      { item: 'pear', qty: '1' },
      {
        headers: { 'X-CSRF-Token': token },
      },
    );
    expect(viaHeader.status).toBe(303);
    expect(textById((await ann.get('/cart')).text, 'cart')).toBe('1 × pear');
  });

  it('answers 400 "Please enable cookies" to a login from a browser that kept no cookie', async () => {
    const ann = browser();
    const form = await ann.get('/login');
    const token = csrfTokenOf(form);
    ann.clearCookies(); // the browser refused the session cookie
    const refused = await ann.post('/login', { _csrf: token, username: 'ann' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Please enable cookies');
    expect(ann.cookie(COOKIE)).toBeUndefined();
  });

  it('logs in with a new session id and a new CSRF token; the old cookie opens nothing', async () => {
    const ann = browser();
    const form = await ann.get('/login');
    const anonymousId = ann.cookie(COOKIE)!;
    const anonymousToken = csrfTokenOf(form);

    const account = await ann.post(
      '/login',
      { _csrf: anonymousToken, username: 'ann' },
      {
        follow: true,
      },
    );
    expect(account.redirects.map((r) => r.status)).toEqual([303]);
    expect(textById(account.text, 'user')).toBe('ann');
    expect(ann.cookie(COOKIE)).toBeDefined();
    expect(ann.cookie(COOKIE)).not.toBe(anonymousId);
    expect(csrfTokenOf(account)).not.toBe(anonymousToken);

    // The token of the anonymous session no longer authorizes a POST.
    expect((await ann.post('/logout', { _csrf: anonymousToken })).status).toBe(403);

    // The pre-login cookie (say, planted by an attacker) is not logged in.
    const planted = browser();
    planted.setCookie(COOKIE, anonymousId);
    const notLoggedIn = await planted.get('/account', { follow: true });
    expect(notLoggedIn.url).toMatch(/\/login$/);
  });

  it('logs out: the account is gone, and a copy of the logged-in cookie opens nothing', async () => {
    const ann = browser();
    const form = await ann.get('/login');
    const account = await ann.post(
      '/login',
      { _csrf: csrfTokenOf(form), username: 'ann' },
      {
        follow: true,
      },
    );
    const loggedInCookie = ann.cookie(COOKIE)!;

    const home = await ann.post('/logout', { _csrf: csrfTokenOf(account) }, { follow: true });
    expect(home.redirects.map((r) => r.status)).toEqual([303]);
    expect(home.url).toMatch(/\/$/);
    expect((await ann.get('/account', { follow: true })).url).toMatch(/\/login$/);

    const copy = browser();
    copy.setCookie(COOKIE, loggedInCookie);
    expect((await copy.get('/account', { follow: true })).url).toMatch(/\/login$/);
  });

  if (store === 'redis') {
    it('keeps the sessions in Redis, under the prefix it was given', async () => {
      const ann = browser();
      await ann.get('/');
      expect((await listRedisKeys(prefix)).length).toBeGreaterThan(0);
    });

    it('keeps a session across a restart of the server', async () => {
      const ann = browser();
      await ann.get('/');
      await ann.get('/');
      await server.restart();
      const after = new CookieJarClient(server.url, { jar: ann.jar });
      expect(textById((await after.get('/')).text, 'visits')).toBe(
        'You have visited this page 3 times.',
      );
    });
  } else {
    it('forgets every session when the server restarts (memory store)', async () => {
      const ann = browser();
      await ann.get('/');
      await ann.get('/');
      await server.restart();
      const after = new CookieJarClient(server.url, { jar: ann.jar });
      expect(textById((await after.get('/')).text, 'visits')).toBe(
        'You have visited this page 1 times.',
      );
    });
  }
}

describe('the Hono example on Node, Bun, Deno and Workers', () => {
  for (const runtime of RUNTIMES) {
    describe(`on ${runtime.name}`, () => {
      if (runtime.stores.includes('memory')) {
        describe('with the memory store', () => describeExample(runtime, 'memory'));
      }
      if (runtime.stores.includes('redis')) {
        describeWithServer(redisProbe, 'with the Redis store', () =>
          describeExample(runtime, 'redis'),
        );
      }
    });
  }
});
