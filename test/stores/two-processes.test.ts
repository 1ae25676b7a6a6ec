/**
 * Scaling out: two app processes (the demo, Express adapter) share one store,
 * and a browser whose requests alternate between them sees one session — no
 * sticky sessions needed. Run for every shared store: a SQLite file (one
 * machine), Redis and PostgreSQL (many machines).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createClient } from 'redis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { csrfTokenIn } from '../demo/forms.js';
import { CookieJarClient } from '../helpers/cookie-jar-client.js';
import { textById } from '../helpers/html-query.js';
import { describeWithServer, probeServer, SERVER_URLS } from '../helpers/servers.js';
import { type DemoProcess, spawnDemoServer } from '../helpers/spawn-demo-server.js';
import { createTempDir, type TempDir } from '../helpers/temp-dir.js';

const runId = randomBytes(4).toString('hex');
let dir: TempDir | undefined;
const running: DemoProcess[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
});
afterAll(() => dir?.remove());

/** A browser talking to two servers: one cookie jar, requests sent to either. */
class AlternatingBrowser {
  private readonly clients: CookieJarClient[];
  constructor(bases: string[]) {
    this.clients = bases.map((base) => new CookieJarClient(base));
  }
  /** Sends a request to server `index`, carrying the cookies the other one set. */
  async on(index: number, path: string, options: Parameters<CookieJarClient['request']>[1] = {}) {
    const client = this.clients[index]!;
    const other = this.clients[1 - index]!;
    const sid = other.cookie('sessionid');
    if (sid !== undefined) client.setCookie('sessionid', sid);
    const response = await client.request(path, options);
    const after = client.cookie('sessionid');
    if (after !== undefined) other.setCookie('sessionid', after);
    return response;
  }
}

function describeSharedStore(name: string, storeUrl: () => Promise<string>): void {
  it(`keeps one session across two processes sharing ${name}`, async () => {
    const url = await storeUrl();
    for (let i = 0; i < 2; i++) {
      running.push(await spawnDemoServer({ PORT: '0', SESSION_STORE: url }));
    }
    const browser = new AlternatingBrowser(running.map((server) => server.baseUrl));

    for (let visit = 1; visit <= 6; visit++) {
      const page = await browser.on(visit % 2, '/counter');
      expect(textById(page.text, 'counter')).toBe(String(visit));
    }

    // The form's CSRF token, served by one process, is accepted by the other.
    const token = csrfTokenIn((await browser.on(1, '/comment')).text)!;
    const added = await browser.on(0, '/cart', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ item: 'apple', qty: '2', _csrf: token }).toString(),
    });
    expect(added.status).toBe(303);
    const cart = await browser.on(1, '/cart');
    expect(cart.text).toContain('Added 2 × apple');
    const again = await browser.on(0, '/cart');
    expect(again.text).not.toContain('Added 2 × apple');
    expect(again.text).toContain('apple');
  });
}

describe('two app processes, one store', () => {
  describeSharedStore('a SQLite file', async () => {
    dir ??= await createTempDir('tessera-two-processes-');
    return `sqlite:${dir.file('shared.db')}`;
  });
});

const redis = await probeServer('redis', SERVER_URLS.redis);
describeWithServer(redis, 'two app processes, one Redis', () => {
  const prefix = `tessera-two-processes-${runId}:`;
  afterAll(async () => {
    const client = createClient({ url: SERVER_URLS.redis });
    await client.connect();
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
      if (keys.length > 0) await client.del(keys);
    }
    await client.close();
  });
  describeSharedStore('Redis', async () => {
    const url = new URL(SERVER_URLS.redis);
    url.searchParams.set('prefix', prefix);
    return url.toString();
  });
});

const postgres = await probeServer('postgres', SERVER_URLS.postgres);
describeWithServer(postgres, 'two app processes, one PostgreSQL', () => {
  const table = `tessera_two_processes_${runId}`;
  afterAll(async () => {
    const client = new pg.Client({ connectionString: SERVER_URLS.postgres });
    await client.connect();
    await client.query(`DROP TABLE IF EXISTS "${table}"`);
    await client.end();
  });
  describeSharedStore('PostgreSQL', async () => {
    const url = new URL(SERVER_URLS.postgres);
    url.searchParams.set('table', table);
    return url.toString();
  });
});
