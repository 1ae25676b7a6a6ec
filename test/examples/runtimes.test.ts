/**
 * The Hono example (examples/hono) on the real runtimes the README names:
 * Node, Bun and Deno (their binaries from the npm packages `bun` and `deno`,
 * pinned in the example's devDependencies), each with the memory store and
 * the Redis store, and Workers (workerd from npm, through `wrangler dev`) with
 * the memory store, driven over HTTP with a cookie jar. Every runtime × store
 * pair gets the seeds' scenarios (seed-scenarios.ts); restart persistence with
 * Redis, a fresh start with the memory store.
 *
 * Run: npx vitest run -c vitest.examples.config.ts test/examples/runtimes.test.ts
 */
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textById } from '../helpers/html-query.js';
import { describeWithServer, probeServer, SERVER_URLS } from '../helpers/servers.js';
import {
  type PreparedExample,
  prepareExample,
  type RunningExample,
  startExample,
} from './harness.js';
import { describePlainPages, describeSeedScenarios, SeedBrowser } from './seed-scenarios.js';

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
  const hono = describePlainPages({
    server: () => server,
    persistent: store === 'redis',
    visits: (count) => `You have visited this page ${count} times.`,
    enableCookies: 'Please enable cookies',
  });
  /** A browser: its own cookie jar, talking to the server. */
  const browser = () => new SeedBrowser(hono);

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

  describeSeedScenarios(hono);

  if (store === 'redis') {
    it('keeps the sessions in Redis, under the prefix it was given', async () => {
      const ann = browser();
      await ann.get('/');
      expect((await listRedisKeys(prefix)).length).toBeGreaterThan(0);
    });
  } else {
    it('forgets every session when the server restarts (memory store)', async () => {
      const ann = browser();
      await ann.get('/');
      await ann.get('/');
      await server.restart();
      const after = new SeedBrowser(hono, ann.jar);
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
